from django.db import models


class Cohort(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked after"
    PREVIOUSLY_LOOKED_AFTER = "previously_looked_after", "Previously looked after"
    SOCIAL_WORKER = "social_worker", "With a social worker"
    KINSHIP_CARE = "kinship_care", "Kinship care"


class IdentityChangeReason(models.TextChoices):
    ADOPTION = "adoption", "Adoption"
    SPECIAL_GUARDIANSHIP = "special_guardianship", "Special guardianship order"
    CHILD_ARRANGEMENTS = "child_arrangements", "Child arrangements order"
    CORRECTION = "correction", "Correction of a mistake"
    OTHER = "other", "Other legal change of name"


class SENStatus(models.TextChoices):
    NONE = "none", "No SEN"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP = "ehcp", "EHC plan"


class RetentionBasis(models.TextChoices):
    """How long the school keeps a record (DOMAIN.md): fixed when the record is made or first becomes SEN, and
    never shortened by a later change of the child's status."""

    PUPIL_FILE = "pupil_file", "Pupil file: date of birth + 25 years"
    SEN_FILE = "sen_file", "SEN or EHCP file: date of birth + 31 years"


RETENTION_YEARS = {RetentionBasis.PUPIL_FILE: 25, RetentionBasis.SEN_FILE: 31}


class PEPStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_PROGRESS = "in_progress", "In progress"
    READY = "ready", "Ready for sign-off"
    SIGNED_OFF = "signed_off", "Signed off"


class TermName(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class TargetStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class PlanKind(models.TextChoices):
    CARE_PLAN = "care_plan", "Care Plan"
    IEP = "iep", "IEP (individual education plan)"
    PSP = "psp", "PSP (pastoral support programme)"
    EHCP = "ehcp", "EHCP (formerly Statement of Educational Need)"
    OTHER = "other", "Other"


class ReviewKind(models.TextChoices):
    STATUTORY = "statutory", "Statutory (looked-after child) review"
    PEP = "pep", "PEP review"
    EHCP_ANNUAL = "ehcp_annual", "EHCP annual review"
    PSP = "psp", "PSP review"


class DeadlineKind(models.TextChoices):
    INITIAL_PEP = "initial_pep", "Initial PEP after starting or entering care"
    PEP_REVIEW = "pep_review", "PEP review each term"
    TRANSFER = "transfer", "Transfer of records after leaving"
    REVIEW_REPORT = "review_report", "School report before a review"
    CHILD_PROTECTION = "child_protection", "Child protection file after leaving (sent separately)"
    STATUTORY_REVIEW = "statutory_review", "First statutory review after entering care"


class TransitionPart(models.TextChoices):
    RECORDS = "records", "Educational record and common transfer file"
    CHILD_PROTECTION = "child_protection", "Child protection file"
    SEND = "send", "SEND file (to the receiving school's SENCO)"
    PEP = "pep", "PEP (to the child's social worker)"


class PlacementKind(models.TextChoices):
    FOSTER = "foster", "Foster care"
    KINSHIP = "kinship", "Kinship care (family or friends)"
    RESIDENTIAL = "residential", "Children's home"
    PARENTS = "parents", "Placed with parents"
    SEMI_INDEPENDENT = "semi_independent", "Semi-independent living"
    ADOPTIVE = "adoptive", "Placed for adoption"
    OTHER = "other", "Other"


class DocumentCategory(models.TextChoices):
    GENERAL = "general", "Pupil file"
    SEN = "sen", "SEN or EHCP file"
    CHILD_PROTECTION = "child_protection", "Child protection file"


class AuditAction(models.TextChoices):
    LIST = "list", "Listed"
    READ = "read", "Read"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    TRANSFER = "transfer", "Transferred"
    RECEIPT = "receipt", "Receipt confirmed"
    REJECT = "reject", "Rejected"
    GRANT = "grant", "Casework role granted"
    REVOKE = "revoke", "Casework role revoked"


class DelegatedSection(models.TextChoices):
    """The parts of a child's PEP a designated teacher may let another member of staff enter."""

    VIEWS = "views", "The child's and the carer's views"
    ATTAINMENT = "attainment", "Attainment and attendance"
    TARGETS = "targets", "SMART targets and their progress notes"
    ACTIVITIES = "activities", "Out-of-hours learning"
