from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site


@register_setting(icon="time")
class TrainingSettings(BaseSiteSetting):
    """Trust-wide training and briefing settings (Settings → Training and briefing)."""

    la_training_refresh_months = models.PositiveSmallIntegerField(
        "Local Authority training refresh (months)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="A designated teacher whose last Local Authority training is older than this is flagged.",
    )
    reminders_enabled = models.BooleanField(default=True, help_text="Send briefing reminder digests.")
    escalate_after_days = models.PositiveSmallIntegerField(
        "Tell the executive head after (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="People with something outstanding for longer than this are listed to the executive head.",
    )

    panels = [
        FieldPanel("la_training_refresh_months"),
        MultiFieldPanel([FieldPanel("reminders_enabled"), FieldPanel("escalate_after_days")], heading="Reminders"),
    ]

    class Meta:
        verbose_name = "Training and briefing"

    @classmethod
    def current(cls, request=None):
        """The settings for this request's site, or the default site (commands and tasks)."""
        if request is not None:
            return cls.for_request(request)
        site = Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site else cls()
