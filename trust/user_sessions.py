"""allauth's user sessions (people see their other sessions and end them), recorded at sign-in in two statements.

At every sign-in allauth lists the person's earlier sessions one by one (asking the session store whether each
still exists and still signs the person in) to drop those that have ended, then records the new one with a
get_or_create in a transaction: seven statements for someone with no earlier session, and more for each one they
have. Here the ended ones go in one DELETE and the new one is one INSERT (its SQL compiled once): the session's key was made moments ago
(signing in always gives a new key), so there is no row to get. allauth's screen still checks each session in
full when it lists them (`purge_and_list`), and signing out ends every session the person has (trust/signals.py).
"""

import datetime

from allauth.usersessions.apps import UserSessionsConfig as AllauthUserSessionsConfig
from django.conf import settings
from django.db import connections, router
from django.utils import timezone
from django.utils.module_loading import import_string

from .compiled_sql import compiled_insert


class UserSessionsConfig(AllauthUserSessionsConfig):
    """INSTALLED_APPS' "allauth.usersessions", with this module's receiver at sign-in instead of allauth's."""

    def ready(self):
        from allauth.account.signals import user_logged_in
        from allauth.usersessions.signals import on_user_logged_in

        super().ready()
        user_logged_in.disconnect(receiver=on_user_logged_in)
        user_logged_in.connect(record_sign_in, dispatch_uid="trust-user-sessions-sign-in")


def record_sign_in(sender, request, user, **kwargs):
    from allauth.account.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    forget_ended_sessions(user)
    if not request.session.session_key:
        request.session.save()
    user_agent = request.META.get("HTTP_USER_AGENT", "")[: UserSession._meta.get_field("user_agent").max_length]
    made = UserSession(
        user=user,
        session_key=request.session.session_key,
        ip=get_adapter().get_client_ip(request),
        user_agent=user_agent,
    )
    compiled_insert(UserSession).save_new(made, router.db_for_write(UserSession, instance=made))


# A session is written at the end of the request that signs in, after its user session: one younger than this may
# still be on its way, and must not be taken for ended by the person signing in elsewhere at the same moment.
IN_FLIGHT = datetime.timedelta(minutes=1)


def forget_ended_sessions(user):
    """Drop the person's user sessions whose session has ended: signed out, or expired (as allauth's purge)."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
    from django.contrib.sessions.models import Session

    if not issubclass(import_string(f"{settings.SESSION_ENGINE}.SessionStore"), DatabaseSessionStore):
        UserSession.objects.purge_and_list(user)  # sessions kept elsewhere: allauth asks the store of each
        return
    using = router.db_for_write(UserSession)
    user_sessions, sessions = UserSession._meta.db_table, Session._meta.db_table
    connection = connections[using]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {user_sessions} WHERE user_id = %s AND created_at < %s AND session_key NOT IN "  # noqa: S608 - the models' tables
            f"(SELECT session_key FROM {sessions} WHERE expire_date > %s)",
            [user.pk, *(connection.ops.adapt_datetimefield_value(moment) for moment in (now - IN_FLIGHT, now))],
        )
