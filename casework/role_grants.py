"""Granting and revoking a casework role (designated teacher, data protection officer) is audited.

One place for every path (the "People's roles" admin, the staff import, a command, a shell): the
signals in casework/signals.py call `membership_saved` and `membership_deleted` for each Membership.
Each grant or revocation writes a case audit event (who, to whom, which role, which school) and, once
the change is committed, emails the trust's executive head(s). Who acted is the person signed in to the
Wagtail admin (its log context, the same one Site history uses); outside a request, "no one signed in".
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trust.enums import CASEWORK_ROLES, Role
from trust.models import Membership, School

from . import audit
from .enums import AuditAction

NO_ONE_SIGNED_IN = "no one signed in (a command or a script)"


def _grant(state: dict | None):
    """(person, role, school) when this state is a current casework role; otherwise None."""
    if not state or state.get("ended_on") is not None or state.get("role") not in CASEWORK_ROLES:
        return None
    return (state.get("user_id"), state.get("role"), state.get("school_id"))


def _state(membership) -> dict:
    return {
        "role": membership.role,
        "school_id": membership.school_id,
        "ended_on": membership.ended_on,
        "user_id": membership.user_id,
    }


def stored_state(membership) -> dict | None:
    """The row as the database holds it before this save (read from the loaded instance: no query)."""
    if membership.pk is None or membership._state.adding:
        return None
    stored = membership.stored_state
    if stored is None or set(stored) != {"role", "school_id", "ended_on", "user_id"}:
        # Built by hand with a primary key, or loaded with fields deferred: ask the database.
        stored = Membership.objects.filter(pk=membership.pk).values("role", "school_id", "ended_on", "user_id").first()
    return stored


def _actor():
    from wagtail.log_actions import get_active_log_context

    user = get_active_log_context().user
    return user if getattr(user, "is_authenticated", False) else None


def _name(user) -> str:
    if user is None:
        return NO_ONE_SIGNED_IN
    full = user.get_full_name()
    return f"{full} ({user.email})" if full else user.email


def _record(action, membership, grant) -> None:
    user_id, role, school_id = grant
    person = get_user_model().objects.filter(pk=user_id).first()
    school = School.objects.filter(pk=school_id).first() if school_id else None
    where = school.name if school else "the trust"
    role_label = Role(role).label
    verb = "granted to" if action == AuditAction.GRANT else "revoked from"
    actor = _actor()
    place = f"school {school_id}" if school_id else "the trust"  # ids, as every audit event: never a name
    detail = f"{role_label} at {place} {verb} user {user_id} ({getattr(person, 'email', '')})"
    event = audit.record(None, action, membership, user=actor, actor=NO_ONE_SIGNED_IN, detail=detail, school=school_id)
    _tell_the_executive_head(action, actor, person, role_label, where, membership, event)


def _tell_the_executive_head(action, actor, person, role_label, where, membership, event) -> None:
    heads = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.EXECUTIVE_HEAD,
            memberships__ended_on__isnull=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not heads:
        return
    grantee = _name(person) if person else "a person no longer on the portal"
    granted = action == AuditAction.GRANT
    subject = f"Casework role {'granted' if granted else 'revoked'}: {role_label} at {where}"
    what = (
        f"{_name(actor)} gave {grantee} the {role_label.lower()} role at {where}."
        if granted
        else f"{_name(actor)} ended {grantee}'s {role_label.lower()} role at {where}."
    )
    reach = (
        "A designated teacher sees the casework of that school's children in care."
        if membership.role == Role.DESIGNATED_TEACHER
        else "A data protection officer can export any child's whole record."
    )
    lines = [what]
    if granted:
        lines.append(reach)
    lines.append(f"When: {timezone.localtime():%-d %B %Y, %H:%M}. Case audit entry {event.pk if event else '?'}.")
    if membership.pk:
        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
        lines.append(f"The role: {base}{reverse('memberships:edit', args=[membership.pk])}")
    lines.append("If you did not expect this, ask the trust administrator why.")
    body = "\n\n".join(lines)
    transaction.on_commit(lambda: send_mail(subject, body, None, heads))


def membership_saved(membership, before: dict | None) -> None:
    old, new = _grant(before), _grant(_state(membership))
    if old != new:
        if old:
            _record(AuditAction.REVOKE, membership, old)
        if new:
            _record(AuditAction.GRANT, membership, new)
    membership.remember_stored_state()


def membership_deleted(membership) -> None:
    old = _grant(membership.stored_state or _state(membership))
    if old:
        _record(AuditAction.REVOKE, membership, old)
