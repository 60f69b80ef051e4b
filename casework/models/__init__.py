"""Casework records, split by subject. Every model reaches its child, and the child its school."""

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
