"""Demo casework: each school's calendar for 2026/27 and 2027/28 and realistic children. Idempotent.

Dates are worked out from today on each school's own calendar, so the dashboard shows, in every
school: a PEP overdue, a PEP due within five school days, a review coming up with neither report nor
representative, and a child mid-transition.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from trust.models import NonTeachingDay, School, Term
from trust.school_days import DayUnit, MissingTermDates, SchoolCalendar

from .deadlines import season_of
from .enums import Cohort, DelegatedSection, PEPStatus, PlacementKind, SENStatus
from .models import (
    PEP,
    Activity,
    CaseDocument,
    Child,
    DeadlineRule,
    Delegation,
    LinkedPlan,
    LocalAuthority,
    Placement,
    PPPlusRequest,
    Review,
    SharedRecommendation,
    Suspension,
    Target,
    TargetProgress,
    Transition,
)
from .models.pupil_premium import PPPlusAnswer
from .upn import check_letter

D = datetime.date

# Academies set their own dates: castle starts a day later and takes a different INSET pattern.
TERMS = {
    "2026/27": [
        ("Autumn 1", D(2026, 9, 2), D(2026, 10, 23)),
        ("Autumn 2", D(2026, 11, 2), D(2026, 12, 18)),
        ("Spring 1", D(2027, 1, 4), D(2027, 2, 12)),
        ("Spring 2", D(2027, 2, 22), D(2027, 3, 25)),
        ("Summer 1", D(2027, 4, 12), D(2027, 5, 28)),
        ("Summer 2", D(2027, 6, 7), D(2027, 7, 21)),
    ],
    "2027/28": [
        ("Autumn 1", D(2027, 9, 1), D(2027, 10, 22)),
        ("Autumn 2", D(2027, 11, 1), D(2027, 12, 17)),
        ("Spring 1", D(2028, 1, 4), D(2028, 2, 11)),
        ("Spring 2", D(2028, 2, 21), D(2028, 4, 7)),
        ("Summer 1", D(2028, 4, 24), D(2028, 5, 26)),
        ("Summer 2", D(2028, 6, 5), D(2028, 7, 20)),
    ],
}
INSET = {
    "brook": [
        D(2026, 9, 2),
        D(2026, 11, 2),
        D(2027, 1, 4),
        D(2027, 6, 7),
        D(2027, 7, 21),
        D(2027, 9, 1),
        D(2027, 11, 1),
        D(2028, 1, 4),
        D(2028, 6, 5),
        D(2028, 7, 20),
    ],
    "meadow": [
        D(2026, 9, 2),
        D(2026, 9, 3),
        D(2027, 1, 4),
        D(2027, 4, 12),
        D(2027, 7, 21),
        D(2027, 9, 1),
        D(2027, 9, 2),
        D(2028, 1, 4),
        D(2028, 4, 24),
        D(2028, 7, 20),
    ],
    "castle": [
        D(2026, 9, 2),
        D(2026, 9, 3),
        D(2026, 10, 23),
        D(2027, 2, 22),
        D(2027, 7, 21),
        D(2027, 9, 1),
        D(2027, 9, 2),
        D(2027, 10, 22),
        D(2028, 2, 21),
        D(2028, 7, 20),
    ],
}
CLOSURES = {"meadow": [(D(2027, 5, 6), "Polling station")], "castle": [(D(2028, 5, 4), "Polling station")]}

AUTHORITIES = [
    ("Leicestershire", "Jo Barnes", "virtual.school@leics.example"),
    ("Leicester", "Sam Okafor", "virtual.school@leicester.example"),
    ("Gateshead", "Pat Elliot", "virtual.school@gateshead.example"),
]
LA_NUMBERS = {"brook": "855", "meadow": "855", "castle": "856"}
ESTABLISHMENT = {"brook": "2001", "meadow": "2002", "castle": "4003"}

CHILDREN = {
    "brook": [
        ("Tyler", "Hughes", "Ty"),
        ("Maisie", "Cartwright", ""),
        ("Jayden", "Okoro", ""),
        ("Lily-Mae", "Parsons", "Lily"),
        ("Oliver", "Nowak", ""),
        ("Aaliyah", "Begum", ""),
    ],
    "meadow": [
        ("Harrison", "Webb", "Harry"),
        ("Skye", "Donnelly", ""),
        ("Kacper", "Zielinski", ""),
        ("Poppy", "Marsh", ""),
        ("Reuben", "Asante", ""),
        ("Evie", "Lockwood", ""),
    ],
    "castle": [
        ("Mason", "Kirby", ""),
        ("Amelia", "Sutcliffe", "Millie"),
        ("Tariq", "Hussain", ""),
        ("Summer", "Doyle", ""),
        ("Callum", "Fraser", "Cal"),
        ("Zofia", "Kowalska", ""),
    ],
}
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _calendar(school):
    for year, parts in TERMS.items():
        for name, start, end in parts:
            Term.objects.get_or_create(
                school=school, starts_on=start, defaults={"academic_year": year, "name": name, "ends_on": end}
            )
    for day in INSET[school.slug]:
        NonTeachingDay.objects.get_or_create(
            school=school, date=day, defaults={"kind": NonTeachingDay.Kind.INSET, "reason": "Staff training"}
        )
    for day, reason in CLOSURES.get(school.slug, []):
        NonTeachingDay.objects.get_or_create(
            school=school, date=day, defaults={"kind": NonTeachingDay.Kind.CLOSURE, "reason": reason}
        )


def _upn(slug, n):
    body = f"{LA_NUMBERS[slug]}{ESTABLISHMENT[slug]}{(2016 + n) % 100:02d}{n + 1:03d}"
    return check_letter(body) + body


def _document(child, title, category="general"):
    document = CaseDocument.objects.filter(child=child, title=title).first()
    if document is None:
        document = CaseDocument(
            child=child,
            title=title,
            category=category,
            original_name=f"{title}.pdf",
            content_type="application/pdf",
            extension="pdf",
            size=len(DEMO_PDF),
        )
        document.file.save("demo.pdf", ContentFile(DEMO_PDF), save=False)
        document.save()
    return document


def _dates(calendar, today):
    """The anchor dates each story needs, on this school's calendar (fixed dates if today has no terms)."""
    try:
        soon_due = calendar.add(today, 3, DayUnit.SCHOOL)
        return {
            "overdue_start": calendar.subtract(today, 30, DayUnit.SCHOOL),
            "soon_start": calendar.subtract(soon_due, 20, DayUnit.SCHOOL),
            "review_on": calendar.add(today, 6, DayUnit.SCHOOL),
            "left_on": calendar.subtract(today, 8, DayUnit.SCHOOL),
            "term": calendar.current_or_next_term(today),
        }
    except MissingTermDates:
        return {
            "overdue_start": D(2026, 10, 5),
            "soon_start": D(2026, 11, 5),
            "review_on": D(2026, 12, 8),
            "left_on": D(2026, 11, 18),
            "term": calendar.current_or_next_term(D(2026, 11, 30)),
        }


# What the sign-off rule asks of a signed-off demo PEP (with a target, attendance and PP+ within the request).
COMPLETE_PEP = {
    "voice_going_well": "I like art and my new friends.",
    "voice_worries": "Times tables tests.",
    "voice_hopes": "To be in the football team.",
    "voice_helps_me_learn": "Sitting near the front and being told what comes next.",
    "education_history": "Two primary schools before this one; settled since Year 3.",
    "current_arrangements": "Full time in the year group class.",
    "sen_provision": "None beyond quality-first teaching.",
    "planned_changes": "None planned.",
    "minimising_disruption": "Any move would keep this school (the carer drives).",
    "leisure_interests": "Football on Saturdays; art club.",
    "carers_role": "Reads with the child each night and comes to every PEP meeting.",
}


def _request_pp_plus(pep, amount, answered):
    """The termly PP+ request to the child's responsible LA's virtual school (approved, when answered)."""
    if pep.ppplus_requests.exists() or not pep.child.responsible_authority_id:
        return
    PPPlusRequest.objects.create(
        pep=pep,
        local_authority_id=pep.child.responsible_authority_id,
        requested_on=pep.period_starts_on + datetime.timedelta(days=14),
        amount_requested=amount,
        purpose="Maths tutoring and art materials, against the PEP's targets.",
        answer=PPPlusAnswer.APPROVED if answered else PPPlusAnswer.AWAITING,
        answered_on=pep.period_starts_on + datetime.timedelta(days=28) if answered else None,
        amount_approved=amount if answered else None,
    )


def _sign_off(pep, dt):
    """Through the workflow, so the sign-off rule checks the demo too."""
    if pep.status == PEPStatus.IN_PROGRESS:
        pep.move_to(PEPStatus.READY, dt)
    pep.move_to(PEPStatus.SIGNED_OFF, dt)


def _pep(child, term, status, **extra):
    season = season_of(term.starts_on)
    parts = [
        t
        for t in Term.objects.filter(school=child.school, academic_year=term.academic_year)
        if season_of(t.starts_on) == season
    ]
    pep, created = PEP.objects.get_or_create(
        child=child,
        academic_year=term.academic_year,
        term=season,
        defaults={
            "period_starts_on": min(p.starts_on for p in parts),
            "period_ends_on": max(p.ends_on for p in parts),
            "status": status,
            **extra,
        },
    )
    return pep, created


def load():
    today = timezone.localdate()
    User = get_user_model()
    authorities = {}
    for name, head, email in AUTHORITIES:
        authorities[name], _ = LocalAuthority.objects.get_or_create(
            name=name, defaults={"virtual_school_head": head, "virtual_school_email": email}
        )
    # Gateshead counts the initial PEP in working days (DOMAIN.md): its own rule.
    DeadlineRule.objects.get_or_create(
        kind="initial_pep",
        local_authority=authorities["Gateshead"],
        school=None,
        defaults={"days": 20, "unit": DayUnit.WORKING},
    )

    for school in School.objects.filter(slug__in=CHILDREN):
        _calendar(school)
        calendar = SchoolCalendar.for_school(school)
        anchors = _dates(calendar, today)
        dt = User.objects.filter(username=f"dt.{school.slug}@symphony.example").first()
        home_la = authorities["Leicester" if school.slug == "castle" else "Leicestershire"]
        stories = ["overdue", "soon", "review", "transition", "previously", "settled"]
        for n, ((first, last, preferred), story) in enumerate(zip(CHILDREN[school.slug], stories, strict=True)):
            started = {"overdue": anchors["overdue_start"], "soon": anchors["soon_start"]}.get(story, D(2025, 9, 3))
            la = authorities["Gateshead"] if (story == "settled" and school.slug == "castle") else home_la
            child, created = Child.objects.get_or_create(
                school=school,
                legal_first_name=first,
                legal_last_name=last,
                defaults={
                    "preferred_name": preferred,
                    "date_of_birth": D(2015 + n % 4, 1 + (n * 2) % 12, 3 + n * 4),
                    "upn": _upn(school.slug, n),
                    "year_group": str(6 - n % 4),
                    "responsible_authority": la,
                    "social_worker_name": f"{['Alex', 'Morgan', 'Priya', 'Tom', 'Nadia', 'Chris'][n]} Social Worker",
                    "social_worker_email": f"sw{n + 1}@{la.name.lower()}.example",
                    "cohort": Cohort.PREVIOUSLY_LOOKED_AFTER if story == "previously" else Cohort.LOOKED_AFTER,
                    "entered_care_on": D(2024, 3, 11) if story != "previously" else D(2019, 5, 2),
                    "started_on": started,
                    "left_on": anchors["left_on"] if story == "transition" else None,
                    "sen_status": SENStatus.EHCP
                    if story == "settled"
                    else (SENStatus.SEN_SUPPORT if story in ("review", "previously") else SENStatus.NONE),
                },
            )
            if not created:
                continue
            _people_around(child, n, la)
            term = anchors["term"]
            if story == "review":
                pep, _ = _pep(
                    child,
                    term,
                    PEPStatus.IN_PROGRESS,  # signed off below, once it is complete
                    childs_views="Likes art and wants to be in the football team.",
                    carers_views="Settled well; homework routine is working.",
                    **COMPLETE_PEP,
                    sessions_possible=110,
                    sessions_attended=104,
                )
                _request_pp_plus(pep, Decimal("600"), answered=True)
                Target.objects.create(
                    pep=pep,
                    area="Art",
                    what="Finish a sketchbook project for the school exhibition",
                    how_measured="Sketchbook pages completed",
                    baseline="2 pages",
                    target="12 pages",
                    by_when=pep.period_ends_on,
                    who="Art teacher",
                    status="on_track",
                    ppplus_allocated=Decimal("250"),
                    ppplus_spent=Decimal("120"),
                )
                _sign_off(pep, dt)
                Review.objects.create(child=child, kind="statutory", held_on=anchors["review_on"])
            if story in ("settled", "transition"):
                pep, _ = _pep(
                    child,
                    term,
                    PEPStatus.IN_PROGRESS,  # the settled child's is signed off once its targets are in
                    meeting_date=pep_meeting(term),
                    attendees="Designated teacher\nSocial worker\nFoster carer\nVirtual school adviser",
                    childs_views="Wants help with times tables.",
                    carers_views="Would like more reading at home.",
                    attainment="Reading: working towards expected. Maths: expected.",
                    **COMPLETE_PEP,
                    sessions_possible=120,
                    sessions_attended=116 if story == "settled" else 104,  # 86.7%: persistent absence flagged
                )
                _request_pp_plus(pep, Decimal("800"), answered=story == "settled")
                target = Target.objects.create(
                    pep=pep,
                    area="Maths",
                    what="Recall the 6, 7 and 8 times tables",
                    how_measured="Weekly 20-question check",
                    baseline="8 out of 20",
                    target="18 out of 20",
                    by_when=min(pep.period_ends_on, max(pep.period_starts_on, today - datetime.timedelta(days=7))),
                    who="Class teacher with a teaching assistant",
                    status="on_track",
                    ppplus_allocated=Decimal("300"),
                    ppplus_spent=Decimal("180"),
                )
                TargetProgress.objects.create(
                    target=target,
                    note="Up to 13 out of 20.",
                    noted_by=dt,
                    noted_on=pep.period_starts_on + datetime.timedelta(days=21),
                )
                Activity.objects.create(
                    child=child,
                    activity="Saturday maths club",
                    provider="Local library",
                    starts_on=pep.period_starts_on,
                    attendance="6 of 7 sessions",
                    ppplus_funded=True,
                    target=target,
                )
                Review.objects.create(
                    child=child, kind="pep", held_on=anchors["review_on"], representative="Designated teacher"
                )
                if story == "settled":  # a signed-off PEP is locked, so it is signed off last
                    _sign_off(pep, dt)
                if story == "transition":
                    Suspension.objects.get_or_create(
                        child=child,
                        starts_on=pep.period_starts_on + datetime.timedelta(days=15),
                        defaults={"length_days": Decimal("1"), "reason": "Persistent disruption in lessons."},
                    )
                staff = User.objects.filter(username=f"staff1.{school.slug}@symphony.example").first()
                if staff and story == "settled":
                    SharedRecommendation.objects.create(
                        pep=pep,
                        recommendation="Give a quiet five-minute check-in at the start of each maths lesson "
                        "and use the times-tables cards from the PEP.",
                        shared_with=staff,
                        shared_by=dt,
                    )
            if story == "settled":
                plan_doc = _document(child, "EHC plan 2026", category="sen")
                LinkedPlan.objects.create(
                    child=child, kind="ehcp", dated=D(2026, 3, 14), reference="EHCP-4471", document=plan_doc
                )
            if story == "previously":
                LinkedPlan.objects.create(child=child, kind="psp", dated=D(2026, 10, 5), reference="PSP-12")
            if story == "transition":
                records = _document(child, "Educational record")
                pep_doc = _document(child, "Latest PEP")
                transition = Transition.objects.create(
                    child=child,
                    receiving_school="Hill Top Academy",
                    receiving_dt_name="Rita Shah",
                    receiving_dt_email="dt@hilltop.example",
                    left_on=anchors["left_on"],
                )
                transition.documents.add(records, pep_doc)
                if dt:
                    transition.issue_link(dt)  # sent; the receiving school has not confirmed yet
            _document(child, "Care plan (from the local authority)")
    _mentor_delegation(today)
    return {}


MENTOR = "mentor.brook@symphony.example"


def _people_around(child, n, la):
    """The IRO, the SENCO and the placements (the current one and, for some, the one before a move)."""
    iro = ["Ruth", "Dev", "Helen", "Sam", "Grace", "Imran"][n]
    Child.objects.filter(pk=child.pk).update(
        social_worker_phone=f"0116 496 0{n + 1:03d}",
        iro_name=f"{iro} Reviewing Officer",
        iro_email=f"iro{n + 1}@{la.name.lower()}.example",
        iro_phone=f"0116 496 1{n + 1:03d}",
        senco_name="Mrs Patel (SENCO)",
        senco_email=f"senco@{child.school.slug}.symphony.example",
    )
    moved_on = datetime.date(2025, 2, 3)
    if n % 2:
        Placement.objects.create(
            child=child,
            kind=PlacementKind.RESIDENTIAL,
            carer_name="Willow House (manager: Kim Lee)",
            starts_on=datetime.date(2024, 3, 11),
            ends_on=moved_on - datetime.timedelta(days=1),
        )
    Placement.objects.create(
        child=child,
        kind=PlacementKind.KINSHIP if n == 5 else PlacementKind.FOSTER,
        carer_name=["Jo and Pat Green", "Lynn Brooks", "Ade Okafor", "Mary Evans", "Tariq Hussain", "Aunt Rose"][n],
        carer_phone=f"07700 900{n + 1:03d}",
        provider="" if n == 5 else "County Fostering Service",
        starts_on=moved_on if n % 2 else datetime.date(2024, 3, 11),
        reason_for_move="Moved closer to school and siblings" if n % 2 else "",
    )


def _mentor_delegation(today):
    """brook's learning mentor enters Ty's targets and activities for six months; his PEP is in progress."""
    User = get_user_model()
    mentor = User.objects.filter(username=MENTOR).first()
    dt = User.objects.filter(username="dt.brook@symphony.example").first()
    child = Child.objects.filter(school__slug="brook", legal_first_name="Tyler", legal_last_name="Hughes").first()
    if not (mentor and dt and child):
        return
    _acknowledge_children_in_care_policy(mentor)
    term = SchoolCalendar.for_school(child.school).current_or_next_term(today)
    if term is not None:
        _pep(child, term, PEPStatus.IN_PROGRESS, childs_views="Wants to join the football team.")
    if not Delegation.objects.filter(child=child, delegate=mentor).exists():
        Delegation.objects.create(
            child=child,
            delegate=mentor,
            sections=[DelegatedSection.TARGETS, DelegatedSection.ACTIVITIES],
            ends_on=today + datetime.timedelta(days=182),
            granted_by=dt,
        )


def _acknowledge_children_in_care_policy(user):
    """As dt.brook has: the casework gate applies to delegates too."""
    from policy.acknowledgements import create_receipt, existing_receipt
    from policy.demo import POLICY_SLUG, RIGHT_ANSWERS
    from policy.models import PolicyPage
    from policy.versions import current_version

    page = PolicyPage.objects.filter(slug=POLICY_SLUG).first()
    version = current_version(page) if page else None
    if version is None or existing_receipt(user, page, version.number):
        return
    answers = [{"question": q["question"], "answer": q["correct_answer"], "correct": True} for q in RIGHT_ANSWERS]
    create_receipt(user, page, version, version.revision_id, answers=answers)


def pep_meeting(term):
    return term.starts_on + datetime.timedelta(days=14) if term else None
