"""The apps' layers and what their models may import (pyproject.toml's import-linter contracts, run by
`make lint`): a new import that crosses them fails the check, naming the import; the portal as it stands passes."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("home", "search", "policy", "training", "casework", "trust", "portal")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is in requirements-dev.lock")


def _copy_of_the_portal(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=where, capture_output=True, text=True, timeout=120
    )


def _add_import(module: Path, line: str) -> None:
    module.write_text(module.read_text() + f"\n\ndef _crossing():\n    {line}\n")


def test_the_portal_keeps_its_layers(tmp_path):
    result = _lint(_copy_of_the_portal(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "named"),
    [
        # trust is the bottom: even an import inside a function is a crossing.
        ("trust/access.py", "from casework.models import Delegation  # noqa", "trust.access -> casework.models"),
        # policy, training and casework are independent, outside the named exceptions.
        ("policy/audience.py", "from training.models import TrainingCompletion  # noqa", "policy.audience -> training.models"),
        ("casework/child_views.py", "from training.oversight import casework_oversight  # noqa", "casework.child_views -> training.oversight"),
        # home and search are the top: nothing below imports them.
        ("training/builders.py", "from home.models import HomePage  # noqa", "training.builders -> home.models"),
    ],
)
def test_a_new_import_across_the_layers_fails_the_check(tmp_path, module, line, named):
    portal = _copy_of_the_portal(tmp_path)
    _add_import(portal / module, line)
    result = _lint(portal)
    assert result.returncode == 1
    assert "1 broken" in result.stdout
    assert named in result.stdout


def _models_contract() -> dict:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == "models-import-no-forms-or-views")


def test_every_forms_and_views_module_is_forbidden_to_the_models():
    """A new forms or views module must join the contract, or models could import it unnoticed."""
    named = {
        f"{package}.{path.stem}"
        for package in PACKAGES
        for path in (ROOT / package).glob("*.py")
        if path.stem.endswith(("forms", "_views")) or path.stem == "views"
    }
    assert named - set(_models_contract()["forbidden_modules"]) == set()


@pytest.mark.parametrize(
    ("module", "line", "named"),
    [
        # The page admin form, imported by the models again instead of named by its path.
        ("policy/models/pages.py", "from ..forms import AcknowledgeablePageForm  # noqa", "policy.models.pages -> policy.forms"),
        ("training/models/pages.py", "from ..admin_forms import TrainingModulePageForm  # noqa", "training.models.pages -> training.admin_forms"),
        # A view, even inside a function, in any app's models.
        ("casework/models/children.py", "from ..child_views import child_detail  # noqa", "casework.models.children -> casework.child_views"),
        ("trust/models.py", "from .forms import StaffImportForm  # noqa", "trust.models -> trust.forms"),
    ],
)
def test_a_models_module_that_imports_a_form_or_a_view_fails_the_check(tmp_path, module, line, named):
    portal = _copy_of_the_portal(tmp_path)
    _add_import(portal / module, line)
    result = _lint(portal)
    assert result.returncode == 1
    assert "1 broken" in result.stdout
    assert named in result.stdout
