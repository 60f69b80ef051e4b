from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Staff member"
    GOVERNOR = "governor", "Governor"
    DESIGNATED_TEACHER = "designated_teacher", "Designated teacher"
    EXECUTIVE_HEAD = "executive_head", "Executive head"
    TRUST_ADMIN = "trust_admin", "Trust administrator"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"


# Roles held across the whole trust rather than in one school.
TRUST_WIDE_ROLES = frozenset({Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN, Role.DATA_PROTECTION_OFFICER})
# Roles that reach sensitive data or the CMS: sign-in needs a second factor.
MFA_ROLES = frozenset({Role.DESIGNATED_TEACHER, Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN, Role.DATA_PROTECTION_OFFICER})
# Roles that reach a child's record (casework content, or the whole record as a subject access export):
# granting or revoking one is written to the case audit and reported to the executive head.
CASEWORK_ROLES = frozenset({Role.DESIGNATED_TEACHER, Role.DATA_PROTECTION_OFFICER})

# The Django group that mirrors each role (created by trust/migrations/0002).
GROUP_NAMES = {
    Role.STAFF: "Staff",
    Role.GOVERNOR: "Governors",
    Role.DESIGNATED_TEACHER: "Designated teachers",
    Role.EXECUTIVE_HEAD: "Executive head",
    Role.TRUST_ADMIN: "Trust administrators",
    Role.DATA_PROTECTION_OFFICER: "Data protection officers",  # created by trust/migrations/0005
}
