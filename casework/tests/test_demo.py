import datetime

import pytest
import time_machine

from casework.child_views import children_with_casework
from casework.deadlines import DeadlineEngine
from casework.models import Child
from trust.access import forget_memberships
from trust.models import School, Term


@time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.django_db
def test_the_demo_gives_every_school_each_kind_of_deadline_story(settings, tmp_path):
    from django.contrib.auth import get_user_model

    from casework import demo as casework_demo
    from trust import demo as trust_demo

    settings.MEDIA_ROOT = tmp_path
    trust_demo.load()
    casework_demo.load()
    casework_demo.load()  # idempotent
    for school in School.objects.all():
        assert set(Term.objects.filter(school=school).values_list("academic_year", flat=True)) == {"2026/27", "2027/28"}
        assert Child.objects.filter(school=school).count() >= 5
        dt = get_user_model().objects.get(username=f"dt.{school.slug}@symphony.example")
        forget_memberships(dt)
        engine = DeadlineEngine([school])
        flags = [f for c in children_with_casework(dt) for d in engine.deadlines_for(c) for f in d.flags]
        assert "PEP overdue" in flags, school
        assert "PEP due within 5 school days" in flags, school
        assert any("neither report nor representative" in f for f in flags), school
        assert Child.objects.filter(
            school=school, transitions__sent_at__isnull=False, transitions__receipt_confirmed_at__isnull=True
        ).exists()
    from casework.enums import PEPStatus
    from casework.models import PEP

    signed_off = list(PEP.objects.filter(status=PEPStatus.SIGNED_OFF))
    assert len(signed_off) >= 2 * School.objects.count()  # each school's settled and review stories
    assert {pep.pk: pep.sign_off_problems() for pep in signed_off} == {pep.pk: [] for pep in signed_off}


@pytest.mark.django_db
def test_the_demo_mentor_helps_with_one_brook_child_and_loads_twice_without_duplicates(client, settings, tmp_path):
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from casework.models import Delegation
    from conftest import sign_in
    from trust.access import needs_mfa

    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_ALLOWED = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    User = get_user_model()
    mentor = User.objects.get(username="mentor.brook@symphony.example")
    assert mentor.check_password("Symphony-demo-2026")
    assert Authenticator.objects.filter(user=mentor, type="totp").count() == 1
    delegation = Delegation.objects.get()
    assert delegation.delegate == mentor and delegation.child.school.slug == "brook"
    assert delegation.granted_by.username == "dt.brook@symphony.example"
    assert delegation.sections == ["targets", "activities"]
    assert list(Delegation.objects.of_delegate(mentor)) == [delegation] and needs_mfa(mentor)
    staff1 = User.objects.get(username="staff1.brook@symphony.example")
    assert not needs_mfa(staff1) and not Authenticator.objects.filter(user=staff1).exists()
    sign_in(client, mentor)
    page = client.get(f"/casework/delegated/{delegation.pk}/").content.decode()  # the policy gate is open
    assert "Add a SMART target" in page and "Add an out-of-hours activity" in page
