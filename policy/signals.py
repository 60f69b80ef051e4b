from django.dispatch import receiver
from wagtail.signals import page_published

from .models import AcknowledgeablePage
from .versions import record_publication


@receiver(page_published)
def record_version_on_publish(sender, instance, revision, **kwargs):
    if isinstance(instance, AcknowledgeablePage):
        record_publication(instance, revision)
