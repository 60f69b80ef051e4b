"""Links in emails: always from the configured site address (WAGTAILADMIN_BASE_URL), never from the Host
header of the request that caused the email, which a client chooses."""

from urllib.parse import urlsplit

from django.conf import settings


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


class _ConfiguredSite:
    """What allauth's email templates read as `current_site`."""

    @property
    def name(self):
        return settings.WAGTAIL_SITE_NAME

    @property
    def domain(self):
        return urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc


def configured_site():
    return _ConfiguredSite()
