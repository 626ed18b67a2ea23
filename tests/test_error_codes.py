"""A start-up refusal names the failure by a code, never by the exception's English text: the
sentence around it is the reader's language ("Slack ne répond pas (ECONNREFUSED)")."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path
from urllib.error import URLError

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from adapters.error_codes import error_code


def _slack_refusal(code: str) -> BoltError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/auth.test",
        req_args={},
        data={"ok": False, "error": code},
        headers={},
        status_code=200,
    )
    try:
        try:
            raise SlackApiError("The request to the Slack API failed.", response)
        except SlackApiError as error:
            raise BoltError(f"auth.test failed: {error}") from error
    except BoltError as wrapped:
        return wrapped


def test_a_system_error_is_named_by_its_errno_even_inside_urllibs() -> None:
    refused = ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
    assert error_code(refused) == "ECONNREFUSED"
    assert error_code(URLError(refused)) == "ECONNREFUSED"


def test_a_slack_refusal_is_named_by_slacks_code() -> None:
    assert error_code(_slack_refusal("invalid_auth")) == "invalid_auth"
    assert error_code(_slack_refusal("Not A Code <script>")) == "BoltError"


def test_anything_else_is_named_by_its_class() -> None:
    assert error_code(TimeoutError()) == "TimeoutError"
    assert error_code(RuntimeError("some English sentence")) == "RuntimeError"


def test_slack_out_of_reach_at_start_is_said_in_french_with_a_code(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # the discard port: nothing listens there
    }
    run = subprocess.run(
        [sys.executable, "-m", "bot", "slack", "--http", "--port", "0"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    said = run.stderr.strip().splitlines()[-1]
    assert said == "Slack ne répond pas (ECONNREFUSED)\u202f: vérifiez le réseau et SLACK_API_URL."
