from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from .enums import TRUST_WIDE_ROLES, Role


class School(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=50, unique=True, help_text="Short name used in addresses, e.g. brook.")
    urn = models.CharField(
        "DfE URN",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", "A DfE URN is six digits.")],
        help_text="The school's unique reference number from Get Information about Schools.",
    )
    local_authority = models.CharField(max_length=100, help_text="The local authority the school is in.")
    head_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_schools",
        limit_choices_to={"is_active": True},
        help_text="Optional. The head teacher is sent the school's briefing escalations.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class Membership(models.Model):
    """One role a person holds, in one school or (for trust-wide roles) across the trust."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text="Leave empty for trust-wide roles (executive head, trust administrator, data protection officer).",
    )
    job_title = models.CharField(max_length=100, blank=True)
    started_on = models.DateField(null=True, blank=True, help_text="When the person took up this role.")
    ended_on = models.DateField(null=True, blank=True, help_text="Set when the person leaves the role.")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["school__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(ended_on__isnull=True),
                name="one_current_membership_per_role_and_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(ended_on__isnull=True, school__isnull=True),
                name="one_current_trust_wide_membership_per_role",
            ),
        ]

    def __str__(self):
        where = self.school.name if self.school_id else "the trust"
        return f"{self.get_role_display()}, {where}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_stored_state()
        return instance

    def remember_stored_state(self):
        """What the database holds, so a save can tell a grant or a revocation from any other edit
        (casework/signals.py audits casework role grants). No query: read from the loaded row."""
        fields = ("role", "school_id", "ended_on", "user_id")
        self._stored = {name: self.__dict__[name] for name in fields if name in self.__dict__}  # not deferred ones

    @property
    def stored_state(self) -> dict | None:
        """The row as loaded (or last saved); None for a membership not yet in the database."""
        return getattr(self, "_stored", None)

    @property
    def is_current(self):
        return self.ended_on is None

    def clean(self):
        if self.role in TRUST_WIDE_ROLES and self.school_id:
            raise ValidationError(
                {"school": f"A {self.get_role_display().lower()} works across the trust: leave the school empty."}
            )
        if self.role and self.role not in TRUST_WIDE_ROLES and not self.school_id:
            raise ValidationError(
                {"school": f"Choose the school where this person is a {self.get_role_display().lower()}."}
            )
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date must be on or after the start date."})
from .calendar_models import *  # noqa: E402,F401,F403
