"""Training material, completion receipts, Local Authority training records, reminders, settings."""

from .la_training import LocalAuthorityTraining
from .pages import TrainingIndexPage, TrainingModuleAudience, TrainingModulePage, TrainingRelatedPage
from .receipts import TrainingAttempt, TrainingCompletion
from .reminders import ReminderRun
from .settings import TrainingSettings

__all__ = [
    "LocalAuthorityTraining",
    "ReminderRun",
    "TrainingAttempt",
    "TrainingCompletion",
    "TrainingIndexPage",
    "TrainingModuleAudience",
    "TrainingModulePage",
    "TrainingRelatedPage",
    "TrainingSettings",
]
