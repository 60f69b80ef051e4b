import pytest
from django.core.management import call_command

from conftest import sign_in
from training.models import TrainingCompletion, TrainingIndexPage, TrainingModulePage

pytestmark = pytest.mark.django_db


def test_the_demo_trust_loads_twice_and_its_governor_sees_their_schools_briefing(client, settings):
    settings.DEMO_ALLOWED = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    completions = TrainingCompletion.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert TrainingIndexPage.objects.count() == 1 and TrainingModulePage.objects.count() == 3
    assert TrainingCompletion.objects.count() == completions > 0
    from django.contrib.auth import get_user_model

    governor = get_user_model().objects.get(username="governor.brook@symphony.example")
    sign_in(client, governor)
    html = client.get("/briefing/brook/").content.decode()
    assert "Children in Care" in html and "Personal Education Plans for designated teachers" in html
    module = TrainingModulePage.objects.get(slug="children-in-care-essentials")
    assert module.related_pages.exists()
