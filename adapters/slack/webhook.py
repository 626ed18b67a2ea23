"""POSTs to response_urls over connections kept open, one per thread and host.

slack_sdk's WebhookClient builds a urllib opener and opens a new TCP (and TLS) connection for
every answer; with 20 clients that was a sixth of the work after each ack, on the cores the
next acks wait for (bench/slack_ack.py, py-spy). Every response_url of a workspace is on one
host, so each worker thread keeps its connection to it. A connection the server closed while
idle is noticed before it is reused; a connection error is retried once on a new connection,
as WebhookClient's default retry handler does. Behind a proxy (HTTPS_PROXY or HTTP_PROXY, as
the SDK reads them) WebhookClient itself sends.
"""

from __future__ import annotations

import http.client
import json
import select
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any

from slack_sdk.proxy_env_variable_loader import load_http_proxy_from_env
from slack_sdk.web.internal_utils import get_user_agent
from slack_sdk.webhook import WebhookClient

TIMEOUT = 30  # seconds, WebhookClient's
HEADERS = {"Content-Type": "application/json;charset=utf-8", "User-Agent": get_user_agent()}

Origin = tuple[str, str, int | None]  # scheme, host, port


@dataclass(frozen=True)
class Posted:
    status: int
    body: str


class _Kept(threading.local):
    def __init__(self) -> None:
        self.connections: dict[Origin, http.client.HTTPConnection] = {}


_kept = _Kept()


def post_json(url: str, body: dict[str, Any]) -> Posted:
    """POST `body` as JSON; Slack's status and answer (a refusal is a status, not an error)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"not an HTTP URL: {parts.scheme}:")
    payload = json.dumps(body).encode("utf-8")
    if load_http_proxy_from_env() is not None:
        sent = WebhookClient(url, timeout=TIMEOUT).send_dict(body)
        return Posted(sent.status_code, sent.body)
    origin: Origin = (parts.scheme, parts.hostname or "", parts.port)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        return _post(origin, target, payload)
    except ConnectionError:  # reset, refused, closed under us: once more, on a new connection
        return _post(origin, target, payload)


def _post(origin: Origin, target: str, payload: bytes) -> Posted:
    connection = _connection(origin)
    try:
        connection.request("POST", target, payload, HEADERS)
        response = connection.getresponse()
        text = response.read().decode(response.headers.get_content_charset() or "utf-8")
    except BaseException:
        _drop(origin)
        raise
    if response.will_close:
        _drop(origin)
    return Posted(response.status, text)


def _connection(origin: Origin) -> http.client.HTTPConnection:
    connection = _kept.connections.get(origin)
    if connection is not None and not _closed(connection):
        return connection
    _drop(origin)
    scheme, host, port = origin
    kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    connection = kind(host, port, timeout=TIMEOUT)
    _kept.connections[origin] = connection
    return connection


def _closed(connection: http.client.HTTPConnection) -> bool:
    """An idle connection with something to read has been closed by the server (or broken)."""
    sock = connection.sock
    return sock is None or bool(select.select([sock], [], [], 0)[0])


def _drop(origin: Origin) -> None:
    connection = _kept.connections.pop(origin, None)
    if connection is not None:
        connection.close()
