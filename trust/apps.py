from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = "Trust"

    def ready(self):
        from . import personal_pages, signals  # noqa: F401

        personal_pages.connect()
