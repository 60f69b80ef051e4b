from django.dispatch import receiver
from wagtail.signals import page_published

from .models import TrainingModulePage
from .versions import record_publication


@receiver(page_published)
def record_training_version_on_publish(sender, instance, revision, **kwargs):
    if isinstance(instance, TrainingModulePage):
        record_publication(instance, revision)
