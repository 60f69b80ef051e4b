"""The demo trust's schools and people (DESIGN.md, "Demo trust"). Idempotent."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model

from .enums import Role
from .models import Membership, School

DEMO_PASSWORD = "Symphony-demo-2026"  # noqa: S105 - documented demo-only password
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - documented demo-only TOTP secret
STAFF_PER_SCHOOL = 12

SCHOOLS = [
    {"slug": "brook", "name": "Brook Primary School", "urn": "140001", "local_authority": "Leicestershire"},
    {"slug": "meadow", "name": "Meadow Primary School", "urn": "140002", "local_authority": "Leicestershire"},
    {"slug": "castle", "name": "Castle Academy", "urn": "140003", "local_authority": "Leicester"},
]
FIRST_NAMES = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harvey", "Isla", "Jack", "Keira", "Leo"]
LAST_NAMES = {"brook": "Brookes", "meadow": "Meadows", "castle": "Castell"}


def _person(email, first_name, last_name):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    return user


def _grant(user, role, school=None):
    Membership.objects.get_or_create(user=user, role=role, school=school, ended_on=None)


def _enrol_mfa(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


def load() -> dict:
    schools = {}
    for data in SCHOOLS:
        school, _ = School.objects.update_or_create(slug=data["slug"], defaults=data)
        schools[school.slug] = school

    head = _person("head@symphony.example", "Helen", "Ashby")
    _grant(head, Role.EXECUTIVE_HEAD)
    _enrol_mfa(head)
    admin = _person("admin@symphony.example", "Aaron", "Patel")
    _grant(admin, Role.TRUST_ADMIN)
    _enrol_mfa(admin)
    dpo = _person("dpo@symphony.example", "Priya", "Okafor")
    _grant(dpo, Role.DATA_PROTECTION_OFFICER)
    _enrol_mfa(dpo)

    for slug, school in schools.items():
        dt = _person(f"dt.{slug}@symphony.example", "Dana", f"{LAST_NAMES[slug]} (DT)")
        _grant(dt, Role.DESIGNATED_TEACHER, school)
        _grant(dt, Role.STAFF, school)
        _enrol_mfa(dt)
        governor = _person(f"governor.{slug}@symphony.example", "Gwen", f"{LAST_NAMES[slug]} (Governor)")
        _grant(governor, Role.GOVERNOR, school)
        for n in range(1, STAFF_PER_SCHOOL + 1):
            staff = _person(f"staff{n}.{slug}@symphony.example", FIRST_NAMES[n - 1], LAST_NAMES[slug])
            _grant(staff, Role.STAFF, school)
    # A learning mentor at brook: the DT delegates entry of a child's targets to them (casework/demo.py),
    # so, like a DT, they sign in with a second factor.
    mentor = _person("mentor.brook@symphony.example", "Morgan", "Brookes (Learning mentor)")
    _grant(mentor, Role.STAFF, schools["brook"])
    _enrol_mfa(mentor)
    return {"schools": schools, "head": head, "admin": admin, "dpo": dpo}
