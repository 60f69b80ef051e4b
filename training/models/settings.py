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

    class Frequency(models.TextChoices):
        WORKING_DAYS = "working_days", "Every working day (Monday to Friday, not bank holidays)"
        WEEKLY = "weekly", "Once a week, on the day below"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"

    reminder_frequency = models.CharField(
        "How often", max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    reminder_weekday = models.PositiveSmallIntegerField(
        "Day of the week", choices=Weekday.choices, default=Weekday.MONDAY, help_text="For weekly reminders."
    )
    reminder_hour = models.PositiveSmallIntegerField(
        "Hour (UK time)",
        default=8,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="The task worker sends the scheduled reminders from this hour, e.g. 8 for 08:00.",
    )

    panels = [
        FieldPanel("la_training_refresh_months"),
        MultiFieldPanel(
            [
                FieldPanel("reminders_enabled"),
                FieldPanel("reminder_frequency"),
                FieldPanel("reminder_weekday"),
                FieldPanel("reminder_hour"),
                FieldPanel("escalate_after_days"),
            ],
            heading="Reminders",
        ),
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
