"""Scale benchmark: the shape of a real school, on SQLite and (given a URL) PostgreSQL.

Prints a table: what was measured, at which size (students, rows or sessions), the time, the SQL
statements sent, the peak RSS of the process that did it, beside the target. Each step runs in
a process of its own (bench/scale_steps.py) so that its peak memory is its own.

  * roster import of 100,000 rows (target < 20 s), then check-in planning for those 100,000
    students (< 3 s, < 150 MB) and the next tick (nothing new: no write);
  * SQLite: the longest a one-row command waits while next week's 100,000 check-ins go out
    (< 100 ms);
  * every scheduled job at 10,000 students (< 1 s each, a handful of statements), and the
    digest again as a serving process runs it from its second week on (matplotlib imported);
  * `/book` with no argument on a calendar with 10,000 past sessions and no free slot (<= 6
    statements, <= 1.5x `/book DATE TIME`);
  * an outbox claim with 100,000 finished rows (sent, failed, parked).

Run from the repo root: `.venv/bin/python bench/scale.py [--pg URL] [--quick]`; the PostgreSQL
run WIPES the database it is given (DROP SCHEMA public CASCADE): never one in use.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

STEPS = Path(__file__).with_name("scale_steps.py")
ROOT = Path(__file__).resolve().parents[1]

# (step, size key, label, target, check(result) -> bool)
PLAN = [
    ("roster", "big", "roster import, rows", "< 20 s", lambda r: r["seconds"] < 20),
    (
        "checkins",
        "big",
        "check-in planning, students",
        "< 3 s, < 150 MB",
        lambda r: r["seconds"] < 3 and r["rss_mb"] < 150,
    ),
    (
        "checkins-again",
        "big",
        "  the next tick (nothing new)",
        "no write",
        lambda r: r["note"].endswith(" 0 writes"),
    ),
    (
        "wait",
        "big",
        "command wait behind check-ins",
        "< 100 ms (SQLite)",
        lambda r: r["seconds"] < 0.1,
    ),
    ("prepare-jobs", "jobs", "", "", None),
    ("job:reminders", "jobs", "reminders job, students", "< 1 s", lambda r: r["seconds"] < 1),
    (
        "job:disengagement",
        "jobs",
        "disengagement job, students",
        "< 1 s",
        lambda r: r["seconds"] < 1,
    ),
    ("job:digest", "jobs", "digest job, students", "< 1 s", lambda r: r["seconds"] < 1),
    (
        "job:digest-warm",
        "jobs",
        "  the same, its process's second week",
        "< 1 s",
        lambda r: r["seconds"] < 1,
    ),
    ("job:alerts", "jobs", "overdue alerts job, students", "< 1 s", lambda r: r["seconds"] < 1),
    ("job:pruned", "jobs", "outbox pruning job, students", "< 1 s", lambda r: r["seconds"] < 1),
    (
        "book",
        "jobs",
        "/book, no argument, past sessions",
        "<= 6 statements, <= 1.5x",
        lambda r: r["statements"] <= 6 and float(r["note"].rsplit(" ", 1)[1][:-1]) <= 1.5,
    ),
    (
        "claim",
        "big",
        "outbox claim, finished rows",
        "cheap whatever the history",
        lambda r: r["seconds"] < 0.05,
    ),
]


def run_step(step: str, url: str, size: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(STEPS), step, url, str(size)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        return {
            "seconds": float("nan"),
            "statements": 0,
            "rss_mb": 0,
            "note": f"FAILED: {done.stderr.strip().splitlines()[-1][:80]}",
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(label: str, url: str, sizes: dict[str, int]) -> None:
    print(f"\n{label}")
    print(
        f"{'what':38} {'size':>8} {'time':>10} {'statements':>10} {'peak RSS':>9}  "
        f"{'target':28} result"
    )
    for step, size_key, what, target, check in PLAN:
        if step == "wait" and not url.startswith("sqlite"):
            continue
        result = run_step(step, url, sizes[size_key])
        if check is None:
            continue
        seconds = float(result["seconds"])  # type: ignore[arg-type]
        shown = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        verdict = "PASS" if check(result) else "FAIL"
        print(
            f"{what:38} {sizes[size_key]:>8,} {shown:>10} {result['statements']:>10} "
            f"{float(result['rss_mb']):>6.0f} MB  {target:28} {verdict}  {result['note']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pg",
        "--database",
        dest="pg",
        default=os.environ.get("TEST_DATABASE_URL", ""),
        metavar="URL",
        help="PostgreSQL URL (default $TEST_DATABASE_URL). WARNING: wiped.",
    )
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    sizes = {"big": 100_000 // scale, "jobs": 10_000 // scale}
    print(f"machine: {os.cpu_count()} cores; {os.uname().sysname} {os.uname().release}")
    with tempfile.TemporaryDirectory() as directory:
        run("SQLite", f"sqlite:///{Path(directory) / 'scale.db'}", sizes)
    if args.pg:
        run("PostgreSQL", args.pg, sizes)
    else:
        print("\nPostgreSQL: skipped (no --pg URL and TEST_DATABASE_URL is not set)")


if __name__ == "__main__":
    main()
