from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self):
        from . import briefing_signals, signals  # noqa: F401

        briefing_signals.connect()
