"""Which pages a person may find: each app's own audience rule, asked in one place.

Training answers with `training.audience.page_ids_for`; policy and guidance with
`policy.audience.page_ids_for`. Casework is never a source.
"""

from policy.audience import page_ids_for as policy_page_ids_for
from training.audience import page_ids_for as training_page_ids_for


def _training_ids(user) -> set[int]:
    return set(training_page_ids_for(user))


def _policy_ids(user) -> set[int]:
    return set(policy_page_ids_for(user))


SOURCES = [_training_ids, _policy_ids]


def searchable_page_ids(user) -> set[int]:
    ids: set[int] = set()
    for source in SOURCES:
        ids |= source(user)
    return ids


def searchable_page_ids_for(request) -> set[int]:
    """`searchable_page_ids` of the signed-in person, kept in the shared cache under the content and the
    person's generations (trust/personal_pages.py): a new page, a publication, a new role or a leaver
    renews one of them, so the set is never out of date. It takes eight queries to work out afresh."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    from trust.personal_pages import generations

    if not settings.PERSONAL_PAGE_CACHE:
        return searchable_page_ids(request.user)
    key = f"search:page-ids:{request.user.pk}:{generations(request)}:{timezone.localdate():%Y%m%d}"
    ids = cache.get(key)
    if ids is None:
        ids = searchable_page_ids(request.user)
        cache.set(key, ids, timeout=settings.PERSONAL_PAGE_CACHE_SECONDS)
    return ids
