"""What the HTTP host lets through to Bolt: signed first, parsed second, well-shaped third.

Bolt builds a request by parsing its body (and its context from the parsed body) before its
own middleware checks the signature, so an unsigned `payload=null` or a timestamp that is not a
number raised inside Bolt: a 500 or a dropped connection, with a traceback per request for
anyone who can reach the port. Here nothing reads the body until its signature is verified,
and whatever cannot be read is refused with a status and a one-line reason (never the body).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from adapters.slack.shapes import problem

TIMESTAMP = "x-slack-request-timestamp"
SIGNATURE = "x-slack-signature"


@dataclass(frozen=True)
class Refusal:
    status: int  # 400: unreadable; 401: not signed by Slack (or too old)
    reason: str  # for the log: one line, no user data


def admit(
    raw: bytes, headers: Mapping[str, str], query: str, verifier: SignatureVerifier | None
) -> BoltRequest | Refusal:
    """The request for Bolt, or why it is refused."""
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "body is not UTF-8")
    if verifier is None or not signed(verifier, body, headers):
        return Refusal(401, "missing, bad or stale signature")
    content_type = (headers.get("content-type") or "").split(";")[0].strip() or None
    try:
        parsed: object = parse_body(body, content_type)
    except ValueError:  # json.JSONDecodeError is one
        return Refusal(400, "body does not parse")
    why = problem(parsed)
    if why is not None:
        return Refusal(400, why)
    bolt_headers: dict[str, str | Sequence[str]] = dict(headers)
    try:
        return BoltRequest(body=body, query=query, headers=bolt_headers)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):  # a shape we missed
        return Refusal(400, "Bolt could not read the body")


def signed(verifier: SignatureVerifier, body: str, headers: Mapping[str, str]) -> bool:
    """Slack's signature over this very body, within five minutes (the verifier's window)."""
    timestamp, signature = headers.get(TIMESTAMP), headers.get(SIGNATURE)
    if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
        return False
    try:
        return verifier.is_valid(body, timestamp, signature)
    except ValueError:  # a timestamp too long for int()
        return False
