"""The boundaries of CONVENTIONS.md, checked by import-linter on every test run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert linter, "import-linter is a test dependency: pip install -e '.[test]'"
    run = subprocess.run(
        [linter, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 kept, 0 broken" in run.stdout


def test_nothing_reads_the_environment_outside_settings() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "adapters", "storage")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "bot" / "settings.py"
        and ("os.environ" in path.read_text(encoding="utf-8") or "getenv" in path.read_text())
    ]
    assert offenders == []
