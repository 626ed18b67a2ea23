"""The tests' fake Slack (tests/slack/fake_slack.py) in a process of its own, for the benches:
in the bench's process its answers to mentorbot's follow-ups would compete for the bench's
GIL with the clients timing the acks, in mentorbot's halves only.

`python bench/fake_slack_process.py` prints the fake's base URL, then serves until killed.
`GET /api/bench.count?prefix=P&contains=T` answers how many calls so far have a method starting
with P (and, given T, a text containing it).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.slack.fake_slack import Call, FakeSlack

COUNT = "bench.count"


class CountingFake(FakeSlack):
    def answer(self, call: Call) -> dict[str, Any]:
        if call.method == COUNT:
            prefix, text = str(call.args.get("prefix", "")), str(call.args.get("contains", ""))
            found = [c for c in self.calls if c.method.startswith(prefix)]  # under record's lock
            return {"ok": True, "count": sum(text in c.text for c in found)}
        return super().answer(call)


def main() -> None:
    fake = CountingFake().start()
    print(fake.base, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
