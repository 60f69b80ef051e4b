"""What `make bench` needs from the policy app: acknowledgements that distinct people can make."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from .forms import question_field_name
from .models import PolicyPage, ReadReceipt
from .versions import current_version

BENCH_PASSWORD = "Bench-data-2026"  # noqa: S105 - bench databases only (training/bench_data.py)


def children_in_care_policy():
    return PolicyPage.objects.live().filter(slug__startswith="children-in-care").first()


def acknowledgement_forms(limit, offset=0):
    """(path, email, password, form data, page) for generated staff who have not acknowledged the policy."""
    page = children_in_care_policy()
    published = current_version(page) if page else None
    if published is None:
        return []
    form = {"revision": str(page.live_revision_id), "statement": "on"}
    for index, block in enumerate(page.comprehension_check or [], start=1):
        form[question_field_name(index)] = block.value["correct_answer"]
    readers = ReadReceipt.objects.filter(page=page, version_number=published.number).values("user_id")
    people = (
        get_user_model()
        .objects.filter(email__startswith="staff", email__endswith="@bench.example", is_active=True)
        .exclude(pk__in=readers)
        .order_by("pk")
        .values_list("email", flat=True)[offset : offset + limit]
    )
    path = reverse("policy_acknowledge", args=[page.pk])  # where the page's form posts
    return [(path, email, BENCH_PASSWORD, form, page.url) for email in people]


def receipt_count():
    return ReadReceipt.objects.count()


def publish_new_version():
    """A material change to the Children in Care policy, as before an INSET day: everyone must acknowledge again."""
    page = children_in_care_policy()
    if page is None:
        return None
    page = page.specific
    page.change_is_material = True
    page.change_summary = "Updated for the INSET day."
    revision = page.save_revision()
    revision.publish()
    return current_version(PolicyPage.objects.get(pk=page.pk))
