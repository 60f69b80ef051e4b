"""The sign-in backends, reading the signed-in person on every request in SQL compiled once.

Django reads the person named by the session on every request (`get_user`). Building that query cost the ORM
about three times what the database takes to answer it (trust/compiled_sql.py); the answer and every rule
around it (an inactive account is nobody) are Django's and allauth's own.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .compiled_sql import CompiledOnce


def _person(person_id):
    return get_user_model()._default_manager.filter(pk=person_id)


_PERSON = CompiledOnce(_person, person_id=-1_000_001)  # an id no person has


class CompiledGetUser:
    def get_user(self, user_id):
        try:
            found = _PERSON.instances(person_id=int(user_id))
        except (TypeError, ValueError, OverflowError):
            return None
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(CompiledGetUser, DjangoModelBackend):
    """Django's password backend (the admin's and the tests' force_login)."""


class AuthenticationBackend(CompiledGetUser, AllauthBackend):
    """allauth's backend: sign-in by email, with its rate limits."""
