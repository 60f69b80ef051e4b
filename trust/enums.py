from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Staff member"
    GOVERNOR = "governor", "Governor"
    DESIGNATED_TEACHER = "designated_teacher", "Designated teacher"
    EXECUTIVE_HEAD = "executive_head", "Executive head"
    TRUST_ADMIN = "trust_admin", "Trust administrator"


# Roles held across the whole trust rather than in one school.
TRUST_WIDE_ROLES = frozenset({Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN})
# Roles that reach sensitive data or the CMS: sign-in needs a second factor.
MFA_ROLES = frozenset({Role.DESIGNATED_TEACHER, Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN})

# The Django group that mirrors each role (created by trust/migrations/0002).
GROUP_NAMES = {
    Role.STAFF: "Staff",
    Role.GOVERNOR: "Governors",
    Role.DESIGNATED_TEACHER: "Designated teachers",
    Role.EXECUTIVE_HEAD: "Executive head",
    Role.TRUST_ADMIN: "Trust administrators",
}
