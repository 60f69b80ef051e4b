"""Casework records, split by subject. Every model reaches its child, and the child its school."""

from .audit import AuditAnchor, CaseAuditEvent
from .children import Child, CohortChange, LocalAuthority
from .delegation import Delegation
from .documents import CaseDocument
from .identity import IdentityChange
from .people import Placement
from .peps import PEP, PEPStatusChange, Target, TargetProgress
from .plans import Activity, LinkedPlan, Review
from .rules import DeadlineRule
from .sharing import SharedRecommendation
from .transitions import Transition, TransitionDownload

__all__ = [
    "PEP",
    "Activity",
    "AuditAnchor",
    "CaseAuditEvent",
    "CaseDocument",
    "Child",
    "CohortChange",
    "DeadlineRule",
    "Delegation",
    "IdentityChange",
    "LinkedPlan",
    "LocalAuthority",
    "PEPStatusChange",
    "Placement",
    "Review",
    "SharedRecommendation",
    "Target",
    "TargetProgress",
    "Transition",
    "TransitionDownload",
]
