"""Who may do what with casework: pure predicates, each beside the queryset it mirrors.

Only a school's designated teacher sees its children; trust-wide roles see none unless they are also
that school's designated teacher (trust.access.own_school_ids). The trust administrator, as data
protection officer, may read the access log of a child (ids and times, no content).
"""

from django.db.models import Q

from trust.access import has_role, is_trust_wide, own_school_ids
from trust.enums import Role


def is_designated_teacher(user) -> bool:
    return bool(own_school_ids(user))


def can_view_child(user, child) -> bool:
    return child is not None and child.school_id in own_school_ids(user)


def child_queryset(user):
    from .models import Child

    return Child.objects.for_user(user)


def can_view_access_log(user, child) -> bool:
    return can_view_child(user, child) or has_role(user, Role.TRUST_ADMIN)


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
