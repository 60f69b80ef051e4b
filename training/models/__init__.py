"""Training material, completion receipts, Local Authority training records, reminders, settings."""

from .briefing_completion import BriefingCompletion
from .briefing_done_mask import BriefingDoneMask, BriefingDoneSlot
from .briefing_generation import BriefingGeneration
from .briefing_tally import BriefingVersionTally, BriefingWeekTally
from .la_training import LocalAuthorityTraining
from .pages import TrainingIndexPage, TrainingModuleAudience, TrainingModulePage, TrainingRelatedPage
from .receipts import TrainingAttempt, TrainingCompletion
from .reminders import ReminderDigest, ReminderRun
from .settings import TrainingSettings
from .versions import TrainingVersion

__all__ = [
    "BriefingCompletion",
    "BriefingDoneMask",
    "BriefingDoneSlot",
    "BriefingGeneration",
    "BriefingVersionTally",
    "BriefingWeekTally",
    "LocalAuthorityTraining",
    "ReminderDigest",
    "ReminderRun",
    "TrainingAttempt",
    "TrainingCompletion",
    "TrainingIndexPage",
    "TrainingModuleAudience",
    "TrainingModulePage",
    "TrainingRelatedPage",
    "TrainingSettings",
    "TrainingVersion",
]
