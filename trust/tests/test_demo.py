import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from trust import demo
from trust.access import needs_mfa
from trust.enums import Role
from trust.models import Membership


@pytest.mark.django_db
def test_the_demo_has_a_data_protection_officer_with_mfa_and_loads_twice_without_duplicates():
    demo.load()
    demo.load()
    dpo = get_user_model().objects.get(username="dpo@symphony.example")
    assert dpo.check_password("Symphony-demo-2026") and dpo.is_active
    (membership,) = Membership.objects.current().filter(user=dpo)
    assert membership.role == Role.DATA_PROTECTION_OFFICER and membership.school is None
    assert Authenticator.objects.filter(user=dpo, type="totp").count() == 1
    assert needs_mfa(dpo)
    assert set(dpo.groups.values_list("name", flat=True)) == {"Data protection officers"}
    admin = get_user_model().objects.get(username="admin@symphony.example")
    assert not Membership.objects.current().filter(user=admin, role=Role.DATA_PROTECTION_OFFICER).exists()
