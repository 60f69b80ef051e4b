import datetime

import factory

from casework.enums import Cohort, PEPStatus, TermName
from casework.models import PEP, CaseDocument, Child, LocalAuthority, Review, Target, Transition
from casework.upn import check_letter
from trust.models import NonTeachingDay, Term
from trust.tests.factories import SchoolFactory


def make_upn(n: int) -> str:
    body = f"80120{n:07d}"
    return check_letter(body) + body


# The demo calendar shape for one academic year starting in September `year`.
def term_parts(year: int):
    return [
        ("Autumn 1", datetime.date(year, 9, 3), datetime.date(year, 10, 23)),
        ("Autumn 2", datetime.date(year, 11, 2), datetime.date(year, 12, 18)),
        ("Spring 1", datetime.date(year + 1, 1, 5), datetime.date(year + 1, 2, 12)),
        ("Spring 2", datetime.date(year + 1, 2, 22), datetime.date(year + 1, 3, 26)),
        ("Summer 1", datetime.date(year + 1, 4, 12), datetime.date(year + 1, 5, 28)),
        ("Summer 2", datetime.date(year + 1, 6, 7), datetime.date(year + 1, 7, 21)),
    ]


def add_terms(school, year: int, inset=()):
    for name, start, end in term_parts(year):
        Term.objects.create(
            school=school, academic_year=f"{year}/{(year + 1) % 100:02d}", name=name, starts_on=start, ends_on=end
        )
    for day in inset:
        NonTeachingDay.objects.create(school=school, date=day, kind=NonTeachingDay.Kind.INSET)


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("name",)

    name = "Leicestershire"
    virtual_school_head = "Val Head"
    virtual_school_email = "virtual.school@leics.example"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    school = factory.SubFactory(SchoolFactory)
    legal_first_name = factory.Sequence(lambda n: f"Kid{n}")
    legal_last_name = "Testchild"
    date_of_birth = datetime.date(2016, 2, 29)
    upn = factory.Sequence(make_upn)
    year_group = "5"
    cohort = Cohort.LOOKED_AFTER
    entered_care_on = datetime.date(2025, 6, 1)
    started_on = datetime.date(2025, 9, 3)
    responsible_authority = factory.SubFactory(LocalAuthorityFactory)


class PEPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PEP

    child = factory.SubFactory(ChildFactory)
    academic_year = "2026/27"
    term = TermName.AUTUMN
    period_starts_on = datetime.date(2026, 9, 3)
    period_ends_on = datetime.date(2026, 12, 18)
    status = PEPStatus.DRAFT

    class Params:
        signed_off = factory.Trait(status=PEPStatus.SIGNED_OFF)
        # What the sign-off rule asks for: a SMART target, the child's views and attendance (no PP+ allocated).
        complete = factory.Trait(
            voice_going_well="I like reading with my carer.",
            voice_helps_me_learn="Sitting near the front.",
            current_arrangements="Full time in year 5.",
            sessions_possible=120,
            sessions_attended=114,
            complete_target=factory.RelatedFactory(
                "casework.tests.factories.TargetFactory", factory_related_name="pep", area="Attendance"
            ),
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Stored as draft, then given the status the test asks for once its targets are in (as a fixture
        loads rows): the sign-off rule itself is tested through `move_to` and `save` in test_pep_sign_off.py."""
        status = kwargs.pop("status", PEPStatus.DRAFT)
        pep = super()._create(model_class, *args, status=PEPStatus.DRAFT, **kwargs)
        pep._factory_status = status
        return pep

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        status = getattr(instance, "_factory_status", None)
        if create and status and status != instance.status:
            type(instance).objects.filter(pk=instance.pk).update(status=status)
            instance.status = status


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    pep = factory.SubFactory(PEPFactory)
    area = "Reading"
    what = "Read a chapter book aloud"
    how_measured = "Running record"
    baseline = "Book band 8"
    target = "Book band 10"
    by_when = datetime.date(2026, 12, 11)
    who = "Class teacher"


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    child = factory.SubFactory(ChildFactory)
    kind = "statutory"
    held_on = datetime.date(2026, 12, 8)


class CaseDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseDocument

    child = factory.SubFactory(ChildFactory)
    title = "Care plan"
    file = factory.django.FileField(data=b"%PDF-1.4\n%test\n", filename="care-plan.pdf")
    original_name = "care-plan.pdf"
    content_type = "application/pdf"
    extension = "pdf"
    size = 16


class TransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transition

    child = factory.SubFactory(ChildFactory)
    receiving_school = "Hill Top Academy"
    receiving_dt_name = "Rita Receiver"
    receiving_dt_email = "dt@hilltop.example"
    left_on = datetime.date(2026, 11, 20)


def case_documents_on_s3(s3_server, monkeypatch, bucket):
    """Store case documents in a new bucket of the moto S3 server (the `s3_server` fixture) for this test."""
    import boto3
    from storages.backends.s3 import S3Storage

    from casework.models import CaseDocument

    boto3.client(
        "s3", endpoint_url=s3_server, region_name="eu-west-2", aws_access_key_id="test", aws_secret_access_key="test"
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    storage = S3Storage(
        bucket_name=bucket,
        endpoint_url=s3_server,
        region_name="eu-west-2",
        access_key="test",
        secret_key="test",
        default_acl=None,
        file_overwrite=False,
    )
    monkeypatch.setattr(CaseDocument._meta.get_field("file"), "storage", storage)
    return storage


def open_transfer_link(client, link):
    """Open an emailed transfer link as the receiving school's browser does: the link is exchanged for a cookie,
    and the page it opens (by itself) is the token-free one. Returns that page's path."""
    import re

    opened = client.get(link)
    assert opened.status_code == 200, opened.status_code
    return re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', opened.content.decode()).group(1)


def emailed_links(outbox):
    """The transfer links in these emails, as paths on the test server."""
    import re

    return [re.search(r"https?://testserver(/casework/receive/\?link=\S+)", m.body).group(1) for m in outbox]
