"""The one-way layers (pyproject.toml [tool.importlinter]) hold, and the check is real: the
same contract breaks on a copy of the code with one deliberate upward import."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["auditportal", "accounts", "cases", "audits", "surveys", "findings", "briefings"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def code_copy(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "*.html"),
        )
    return tmp_path


def test_layers_contract_is_kept_by_the_code():
    result = _lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_layers_contract_is_kept_by_an_unchanged_copy(code_copy):
    result = _lint_imports(code_copy)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "upward_import", "message"),
    [
        (
            "cases/upward.py",
            "from audits.models import Audit",
            "cases is not allowed to import audits",
        ),
        (
            "audits/upward.py",
            "def f():\n    from briefings.models import Briefing\n",
            "audits is not allowed to import briefings",
        ),
        (
            "auditportal/upward.py",
            "import accounts.models",
            "auditportal is not allowed to import accounts",
        ),
    ],
)
def test_layers_contract_breaks_on_an_upward_import(code_copy, module, upward_import, message):
    (code_copy / module).write_text(upward_import + "\n")

    result = _lint_imports(code_copy)

    assert result.returncode == 1
    assert message in result.stdout
