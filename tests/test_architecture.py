"""The boundaries of CONVENTIONS.md, checked by import-linter on every test run."""

from __future__ import annotations

import os
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
    assert "4 kept, 0 broken" in run.stdout


LEAKS = {
    "adapters/slack/leak.py": "from storage.database import Database\n",
    "adapters/discord/leak.py": "from bot.ports import UnitOfWork\n",
    "adapters/console/leak.py": "from adapters.slack import home\n",
}


def test_an_adapter_reaching_storage_ports_or_another_platform_breaks_the_contracts(
    tmp_path: Path,
) -> None:
    """The contracts bite: the same tree with each leak added fails, naming every broken one."""
    for folder in ("bot", "adapters", "storage"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for path, source in LEAKS.items():
        (tmp_path / path).write_text(source, encoding="utf-8")
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert linter
    run = subprocess.run(
        [linter, "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 kept, 2 broken" in run.stdout, run.stdout
    for path in LEAKS:
        assert path.removesuffix(".py").replace("/", ".") in run.stdout


def test_nothing_reads_the_environment_outside_settings() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "adapters", "storage")
        for path in (ROOT / folder).rglob("*.py")
        if path != ROOT / "bot" / "settings.py"
        and ("os.environ" in path.read_text(encoding="utf-8") or "getenv" in path.read_text())
    ]
    assert offenders == []
