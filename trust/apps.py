from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = "Trust"

    def ready(self):
        from . import personal_pages, signals, url_converters  # noqa: F401

        personal_pages.connect()
        url_converters.register()
