"""A bare Bolt app in its own process, the yardstick of bench/slack_ack.py: its only listener
acks, behind the same HTTP host as mentorbot (adapters/slack/server.py), with `/healthz`.

`python bench/slack_bare.py PORT` (SLACK_API_URL and SLACK_SIGNING_SECRET from the
environment); it prints `ready` once it serves, and runs until killed.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import slack_bolt
from slack_bolt import Ack
from slack_sdk import WebClient

from adapters.slack.server import SlackHTTPServer


def bare_app() -> slack_bolt.App:
    client = WebClient(token="xoxb-bench", base_url=os.environ["SLACK_API_URL"])
    app = slack_bolt.App(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.command(re.compile(r"^/"))
    def only_ack(ack: Ack) -> None:
        ack()

    return app


def main() -> None:
    server = SlackHTTPServer(bare_app(), "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    server.serve_forever(0.1)


if __name__ == "__main__":
    main()
