import pytest

from training.builders import build_module, ensure_training_index, question
from trust.enums import Role


@pytest.fixture
def training_index(db):
    return ensure_training_index()


@pytest.fixture
def make_module(training_index):
    def make(title="Safeguarding essentials", roles=(Role.STAFF,), **kwargs):
        return build_module(training_index, title, roles=list(roles), **kwargs)

    return make


@pytest.fixture
def checked_module(make_module):
    """A staff module with a two-question check: the right answers are the second option of each."""
    return make_module(
        "Children in care essentials",
        roles=(Role.STAFF, Role.GOVERNOR),
        paragraphs=["Looked-after children each have a PEP."],
        questions=[
            question("Who leads the PEP?", ["The governor", "The designated teacher"], 2),
            question("Is care status shared with all staff?", ["Yes", "No"], 2),
        ],
    )
