"""Who a training module is for: the one rule, as a predicate and as a queryset, side by side.

Both also leave out pages the person may not open under Wagtail's page privacy (trust/page_privacy.py).

A module is for the people holding any of its audience roles (any school). People with a trust-wide
role (executive head, trust administrator) may read every live module: they oversee the training.
Required modules are those marked required whose audience includes one of the person's roles.
"""

from trust.access import current_memberships, is_trust_wide
from trust.page_privacy import may_open, openable, opener
from trust.personal_pages import kept_for_content

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


def _live_required_modules() -> list[tuple]:
    """(module, its audience roles) for every live required module, by tree path, each module carrying its
    current version number: the same for everyone, read once per content generation and never changed after."""
    from .versions import current_numbers

    def build():
        modules = list(
            TrainingModulePage.objects.live()
            .filter(is_required=True)
            .defer("body", "comprehension_check")
            .prefetch_related("audience")
            .order_by("path")
        )
        numbers = current_numbers(module.pk for module in modules)
        for module in modules:
            module._current_number = numbers[module.pk]
        return [(module, frozenset(row.role for row in module.audience.all())) for module in modules]

    return kept_for_content("training.audience.required_modules", build)


def required_modules_list(user) -> list:
    """`required_modules_for` as a list by tree path, from the modules kept for the content generation: no
    query of its own, but the person's groups when a group restriction is on the way."""
    roles = _roles(user)
    if not roles:
        return []
    may_open = opener(user)
    return [module for module, audience in _live_required_modules() if audience & roles and may_open(module.path)]


def page_ids_for(user):
    """Page ids this person may find in search (the modules and the training index)."""
    from .models import TrainingIndexPage

    ids = set(modules_for(user).values_list("pk", flat=True))
    if current_memberships(user):
        ids |= set(openable(TrainingIndexPage.objects.live(), user).values_list("pk", flat=True))
    return ids
