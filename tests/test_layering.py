"""The layers hold: import-linter's contracts (pyproject.toml) pass, and fail when a module breaks them.

`make test` runs `lint-imports` before pytest; these tests prove the contracts catch what they claim
(a core module importing a higher layer, streamlit outside jcm_dash.ui) and check at run time that
the core loads no streamlit module even indirectly.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jcm_dash import paths

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the repository's contracts over the jcm_dash package found in ``root``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(paths.REPO_ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        check=False,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of jcm_dash/ (sources only) to break one import in."""
    shutil.copytree(paths.REPO_ROOT / "jcm_dash", tmp_path / "jcm_dash", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def inject(package: Path, module: str, line: str) -> None:
    """Add ``line`` as an import after ``module``'s ``from __future__`` line (or at its top)."""
    path = package / "jcm_dash" / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    future = "from __future__ import annotations\n"
    text = text.replace(future, future + line + "\n", 1) if future in text else line + "\n" + text
    path.write_text(text, encoding="utf-8")


def test_the_contracts_are_kept() -> None:
    """The repository as it is keeps every contract."""
    result = lint_imports(paths.REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: \d+ kept, 0 broken", result.stdout), result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("metrics", "from jcm_dash import views  # noqa", "jcm_dash.metrics -> jcm_dash.views"),
        ("queries", "from jcm_dash import charts  # noqa", "jcm_dash.queries -> jcm_dash.charts"),
        ("views", "import jcm_dash.ui.cached  # noqa", "jcm_dash.views -> jcm_dash.ui.cached"),
        ("charts", "from jcm_dash import briefing  # noqa", "jcm_dash.charts -> jcm_dash.briefing"),
        ("metrics", "import streamlit  # noqa", "jcm_dash.metrics -> streamlit"),
        ("briefing/contents", "from jcm_dash.briefing import deck  # noqa", "contents -> jcm_dash.briefing.deck"),
    ],
)
def test_a_module_importing_upwards_breaks_the_contract(
    package_copy: Path, module: str, line: str, broken: str
) -> None:
    """A core module importing a higher layer (or streamlit) makes lint-imports fail and name the import."""
    assert lint_imports(package_copy).returncode == 0  # the copy is clean before the change
    inject(package_copy, module, line)
    result = lint_imports(package_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and broken in result.stdout, result.stdout


def test_a_module_not_placed_in_a_layer_breaks_the_contract(package_copy: Path) -> None:
    """Every module must be placed in a layer: a new one left out is named."""
    (package_copy / "jcm_dash" / "unplaced.py").write_text('"""A module no layer names."""\n', encoding="utf-8")
    result = lint_imports(package_copy)
    assert result.returncode == 1 and "unplaced" in result.stdout, result.stdout


def test_core_imports_without_streamlit() -> None:
    """Importing every core module (CLI included) loads no streamlit module, not even indirectly."""
    code = (
        "import sys, jcm_dash.cli, jcm_dash.charts, jcm_dash.views, jcm_dash.store;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_cited_tests_exist() -> None:
    """Every ``tests/test_x.py`` (and ``::test_name``) a comment or docstring cites is a real file and test."""
    cited = set()
    sources = [paths.REPO_ROOT / "app.py"]
    for folder in ("jcm_dash", "pages", "bench", "deploy", "scripts"):
        sources += [p for p in (paths.REPO_ROOT / folder).rglob("*") if p.suffix in (".py", ".sql")]
    for path in sources:
        cited |= set(re.findall(r"tests/(test_\w+\.py)(?:::(\w+))?", path.read_text(encoding="utf-8")))
    missing = []
    for file, test in sorted(cited):
        source = paths.REPO_ROOT / "tests" / file
        if not source.exists() or (test and not re.search(rf"def {test}\b", source.read_text(encoding="utf-8"))):
            missing.append(f"tests/{file}" + (f"::{test}" if test else ""))
    assert missing == []
