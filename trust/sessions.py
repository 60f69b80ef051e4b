"""Django's database (and cached database) sessions, with a session made at sign-in written once, not twice.

Signing in gives the session a new key (`cycle_key`, against session fixation). Django's `create` asks the
database whether the new key is taken and inserts the row at once; the sign-in then changes the session and
the middleware updates that row at the end of the request: a SELECT and two transactions. Here the new key
is only chosen, and the row is inserted once, at the end of the request, with `must_create` (an INSERT that
fails rather than overwrite a row whose key is taken: then another key is chosen, as Django's `create` does).
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.utils.crypto import get_random_string


class WrittenOnceWhenMade:
    _not_yet_written = False

    def create(self):
        self._session_key = get_random_string(32, VALID_KEY_CHARS)
        self._not_yet_written = True
        self.modified = True

    def save(self, must_create=False):
        if self.session_key is None:
            self.create()  # a session saved for the first time (before signing in, say): Django's save would too
        if not self._not_yet_written:
            return super().save(must_create)
        while True:
            try:
                super().save(must_create=True)
            except CreateError:
                self._session_key = get_random_string(32, VALID_KEY_CHARS)  # taken: as Django's create does
                continue
            self._not_yet_written = False
            return None


class SessionStore(WrittenOnceWhenMade, db.SessionStore):
    """SESSION_ENGINE "trust.sessions" (without a shared cache); "trust.cached_sessions" with one."""
