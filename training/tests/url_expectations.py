from datetime import date

from portal.tests.access import EVERYONE, Expect

NONE = frozenset()
LA_READERS = frozenset({"dt", "dt_castle", "head", "admin"})
LA_KEEPERS = frozenset({"dt", "dt_castle", "admin"})
BRIEFING = frozenset({"governor", "dt", "dt_castle", "head", "admin"})
BRIEFING_BROOK = frozenset({"governor", "dt", "head", "admin"})
REMINDER_RUN_READERS = frozenset({"head", "admin"})
CHASERS = frozenset({"dt", "dt_castle", "head"})
MATRIX_CERTIFICATE = "private/la-training/url-matrix-certificate.pdf"


def build_world(personas):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from training.builders import build_module, ensure_training_index
    from training.completion import complete_module
    from training.models import LocalAuthorityTraining

    module = build_module(ensure_training_index(), "Matrix module", roles=["staff"])
    receipt = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    if not default_storage.exists(MATRIX_CERTIFICATE):
        default_storage.save(MATRIX_CERTIFICATE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    record, castle_record = (
        LocalAuthorityTraining.objects.create(
            school=school,
            attendee=attendee,
            course="Network",
            provider="Leicestershire Virtual School",
            attended_on=date(2026, 1, 5),
            certificate=MATRIX_CERTIFICATE,
            certificate_content_type="application/pdf",
        )
        for school, attendee in ((personas.brook, personas.dt), (personas.castle, personas.dt_castle))
    )
    from training.models import ReminderRun

    run = ReminderRun.objects.create(people_outstanding=3, reminders_sent=3)
    return {
        "training_receipt": receipt,
        "training_module": module,
        "la_record": record,
        "la_record_castle": castle_record,
        "reminder_run": run,
    }


def _register_key(world):
    receipt = world["training_receipt"]
    return f"training-{receipt.page_id}-v{receipt.version_number}"


# Refused how (portal/tests/access.py): a record, school or page outside the person's scope is a 404; a screen
# that is not theirs at all (staff and no role on the briefing) is a 403, whatever it names.
NOT_BRIEFED = EVERYONE - BRIEFING
EXPECTATIONS = [
    Expect(
        "training/receipts/",
        "/training/receipts/",
        allowed=EVERYONE,
        note="each person sees their own",
        not_found=NONE,
    ),
    Expect(
        "training/receipts/<int:pk>/",
        lambda w: f"/training/receipts/{w['training_receipt'].pk}/",
        allowed=frozenset({"staff"}),
        note="anyone else's receipt is not found",
        not_found=EVERYONE - {"staff"},
    ),
    Expect("training/local-authority/", "/training/local-authority/", allowed=LA_READERS, not_found=NONE),
    Expect("training/local-authority/new/", "/training/local-authority/new/", allowed=LA_KEEPERS, not_found=NONE),
    Expect(
        "training/local-authority/<int:pk>/edit/",
        lambda w: f"/training/local-authority/{w['la_record'].pk}/edit/",
        allowed=frozenset({"dt", "admin"}),
        note="the executive head reads brook's record but may not change it (403)",
        not_found=EVERYONE - LA_READERS | {"dt_castle"},
    ),
    Expect(
        "training/local-authority/<int:pk>/edit/",
        lambda w: f"/training/local-authority/{w['la_record_castle'].pk}/edit/",
        allowed=frozenset({"dt_castle", "admin"}),
        note="castle's record: brook's designated teacher does not find it",
        not_found=EVERYONE - LA_READERS | {"dt"},
    ),
    Expect(
        "training/local-authority/<int:pk>/certificate/",
        lambda w: f"/training/local-authority/{w['la_record'].pk}/certificate/",
        allowed=frozenset({"dt", "head", "admin"}),
        not_found=EVERYONE - {"dt", "head", "admin"},
    ),
    Expect(
        "training/local-authority/<int:pk>/certificate/",
        lambda w: f"/training/local-authority/{w['la_record_castle'].pk}/certificate/",
        allowed=frozenset({"dt_castle", "head", "admin"}),
        not_found=EVERYONE - {"dt_castle", "head", "admin"},
    ),
    Expect("briefing/", "/briefing/", allowed=BRIEFING, note="staff and no role: 403", not_found=NONE),
    Expect("briefing/export/<str:fmt>/", "/briefing/export/csv/", allowed=BRIEFING, not_found=NONE),
    Expect(
        "briefing/register/",
        "/briefing/register/",
        allowed=BRIEFING,
        note="staff and no role: 403",
        not_found=NONE,
    ),
    Expect(
        "briefing/register/mine/",
        "/briefing/register/mine/",
        allowed=EVERYONE,
        note="each person's own history",
        not_found=NONE,
    ),
    Expect(
        "briefing/register/<str:key>/",
        lambda w: f"/briefing/register/{_register_key(w)}/",
        allowed=BRIEFING,
        note="governors and administrators: counts only",
        not_found=NONE,
    ),
    Expect(
        "briefing/register/<str:key>/",
        "/briefing/register/training-999999-v1/",
        note="no such module: not found by those who read registers, a 403 to those who read none",
        not_found=BRIEFING,
    ),
    Expect(
        "briefing/register/<str:key>/export/<str:fmt>/",
        lambda w: f"/briefing/register/{_register_key(w)}/export/csv/",
        allowed=BRIEFING,
        not_found=NONE,
    ),
    Expect(
        "briefing/reminders/",
        "/briefing/reminders/",
        allowed=CHASERS,
        note="the digest log and Send now",
        not_found=NONE,
    ),
    Expect(
        "briefing/reminders/send/",
        "/briefing/reminders/send/",
        note="POST only: every GET is 405",
        not_found=NONE,
        method_not_allowed=EVERYONE,
    ),
    Expect(
        "briefing/<slug:slug>/",
        "/briefing/brook/",
        allowed=BRIEFING_BROOK,
        note="other schools: 404",
        not_found=BRIEFING - BRIEFING_BROOK,
    ),
    Expect(
        "briefing/<slug:slug>/",
        "/briefing/castle/",
        allowed=frozenset({"dt_castle", "head", "admin"}),
        note="brook's governor and designated teacher do not find castle",
        not_found=frozenset({"governor", "dt"}),
    ),
    Expect(
        "briefing/<slug:slug>/",
        "/briefing/no-such-school/",
        note="a school that does not exist answers as one outside your scope",
        not_found=BRIEFING,
    ),
    Expect(
        "briefing/<slug:slug>/export/<str:fmt>/",
        "/briefing/brook/export/xlsx/",
        allowed=BRIEFING_BROOK,
        not_found=BRIEFING - BRIEFING_BROOK,
    ),
    Expect(
        "briefing/<slug:slug>/annual-report/",
        "/briefing/brook/annual-report/",
        allowed=BRIEFING_BROOK,
        note="the designated teacher's annual report (PDF); other schools: 404; staff and no role: 403",
        not_found=BRIEFING - BRIEFING_BROOK,
    ),
    Expect(
        "briefing/<slug:slug>/annual-report/",
        "/briefing/castle/annual-report/",
        allowed=frozenset({"dt_castle", "head", "admin"}),
        not_found=frozenset({"governor", "dt"}),
    ),
    *[
        Expect(
            f"admin/reminder-runs/{route}",
            lambda w, path=path: f"/admin/reminder-runs/{path(w)}",
            allowed=allowed,
            not_found=NONE,
        )
        for route, path, allowed in [
            ("", lambda w: "", REMINDER_RUN_READERS),
            ("results/", lambda w: "results/", REMINDER_RUN_READERS),
            ("inspect/<int:pk>/", lambda w: f"inspect/{w['reminder_run'].pk}/", REMINDER_RUN_READERS),
            ("new/", lambda w: "new/", frozenset()),
            ("edit/<int:pk>/", lambda w: f"edit/{w['reminder_run'].pk}/", frozenset()),
            ("delete/<int:pk>/", lambda w: f"delete/{w['reminder_run'].pk}/", frozenset()),
            ("history/<int:pk>/", lambda w: f"history/{w['reminder_run'].pk}/", frozenset()),
            ("history-results/<int:pk>/", lambda w: f"history-results/{w['reminder_run'].pk}/", frozenset()),
            ("usage/<int:pk>/", lambda w: f"usage/{w['reminder_run'].pk}/", frozenset()),
        ]
    ],
]

# A training module for staff (made in build_world): governors and no role do not find it. (Module pages are
# served under Wagtail's catch-all route.)
MODULE_READERS = EVERYONE - {"governor", "nobody"}
EXPECTATIONS += [
    Expect(
        r"^((?:[\w\-]+/)*)$",
        lambda w: w["training_module"].url,
        allowed=MODULE_READERS,
        not_found=EVERYONE - MODULE_READERS,
    ),
]

# Admin screens of our own: every route under these needs its own Expect.
OWN_ADMIN_PREFIXES = ["admin/reminder-runs/"]
