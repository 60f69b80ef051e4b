"""Who may do what with casework: pure predicates, each beside the queryset it mirrors.

Only a school's designated teacher sees its children; trust-wide roles see none unless they are also
that school's designated teacher (trust.access.own_school_ids). The data protection officer may read
the access log of any child (ids and times, no content) and make a subject access export of one child.
"""

from django.db.models import Q
from django.utils import timezone

from trust.access import has_role, is_trust_wide, own_school_ids
from trust.enums import Role


def is_designated_teacher(user) -> bool:
    return bool(own_school_ids(user))


def can_view_child(user, child) -> bool:
    return child is not None and child.school_id in own_school_ids(user)


def child_queryset(user):
    from .models import Child

    return Child.objects.for_user(user)


def is_data_protection_officer(user) -> bool:
    return has_role(user, Role.DATA_PROTECTION_OFFICER)


def can_open_access_log(user) -> bool:
    """The access log's index (and its menu item): designated teachers (their own children, named) and the
    data protection officer (every child, by record number)."""
    return is_designated_teacher(user) or is_data_protection_officer(user)


def can_view_access_log(user, child) -> bool:
    """One child's access log: its school's designated teacher, and the data protection officer."""
    return child is not None and (can_view_child(user, child) or is_data_protection_officer(user))


def can_export_subject_access(user, child) -> bool:
    """The data protection officer only: not the trust administrator, not the child's designated teacher
    (unless they also hold the DPO role). The child's designated teacher is told of each export."""
    return child is not None and is_data_protection_officer(user)


def keeps_trust_rules(user) -> bool:
    """The executive head and the trust administrator keep the trust-wide and local authority deadline rules.

    Rules hold no child data, so this gives them no sight of any child.
    """
    return is_trust_wide(user, Role.EXECUTIVE_HEAD, Role.TRUST_ADMIN)


def can_change_deadline_rule(user, rule) -> bool:
    """A school's rule is its designated teacher's; a trust-wide or LA rule is the trust's."""
    if rule.school_id is None:
        return keeps_trust_rules(user)
    return rule.school_id in own_school_ids(user)


def can_see_deadline_rule(user, rule) -> bool:
    """Trust-wide and LA rules are shown to every DT (they apply to their children); every rule to the trust's keepers."""
    if keeps_trust_rules(user):
        return True
    if rule.school_id is None:
        return is_designated_teacher(user)
    return rule.school_id in own_school_ids(user)


def deadline_rule_queryset(user):
    """The queryset twin of `can_see_deadline_rule`."""
    from .models import DeadlineRule

    rules = DeadlineRule.objects.select_related("school", "local_authority")
    if keeps_trust_rules(user):
        return rules
    ids = own_school_ids(user)
    if not ids:
        return rules.none()
    return rules.filter(Q(school_id__in=ids) | Q(school__isnull=True))


# Delegated entry: the DT lets a named member of staff enter chosen sections of one child's PEP.
# `delegation_is_active` is the rule; `Delegation.objects.active()` is its queryset twin.


def delegation_is_active(delegation, today=None) -> bool:
    """Not withdrawn, not past its end, the child still on roll, the delegate still on the school's staff."""
    from trust.models import Membership

    today = today or timezone.localdate()
    child, delegate = delegation.child, delegation.delegate
    return (
        delegation.withdrawn_at is None
        and today <= delegation.ends_on
        and (child.left_on is None or child.left_on > today)
        and delegate.is_active
        and Membership.objects.current().filter(user=delegate, school_id=child.school_id, role=Role.STAFF).exists()
    )


def delegation_problems(delegation, today=None) -> dict[str, str]:
    """What is wrong with granting (or changing) a delegation, as plain messages by field."""
    from trust.models import Membership

    from .enums import DelegatedSection
    from .models.delegation import latest_end

    today = today or timezone.localdate()
    errors = {}
    sections = delegation.sections or []
    if not sections:
        errors["sections"] = "Choose at least one section the delegate may enter."
    elif any(s not in DelegatedSection.values for s in sections):
        errors["sections"] = "Choose only from the sections listed."
    stored_end = None
    if delegation.pk:
        stored_end = type(delegation).objects.filter(pk=delegation.pk).values_list("ends_on", flat=True).first()
    if delegation.ends_on and delegation.ends_on != stored_end:
        if delegation.ends_on < today:
            errors["ends_on"] = "The end date cannot be in the past."
        elif delegation.ends_on > latest_end(today):
            errors["ends_on"] = (
                f"A delegation can last a year at most: choose a date no later than {latest_end(today):%-d %B %Y}."
            )
    if delegation.child_id and delegation.delegate_id and not delegation.pk:  # both are fixed once granted
        if delegation.delegate_id == delegation.granted_by_id:
            errors["delegate"] = "You cannot delegate to yourself: choose another member of staff."
        elif not (
            delegation.delegate.is_active
            and Membership.objects.current()
            .filter(user_id=delegation.delegate_id, school_id=delegation.child.school_id, role=Role.STAFF)
            .exists()
        ):
            errors["delegate"] = "Choose someone who works at the child's school now."
    return errors
