import pytest

from training.builders import build_module, ensure_training_index
from trust.enums import Role


@pytest.fixture
def make_module(db):
    def make(title, roles=(Role.STAFF,), **kwargs):
        return build_module(ensure_training_index(), title, roles=list(roles), **kwargs)

    return make
