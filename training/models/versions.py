from django.db import models

from trust.page_versions import PageVersion


class TrainingVersion(PageVersion):
    """One publication of a training module, pointing at the exact revision published.

    A material change starts a new version number (everyone in the audience completes it again); a
    minor change keeps the number (completions stand). The first publication is version 1.
    """

    page = models.ForeignKey("training.TrainingModulePage", on_delete=models.PROTECT, related_name="versions")
    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.PROTECT, related_name="training_version")

    class Meta(PageVersion.Meta):
        indexes = [models.Index(fields=["page", "number"])]
