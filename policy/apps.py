from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = "Policy hub"

    def ready(self):
        from . import signals  # noqa: F401
