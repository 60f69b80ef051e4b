"""Who a training module is for: the one rule, as a predicate and as a queryset, side by side.

Both also leave out pages the person may not open under Wagtail's page privacy (trust/page_privacy.py).

A module is for the people holding any of its audience roles (any school). People with a trust-wide
role (executive head, trust administrator) may read every live module: they oversee the training.
Required modules are those marked required whose audience includes one of the person's roles.
"""

from trust.access import current_memberships, is_trust_wide
from trust.page_privacy import may_open, openable

from .models import TrainingModulePage


def _roles(user) -> set[str]:
    return {m.role for m in current_memberships(user)}


def modules_for(user):
    """The live modules this person may open."""
    roles = _roles(user)
    if not roles:
        return TrainingModulePage.objects.none()
    modules = openable(TrainingModulePage.objects.live(), user)
    if is_trust_wide(user):
        return modules
    return modules.filter(audience__role__in=roles).distinct()


def is_in_audience(user, page) -> bool:
    roles = _roles(user)
    if not roles or not page.live:
        return False
    if not is_trust_wide(user) and not roles & set(page.audience.values_list("role", flat=True)):
        return False
    return may_open(user, page)


def required_modules_for(user):
    """The live, required modules whose audience includes one of this person's roles."""
    roles = _roles(user)
    modules = openable(TrainingModulePage.objects.live(), user)
    return modules.filter(is_required=True, audience__role__in=roles).distinct()


def page_ids_for(user):
    """Page ids this person may find in search (the modules and the training index)."""
    from .models import TrainingIndexPage

    ids = set(modules_for(user).values_list("pk", flat=True))
    if current_memberships(user):
        ids |= set(openable(TrainingIndexPage.objects.live(), user).values_list("pk", flat=True))
    return ids
