"""Casework records, split by subject. Every model reaches its child, and the child its school."""

from django.apps import apps as django_apps

from .audit import AuditAnchor, CaseAuditEvent
from .children import CareEpisode, Child, CohortChange, LocalAuthority
from .delegation import Delegation
from .documents import CaseDocument
from .exclusions import Suspension
from .identity import IdentityChange
from .people import Placement
from .peps import PEP, PEPStatusChange, PreviousTargetEvaluation, Target, TargetProgress
from .plans import Activity, LinkedPlan, Review
from .pupil_premium import PPPlusRate, PPPlusRequest
from .rules import DeadlineRule
from .sharing import SharedRecommendation
from .transitions import Transition, TransitionDownload

# No casework record goes into Wagtail's reference index: its "Usage" screens of a school or a person
# (/admin/schools/usage/<id>/, /admin/users/usage/<id>/), open to the trust administrator, would list every
# child of the school and every record naming the person ("(Private child)", "(Private suspension)"), and any
# later Wagtail screen reading the index would too. wagtail-modeladmin registers each model it lists; Wagtail
# skips a model that says this. Migration 0018 removed the rows written before.
for _model in django_apps.all_models["casework"].values():  # every model above, as each registered itself
    _model.wagtail_reference_index_ignore = True
del _model

__all__ = [
    "PEP",
    "Activity",
    "AuditAnchor",
    "CaseAuditEvent",
    "CareEpisode",
    "CaseDocument",
    "Child",
    "CohortChange",
    "DeadlineRule",
    "Delegation",
    "IdentityChange",
    "LinkedPlan",
    "LocalAuthority",
    "PEPStatusChange",
    "PPPlusRate",
    "PPPlusRequest",
    "Placement",
    "PreviousTargetEvaluation",
    "Review",
    "SharedRecommendation",
    "Suspension",
    "Target",
    "TargetProgress",
    "Transition",
    "TransitionDownload",
]
