from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self):
        from trust import page_versions

        from . import briefing_signals
        from .models import TrainingModulePage, TrainingVersion

        page_versions.register(TrainingModulePage, TrainingVersion, log_action="training.version_recorded")
        briefing_signals.connect()
