"""SESSION_ENGINE with a shared cache: Django's cached database sessions, written once at sign-in (trust/sessions.py)."""

from django.contrib.sessions.backends import cached_db

from .sessions import WrittenOnceWhenMade


class SessionStore(WrittenOnceWhenMade, cached_db.SessionStore):
    pass
