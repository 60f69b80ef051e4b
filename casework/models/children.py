import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ..enums import RETENTION_YEARS, Cohort, RetentionBasis, SENStatus
from ..upn import normalise_upn, validate_upn
from .scoped import ScopedQuerySet

# A change to any of these writes an IdentityChange (models/identity.py) holding the former values.
IDENTITY_FIELDS = ("legal_first_name", "legal_last_name", "upn")
YEAR_GROUPS = [("N", "Nursery"), ("R", "Reception")] + [(str(n), f"Year {n}") for n in range(1, 14)]


class LocalAuthority(models.Model):
    """A child's responsible local authority and its virtual school (not always the school's own LA)."""

    name = models.CharField(max_length=100, unique=True)
    virtual_school_head = models.CharField(max_length=200, blank=True)
    virtual_school_email = models.EmailField(blank=True)
    virtual_school_phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name


class Child(models.Model):
    case_path = ""  # the record is the child

    school = models.ForeignKey("trust.School", on_delete=models.PROTECT, related_name="children")
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="The name the child likes to be called, if different."
    )
    date_of_birth = models.DateField()
    upn = models.CharField(
        "UPN",
        max_length=13,
        blank=True,
        validators=[validate_upn],
        help_text="Unique pupil number: 13 characters starting with its check letter.",
    )
    year_group = models.CharField(max_length=2, choices=YEAR_GROUPS)
    responsible_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The local authority that looks after the child: its virtual school head holds PP+.",
    )
    social_worker_name = models.CharField(max_length=200, blank=True)
    social_worker_email = models.EmailField(blank=True)
    social_worker_phone = models.CharField(max_length=40, blank=True)
    # The people around the child (the carer is on the current Placement, models/people.py).
    iro_name = models.CharField("independent reviewing officer (IRO)", max_length=200, blank=True)
    iro_email = models.EmailField("IRO's email", blank=True)
    iro_phone = models.CharField("IRO's phone", max_length=40, blank=True)
    senco_name = models.CharField("SENCO", max_length=200, blank=True, help_text="The school's SENCO for this child.")
    senco_email = models.EmailField("SENCO's email", blank=True)
    senco_phone = models.CharField("SENCO's phone", max_length=40, blank=True)
    cohort = models.CharField(max_length=32, choices=Cohort.choices, default=Cohort.LOOKED_AFTER)
    entered_care_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the child entered care this time. A child who comes back into care starts a new "
        "episode: change this date, and the initial PEP and statutory reviews are counted from it again.",
    )
    pep_before_portal_on = models.DateField(
        "last PEP before the portal",
        null=True,
        blank=True,
        help_text="Only for a child who already had a PEP before their record was kept here: the date of the last "
        "one. The first PEP entered here is then a termly review, not the initial PEP.",
    )
    started_on = models.DateField(help_text="The day the child started at this school.")
    left_on = models.DateField(null=True, blank=True, help_text="Set when the child leaves this school.")
    sen_status = models.CharField("SEN status", max_length=16, choices=SENStatus.choices, default=SENStatus.NONE)
    retention_basis = models.CharField(
        max_length=16,
        choices=RetentionBasis.choices,
        default=RetentionBasis.PUPIL_FILE,
        editable=False,
        help_text="Set to the SEN or EHCP file's 31 years once the child has SEN or an SEN document, and kept.",
    )
    legal_hold = models.BooleanField(default=False, help_text="Stops any deletion while a legal matter is open.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        verbose_name_plural = "children"

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        before = (
            Child.objects.filter(pk=self.pk)
            .values("cohort", "entered_care_on", "retention_basis", *IDENTITY_FIELDS)
            .first()
            if self.pk
            else None
        )
        previous = before["cohort"] if before else None
        if self.sen_status != SENStatus.NONE or (before and before["retention_basis"] == RetentionBasis.SEN_FILE):
            self.retention_basis = RetentionBasis.SEN_FILE  # never back: an SEN file is kept 31 years
        super().save(*args, **kwargs)
        self._record_care_episode(before)
        if before and any(before[name] != getattr(self, name) for name in IDENTITY_FIELDS):
            self._record_identity_change(before)
        if previous != self.cohort:
            CohortChange.objects.create(
                child=self,
                cohort=self.cohort,
                previous_cohort=previous or "",
                changed_by=getattr(self, "_changed_by", None),
            )

    def _record_care_episode(self, before):
        """Each time the child enters care (a new `entered_care_on`) opens an episode; leaving the looked-after
        group closes it. The deadlines count from the current episode; earlier ones stay as history."""
        was_in_care = before is not None and before["cohort"] == Cohort.LOOKED_AFTER and before["entered_care_on"]
        in_care = self.cohort == Cohort.LOOKED_AFTER and self.entered_care_on
        if was_in_care and in_care and self.entered_care_on < before["entered_care_on"]:
            # An earlier date is a correction of the current episode, not a new one.
            CareEpisode.objects.filter(child=self, left_on__isnull=True).update(entered_on=self.entered_care_on)
            return
        new_entry = in_care and (not was_in_care or before["entered_care_on"] != self.entered_care_on)
        if was_in_care and (new_entry or not in_care):
            left_on = self.entered_care_on - datetime.timedelta(days=1) if new_entry else timezone.localdate()
            CareEpisode.objects.filter(child=self, left_on__isnull=True).update(left_on=left_on)
        if new_entry:
            CareEpisode.objects.get_or_create(child=self, entered_on=self.entered_care_on)

    def _record_identity_change(self, before):
        """Keep the former legal name and UPN; the admin form supplies the reason and the effective date."""
        from .identity import IdentityChange

        given = getattr(self, "_identity_change", None) or {}
        IdentityChange.objects.create(
            child=self,
            previous_legal_first_name=before["legal_first_name"],
            previous_legal_last_name=before["legal_last_name"],
            previous_upn=before["upn"],
            effective_on=given.get("effective_on") or timezone.localdate(),
            reason=given.get("reason", ""),
            recorded_by=getattr(self, "_changed_by", None),
        )

    @property
    def display_name(self):
        return f"{self.preferred_name or self.legal_first_name} {self.legal_last_name}"

    @property
    def needs_pep(self) -> bool:
        return self.cohort == Cohort.LOOKED_AFTER

    @property
    def is_on_roll(self) -> bool:
        return self.left_on is None or self.left_on >= timezone.localdate()

    def retention_until(self) -> datetime.date:
        """The record's own retention basis (`retention_basis`): pupil file, date of birth + 25 years; SEN or EHCP
        file, + 31 years. Each case document has its own (CaseDocument.retention_until)."""
        return retention_date(self.date_of_birth, self.retention_basis)

    def clean(self):
        errors = {}
        self.upn = normalise_upn(self.upn)
        if self.left_on and self.started_on and self.left_on < self.started_on:
            errors["left_on"] = "The leaving date must be on or after the day the child started."
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "The date of birth cannot be in the future."
        if self.pep_before_portal_on and self.pep_before_portal_on > timezone.localdate():
            errors["pep_before_portal_on"] = "The last PEP before the portal cannot be in the future."
        if self.cohort == Cohort.LOOKED_AFTER and not self.entered_care_on:
            errors["entered_care_on"] = "Enter the date the child entered care."
        if errors:
            raise ValidationError(errors)


def retention_date(date_of_birth, basis) -> datetime.date:
    """A date of birth that looks wrong (date_ranges.py) keeps the record (the last date there is) until it is
    corrected: a mistyped year never deletes a child's file."""
    from ..date_ranges import window_for

    if window_for(Child, "date_of_birth").looks_wrong(date_of_birth, timezone.localdate()):
        return datetime.date.max
    return _add_years(date_of_birth, RETENTION_YEARS[basis])


def _add_years(day: datetime.date, years: int) -> datetime.date:
    from ..date_ranges import shift_years

    return shift_years(day, years)


class CohortChange(models.Model):
    """The child's history across groups: looked after, adopted (previously looked after), and so on."""

    case_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cohort_history")
    cohort = models.CharField(max_length=32, choices=Cohort.choices)
    previous_cohort = models.CharField(max_length=32, choices=Cohort.choices, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=300, blank=True, help_text="For example: adoption order made.")

    class Meta:
        ordering = ["child", "changed_at"]

    def __str__(self):
        return f"{self.get_cohort_display()} from {self.changed_at:%d %b %Y}"


class CareEpisode(models.Model):
    """One time in care: a child can enter care more than once, and each episode restarts the initial PEP and
    the statutory review schedule. Written by Child.save from `entered_care_on` and the cohort."""

    case_path = "child"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_episodes")
    entered_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["child", "entered_on"]
        constraints = [models.UniqueConstraint(fields=["child", "entered_on"], name="one_care_episode_per_entry")]

    def __str__(self):
        ended = f" to {self.left_on:%-d %b %Y}" if self.left_on else ""
        return f"In care from {self.entered_on:%-d %b %Y}{ended}"
