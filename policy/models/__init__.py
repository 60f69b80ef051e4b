"""Policy hub models: acknowledgeable pages, their published versions and the read receipts."""

from .approval import PolicyApprovalSettings, SecondApproverTask
from .pages import AcknowledgeablePage, GuidanceIndexPage, GuidancePage, PolicyIndexPage, PolicyPage
from .records import AcknowledgementAttempt, PolicyVersion, ReadReceipt
from .settings import CaseworkGateSettings

__all__ = [
    "AcknowledgeablePage",
    "AcknowledgementAttempt",
    "CaseworkGateSettings",
    "GuidanceIndexPage",
    "GuidancePage",
    "PolicyIndexPage",
    "PolicyApprovalSettings",
    "PolicyPage",
    "PolicyVersion",
    "ReadReceipt",
    "SecondApproverTask",
]
