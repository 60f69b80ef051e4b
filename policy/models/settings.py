from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="lock")
class CaseworkGateSettings(BaseGenericSetting):
    """The policy a designated teacher must have acknowledged before casework opens (Settings → Casework gate).
    Chosen by the executive head; no page is ever found by its title."""

    children_in_care_policy = models.ForeignKey(
        "policy.PolicyPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gate_settings",
        verbose_name="Children in Care policy",
        help_text="Designated teachers, and staff a designated teacher delegates to, must acknowledge the "
        "current version of this policy before they can open casework.",
    )

    panels = [FieldPanel("children_in_care_policy")]

    class Meta:
        verbose_name = "Casework gate"
