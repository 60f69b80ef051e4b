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
