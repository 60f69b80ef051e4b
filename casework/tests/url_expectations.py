"""Casework's URLs (and the school calendar screens in the admin) × every persona."""

import dataclasses

from portal.tests.access import EVERYONE, Expect
from trust.tests.url_expectations import viewset_expectations

DT_ONLY = frozenset({"dt"})  # designated teacher of brook (the in-scope child) and meadow
BOTH_DTS = frozenset({"dt", "dt_castle"})
TRUST_ADMIN = frozenset({"admin"})
DPO = frozenset({"dpo"})  # the data protection officer: access logs by record number, subject access exports
MODELS = [
    "child",
    "pep",
    "target",
    "linkedplan",
    "review",
    "activity",
    "placement",
    "casedocument",
    "transition",
    "sharedrecommendation",
    "delegation",
    "suspension",
    "ppplusrequest",
    "careepisode",
]
RULE_KEEPERS = frozenset({"head", "admin"})  # trust-wide and local authority deadline rules
CASTLE_DT = frozenset({"dt_castle"})
# Refused how (portal/tests/access.py): a record outside the person's schools is a 404, so its existence does
# not leak; a screen with no record, or a record in their scope that is not theirs to change, is a 403.
# Only these personas reach the Wagtail admin at all: everyone else is refused it whole (a 403, any object).
ADMIN_USERS = frozenset({"dt", "dt_castle", "head", "admin"})
NONE = frozenset()


def build_world(personas):
    from .factories import (
        CaseDocumentFactory,
        ChildFactory,
        PEPFactory,
        ReviewFactory,
        TargetFactory,
        TransitionFactory,
        add_terms,
    )

    world = {}
    for key, school in (("brook", personas.brook), ("castle", personas.castle)):
        add_terms(school, 2026)
        child = ChildFactory(school=school, legal_first_name=f"Secret{key.title()}")
        pep = PEPFactory(child=child)
        document = CaseDocumentFactory(child=child)
        transition = TransitionFactory(child=child)
        transition.documents.add(document)
        from casework.models import (
            Activity,
            DeadlineRule,
            LinkedPlan,
            Placement,
            PPPlusRequest,
            SharedRecommendation,
            Suspension,
        )

        world[f"cw_{key}"] = {
            "child": child,
            "pep": pep,
            "target": TargetFactory(pep=pep),
            "review": ReviewFactory(child=child),
            "casedocument": document,
            "transition": transition,
            "linkedplan": LinkedPlan.objects.create(child=child, kind="iep", dated=pep.period_starts_on),
            "activity": Activity.objects.create(child=child, activity="Drama club", starts_on=pep.period_starts_on),
            "placement": Placement.objects.create(
                child=child, kind="foster", carer_name="Pat Carer", starts_on=pep.period_starts_on
            ),
            "sharedrecommendation": SharedRecommendation.objects.create(
                pep=pep,
                recommendation="Use visual timetables",
                shared_with=personas.staff if key == "brook" else personas.dt_castle,
            ),
            "deadlinerule": DeadlineRule.objects.create(kind="transfer", days=15, unit="school", school=school),
            "suspension": Suspension.objects.create(
                child=child, starts_on=pep.period_starts_on, length_days=1, reason="Fighting"
            ),
            "ppplusrequest": PPPlusRequest.objects.create(
                pep=pep,
                local_authority=child.responsible_authority,
                requested_on=pep.period_starts_on,
                amount_requested=500,
                purpose="Tutoring",
            ),
            "careepisode": child.care_episodes.get(),
            "term": school.terms.first(),
            "nonteachingday": school.non_teaching_days.create(date=pep.period_starts_on, kind="inset"),
        }
    from casework.models import DeadlineRule, LocalAuthority

    world["cw_delegation"] = _delegations(personas, world["cw_brook"]["child"])
    world["cw_brook"]["delegation"] = world["cw_delegation"]["delegation"]
    world["cw_castle"]["delegation"] = _castle_delegation(personas, world["cw_castle"]["child"])
    world["cw_la"] = LocalAuthority.objects.first()
    from casework.models import PPPlusRate

    world["cw_rate"] = PPPlusRate.objects.get(financial_year="2025-26")
    world["cw_rules"] = {
        "trust": DeadlineRule.objects.create(kind="initial_pep", days=20, unit="school"),
        "la": DeadlineRule.objects.create(kind="initial_pep", days=10, unit="working", local_authority=world["cw_la"]),
    }
    return world


def _delegations(personas, child):
    """The delegate persona helps with brook's child; two other brook children's delegations they cannot use."""
    import datetime

    from casework.models import Delegation
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    from .factories import ChildFactory

    ends_on = datetime.date.today() + datetime.timedelta(days=90)
    mine = Delegation.objects.create(
        child=child, delegate=personas.delegate, sections=["targets"], ends_on=ends_on, granted_by=personas.dt
    )
    colleague = UserFactory(email="colleague.brook@symphony.example")
    MembershipFactory(user=colleague, role=Role.STAFF, school=personas.brook)
    other_child = ChildFactory(school=personas.brook, legal_first_name="SecretOther")
    theirs = Delegation.objects.create(
        child=other_child, delegate=colleague, sections=["views"], ends_on=ends_on, granted_by=personas.dt
    )
    withdrawn = Delegation.objects.create(
        child=other_child,
        delegate=personas.delegate,
        sections=["views"],
        ends_on=ends_on,
        granted_by=personas.dt,
        withdrawn_at=datetime.datetime.now(datetime.UTC),
        withdrawal_reason="No longer needed",
    )
    return {"delegation": mine, "other_child": theirs, "withdrawn": withdrawn}


def _castle_delegation(personas, child):
    import datetime

    from casework.models import Delegation
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    helper = UserFactory(email="helper.castle@symphony.example")
    MembershipFactory(user=helper, role=Role.STAFF, school=personas.castle)
    ends_on = datetime.date.today() + datetime.timedelta(days=90)
    return Delegation.objects.create(
        child=child, delegate=helper, sections=["activities"], ends_on=ends_on, granted_by=personas.dt_castle
    )


# A delegation is withdrawn, never deleted: its delete screen is refused to everyone.
NOT_DELETABLE = {"delegation", "careepisode"}  # care episodes: the deadlines rest on them


def _admin(model):
    base = f"admin/^casework/{model}/"
    items = [
        Expect(f"{base}$", f"/admin/casework/{model}/", allowed=BOTH_DTS, not_found=NONE),
        Expect(f"{base}create/$", f"/admin/casework/{model}/create/", allowed=BOTH_DTS, not_found=NONE),
    ]
    for action in ("edit", "delete", "inspect"):
        route = f"{base}{action}/(?P<instance_pk>[-\\w]+)/$"
        items.append(
            Expect(
                route,
                lambda w, m=model, a=action: f"/admin/casework/{m}/{a}/{w['cw_brook'][m].pk}/",
                allowed=frozenset() if (action == "delete" and model in NOT_DELETABLE) else DT_ONLY,
                note="brook's record: only brook's designated teacher",
                not_found=ADMIN_USERS - DT_ONLY,
            )
        )
    return items


def _out_of_scope(model, action):
    """The same screens on castle's record: dt (brook and meadow) is refused too."""
    return Expect(
        f"admin/^casework/{model}/{action}/(?P<instance_pk>[-\\w]+)/$",
        lambda w: f"/admin/casework/{model}/{action}/{w['cw_castle'][model].pk}/",
        allowed=frozenset() if (action == "delete" and model in NOT_DELETABLE) else frozenset({"dt_castle"}),
        not_found=ADMIN_USERS - CASTLE_DT,
    )


def _rule_screens(which, edit_by, inspect_by, hidden_from=NONE):
    """A deadline rule's edit, delete and inspect screens: `which` picks it from the world; `hidden_from`
    may not see it at all (another school's rule: a 404)."""
    route = "admin/^casework/deadlinerule/{}/(?P<instance_pk>[-\\w]+)/$"
    return [
        Expect(
            route.format(action),
            lambda w, a=action: f"/admin/casework/deadlinerule/{a}/{which(w).pk}/",
            allowed=inspect_by if action == "inspect" else edit_by,
            not_found=hidden_from,
        )
        for action in ("edit", "delete", "inspect")
    ]


# A school's rules are its DT's (the trust's keepers read them); trust and LA rules are the keepers' (DTs read them).
DEADLINE_RULES = [
    Expect(
        "admin/^casework/deadlinerule/$",
        "/admin/casework/deadlinerule/",
        allowed=BOTH_DTS | RULE_KEEPERS,
        not_found=NONE,
    ),
    Expect(
        "admin/^casework/deadlinerule/create/$",
        "/admin/casework/deadlinerule/create/",
        allowed=BOTH_DTS | RULE_KEEPERS,
        not_found=NONE,
    ),
    *_rule_screens(lambda w: w["cw_brook"]["deadlinerule"], DT_ONLY, DT_ONLY | RULE_KEEPERS, CASTLE_DT),
    *_rule_screens(lambda w: w["cw_castle"]["deadlinerule"], CASTLE_DT, CASTLE_DT | RULE_KEEPERS, DT_ONLY),
    *_rule_screens(lambda w: w["cw_rules"]["trust"], RULE_KEEPERS, BOTH_DTS | RULE_KEEPERS),
    *_rule_screens(lambda w: w["cw_rules"]["la"], RULE_KEEPERS, BOTH_DTS | RULE_KEEPERS),
]

# PP+ rates hold no child data: the trust administrator keeps them; designated teachers read them.
_RATE = "admin/^casework/ppplusrate/"
PP_PLUS_RATES = [
    Expect(f"{_RATE}$", "/admin/casework/ppplusrate/", allowed=BOTH_DTS | TRUST_ADMIN, not_found=NONE),
    Expect(f"{_RATE}create/$", "/admin/casework/ppplusrate/create/", allowed=TRUST_ADMIN, not_found=NONE),
    *[
        Expect(
            f"{_RATE}{action}/(?P<instance_pk>[-\\w]+)/$",
            lambda w, a=action: f"/admin/casework/ppplusrate/{a}/{w['cw_rate'].pk}/",
            allowed=BOTH_DTS | TRUST_ADMIN if action == "inspect" else TRUST_ADMIN,
            not_found=NONE,
        )
        for action in ("edit", "delete", "inspect")
    ],
]

_LA = "admin/^casework/localauthority/"
EXPECTATIONS = [
    *[e for model in MODELS for e in _admin(model)],
    *DEADLINE_RULES,
    *PP_PLUS_RATES,
    Expect(f"{_LA}$", "/admin/casework/localauthority/", allowed=BOTH_DTS, not_found=NONE),
    Expect(f"{_LA}create/$", "/admin/casework/localauthority/create/", allowed=BOTH_DTS, not_found=NONE),
    # Local authorities are the designated teachers' reference data: to other admin users, none exists.
    Expect(
        f"{_LA}edit/(?P<instance_pk>[-\\w]+)/$",
        lambda w: f"/admin/casework/localauthority/edit/{w['cw_la'].pk}/",
        allowed=BOTH_DTS,
        not_found=ADMIN_USERS - BOTH_DTS,
    ),
    Expect(
        f"{_LA}inspect/(?P<instance_pk>[-\\w]+)/$",
        lambda w: f"/admin/casework/localauthority/inspect/{w['cw_la'].pk}/",
        allowed=BOTH_DTS,
        not_found=ADMIN_USERS - BOTH_DTS,
    ),
    Expect(
        f"{_LA}delete/(?P<instance_pk>[-\\w]+)/$",
        lambda w: f"/admin/casework/localauthority/delete/{w['cw_la'].pk}/",
        allowed=frozenset(),
        note="children point at local authorities: nobody deletes them",
        not_found=ADMIN_USERS - BOTH_DTS,
    ),
    Expect(
        "admin/casework/import-children/", "/admin/casework/import-children/", allowed=BOTH_DTS, not_found=NONE
    ),
    Expect("casework/", "/casework/", allowed=BOTH_DTS),
    Expect("casework/deadlines.ics", "/casework/deadlines.ics", allowed=BOTH_DTS),
    Expect(
        "casework/children/<int:pk>/", lambda w: f"/casework/children/{w['cw_brook']['child'].pk}/", allowed=DT_ONLY
    ),
    Expect(
        "casework/access-log/",
        "/casework/access-log/",
        allowed=BOTH_DTS | DPO,
        note="designated teachers see their own children; the DPO sees every record by number",
    ),
    Expect(
        "casework/children/<int:pk>/access-log/",
        lambda w: f"/casework/children/{w['cw_brook']['child'].pk}/access-log/",
        allowed=DT_ONLY | DPO,
        note="the data protection officer reads any child's access log (the trust administrator does not)",
    ),
    Expect(
        "casework/children/<int:pk>/subject-access-export/",
        lambda w: f"/casework/children/{w['cw_brook']['child'].pk}/subject-access-export/",
        allowed=DPO,
        note="the DPO only (a GET is the request-reference form; the POST returns the ZIP): not the trust "
        "administrator, not the child's own designated teacher (a 403: the child is theirs to see)",
        not_found=EVERYONE - DPO - DT_ONLY,
    ),
    Expect(
        "casework/documents/<int:pk>/download/",
        lambda w: f"/casework/documents/{w['cw_brook']['casedocument'].pk}/download/",
        allowed=DT_ONLY,
    ),
    Expect(
        "casework/peps/<int:pk>/pdf/",
        lambda w: f"/casework/peps/{w['cw_brook']['pep'].pk}/pdf/",
        allowed=DT_ONLY,
    ),
    Expect(
        "casework/recommendations/<int:pk>/acknowledge/",
        lambda w: f"/casework/recommendations/{w['cw_brook']['sharedrecommendation'].pk}/acknowledge/",
        allowed=frozenset(),
        note="POST only, by the named member of staff: a GET is 405 for everyone",
    ),
    Expect(
        "casework/peps/<int:pk>/status/",
        lambda w: f"/casework/peps/{w['cw_brook']['pep'].pk}/status/",
        allowed=frozenset(),
        note="POST only: a GET is refused (405) for the DT and 404 for everyone else",
    ),
    Expect(
        "casework/transitions/<int:pk>/",
        lambda w: f"/casework/transitions/{w['cw_brook']['transition'].pk}/",
        allowed=DT_ONLY,
    ),
    Expect(
        "casework/transitions/<int:pk>/child-protection/",
        lambda w: f"/casework/transitions/{w['cw_brook']['transition'].pk}/child-protection/",
        allowed=frozenset(),
        note="POST only: a GET is refused (405) for the DT and 404 for everyone else",
    ),
    Expect(
        "casework/peps/<int:pk>/send-to-social-worker/",
        lambda w: f"/casework/peps/{w['cw_brook']['pep'].pk}/send-to-social-worker/",
        allowed=frozenset(),
        note="POST only: a GET is refused (405) for the DT and 404 for everyone else",
    ),
    Expect(
        "casework/transitions/<int:pk>/send-file/",
        lambda w: f"/casework/transitions/{w['cw_brook']['transition'].pk}/send-file/",
        allowed=frozenset(),
        note="POST only: a GET is refused (405) for the DT and 404 for everyone else",
    ),
    Expect(
        "casework/receive/",
        "/casework/receive/?link=not-a-real-token",
        anonymous_ok=True,
        allowed_status=(404,),
        note="the emailed link: an unknown or expired token is a 404 for everyone",
    ),
    Expect(
        "casework/receive/<int:pk>/",
        lambda w: f"/casework/receive/{w['cw_brook']['transition'].pk}/",
        anonymous_ok=True,
        allowed_status=(404,),
        note="the token-free page opens only with the cookie its link was exchanged for: a 404 without it",
    ),
    Expect(
        "casework/receive/<str:token>/",
        "/casework/receive/not-a-real-token/",
        anonymous_ok=True,
        allowed_status=(404,),
        note="the link is the key: an unknown or expired token is a 404 for everyone",
    ),
    # School calendars (trust/calendar_admin.py): the trust administrator keeps them.
    *viewset_expectations("trust/terms", lambda w: w["cw_brook"]["term"].pk),
    *viewset_expectations("trust/non-teaching-days", lambda w: w["cw_brook"]["nonteachingday"].pk),
    Expect("admin/trust/calendar/import/", "/admin/trust/calendar/import/", allowed=TRUST_ADMIN, not_found=NONE),
    Expect(
        "admin/trust/calendar/<slug:slug>/export.ics",
        "/admin/trust/calendar/brook/export.ics",
        allowed=TRUST_ADMIN,
        not_found=NONE,
    ),
]

DELEGATE = frozenset({"delegate"})
# Delegated entry: only the delegate, only their own active delegation (a DT uses the admin instead).
EXPECTATIONS += [
    Expect("casework/delegated/", "/casework/delegated/", allowed=DELEGATE, note="404 without an active delegation"),
    Expect(
        "casework/delegated/<int:pk>/",
        lambda w: f"/casework/delegated/{w['cw_delegation']['delegation'].pk}/",
        allowed=DELEGATE,
    ),
    Expect(
        "casework/delegated/<int:pk>/",
        lambda w: f"/casework/delegated/{w['cw_delegation']['other_child'].pk}/",
        allowed=frozenset(),
        note="another brook child, delegated to someone else: refused to the delegate too",
    ),
    Expect(
        "casework/delegated/<int:pk>/",
        lambda w: f"/casework/delegated/{w['cw_delegation']['withdrawn'].pk}/",
        allowed=frozenset(),
        note="a withdrawn delegation opens nothing",
    ),
]

# Out-of-scope objects: each object screen again on castle's record, where dt (brook, meadow) is refused.
EXPECTATIONS += [_out_of_scope(model, action) for model in MODELS for action in ("edit", "delete", "inspect")]
EXPECTATIONS += [
    Expect(
        "casework/children/<int:pk>/subject-access-export/",
        lambda w: f"/casework/children/{w['cw_castle']['child'].pk}/subject-access-export/",
        allowed=DPO,
        note="castle's child: the DPO only, as for brook's",
        not_found=EVERYONE - DPO - CASTLE_DT,
    ),
    Expect(
        "casework/children/<int:pk>/",
        lambda w: f"/casework/children/{w['cw_castle']['child'].pk}/",
        allowed=frozenset({"dt_castle"}),
    ),
    Expect(
        "casework/documents/<int:pk>/download/",
        lambda w: f"/casework/documents/{w['cw_castle']['casedocument'].pk}/download/",
        allowed=frozenset({"dt_castle"}),
    ),
    Expect(
        "casework/transitions/<int:pk>/",
        lambda w: f"/casework/transitions/{w['cw_castle']['transition'].pk}/",
        allowed=frozenset({"dt_castle"}),
    ),
]

OWN_ADMIN_PREFIXES = ["admin/casework/", "admin/^casework/"]

# The casework pages outside the admin hide everything from everyone they refuse (a 404: a person with no
# casework scope learns nothing, not even that a page is there), except a GET of a POST-only URL (405).
_POST_ONLY_FOR_DTS = {
    "casework/peps/<int:pk>/status/",
    "casework/transitions/<int:pk>/child-protection/",
    "casework/peps/<int:pk>/send-to-social-worker/",
    "casework/transitions/<int:pk>/send-file/",
}


def _casework_page_refusals(expect):
    if not expect.route.startswith("casework/") or expect.anonymous_ok or expect.not_found is not None:
        return expect
    if expect.route == "casework/recommendations/<int:pk>/acknowledge/":
        method = EVERYONE  # checked before anything else
    elif expect.route in _POST_ONLY_FOR_DTS:
        method = BOTH_DTS  # only a designated teacher gets as far as the method check
    else:
        method = NONE
    return dataclasses.replace(expect, not_found=EVERYONE - expect.allowed - method, method_not_allowed=method)


EXPECTATIONS = [_casework_page_refusals(expect) for expect in EXPECTATIONS]
