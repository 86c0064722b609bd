"""The core package never imports Streamlit; only jcm_dash.ui, app.py and pages/ do."""

import subprocess
import sys

from jcm_dash import paths


def test_core_imports_without_streamlit() -> None:
    """Importing every core module (CLI included) loads no streamlit module."""
    code = (
        "import sys, jcm_dash.cli, jcm_dash.charts, jcm_dash.views, jcm_dash.store;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_only_ui_modules_import_streamlit() -> None:
    """No core source file outside jcm_dash/ui mentions an import of streamlit."""
    offenders = [
        str(path.relative_to(paths.REPO_ROOT))
        for path in (paths.REPO_ROOT / "jcm_dash").rglob("*.py")
        if "ui" not in path.relative_to(paths.REPO_ROOT / "jcm_dash").parts
        and (
            "import streamlit" in path.read_text(encoding="utf-8")
            or "from streamlit" in path.read_text(encoding="utf-8")
        )
    ]
    assert offenders == []
