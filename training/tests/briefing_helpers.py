"""Building a small briefing world: policies, training modules and who has done what."""

from policy.acknowledgements import create_receipt
from policy.versions import current_version
from training.builders import build_module, ensure_training_index
from training.completion import complete_module
from trust.enums import Role


def acknowledge(user, page):
    version = current_version(page)
    return create_receipt(user, page, version, version.revision_id)


def complete(user, module):
    return complete_module(user, module, revision_id=module.live_revision_id, answers={})


def staff_module(title="Safeguarding essentials", roles=(Role.STAFF,), **kwargs):
    return build_module(ensure_training_index(), title, roles=list(roles), **kwargs)


def full_name(user):
    return user.get_full_name()
