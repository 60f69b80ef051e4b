from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self):
        from . import signals  # noqa: F401
