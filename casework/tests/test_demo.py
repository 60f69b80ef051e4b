import datetime

import pytest
import time_machine

from casework.deadlines import DeadlineEngine
from casework.models import Child
from casework.views import children_with_casework
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
