"""POSTs to response_urls over connections kept open, one per thread and host.

slack_sdk's WebhookClient builds a urllib opener and opens a new TCP (and TLS) connection for
every answer; with 20 clients that was a sixth of the work after each ack, on the cores the
next acks wait for (bench/slack_ack.py, py-spy). Every response_url of a workspace is on one
host, so each worker thread keeps its connection to it. A connection the server closed while
idle is noticed before it is reused; a connection error is retried once on a new connection,
as WebhookClient's default retry handler does. http.client opens each connection (and its
TLS); the request and its answer are written and read here (`_Connection`). Behind a proxy
(HTTPS_PROXY or HTTP_PROXY, as the SDK reads them) WebhookClient itself sends.
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
        self.connections: dict[Origin, _Connection] = {}


_kept = _Kept()
_LINE = 65536  # bytes a status or header line may have (http.client's limit)


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
        posted, close = connection.exchange(target, payload)
    except BaseException:
        _drop(origin)
        raise
    if close:
        _drop(origin)
    return posted


class _Connection:
    """One kept HTTP/1.1 connection: http.client opens it (TLS included); the request leaves
    in one send and its answer is read here. http.client parses each answer's headers with the
    email package, a fifth of an answer's CPU for Slack's two-byte "ok" (py-spy)."""

    def __init__(self, origin: Origin) -> None:
        scheme, host, port = origin
        kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        opened = kind(host, port, timeout=TIMEOUT)
        opened.connect()
        self.sock = opened.sock
        self._file = self.sock.makefile("rb")
        name = f"[{host}]" if ":" in host else host
        self._host = name if port is None else f"{name}:{port}"

    def exchange(self, target: str, payload: bytes) -> tuple[Posted, bool]:
        """The answer, and whether the server closes the connection after it."""
        head = f"POST {target} HTTP/1.1\r\nHost: {self._host}\r\n{_HEAD}{len(payload)}\r\n\r\n"
        self.sock.sendall(head.encode("latin-1") + payload)
        version, status, headers = self._head()
        while 100 <= status < 200:  # "100 Continue" and the like come before the answer
            version, status, headers = self._head()
        close = headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
        length = headers.get("content-length")
        if "chunked" in headers.get("transfer-encoding", "").lower():
            raw = self._chunked()
        elif length is not None:
            raw = self._exactly(int(length))
        elif status in (204, 304):
            raw = b""
        else:  # delimited by the connection's end
            raw, close = self._file.read(), True
        charset = headers.get("content-type", "").partition("charset=")[2].split(";")[0]
        return Posted(status, raw.decode(charset.strip().strip('"') or "utf-8")), close

    def _head(self) -> tuple[str, int, dict[str, str]]:
        line = self._file.readline(_LINE)
        if not line:  # closed while idle, as we sent: http.client's RemoteDisconnected
            raise ConnectionResetError("the server closed the connection without answering")
        version, _, rest = line.decode("latin-1").partition(" ")
        if not version.startswith("HTTP/") or not rest[:3].isdigit():
            raise http.client.BadStatusLine(line.decode("latin-1"))
        headers: dict[str, str] = {}
        while (field := self._file.readline(_LINE)) not in (b"\r\n", b"\n", b""):
            name, _, value = field.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return version, int(rest[:3]), headers

    def _chunked(self) -> bytes:
        chunks = []
        while size := int(self._file.readline(_LINE).split(b";")[0].strip() or b"0", 16):
            chunks.append(self._exactly(size))
            self._exactly(2)  # the chunk's CRLF
        while self._file.readline(_LINE) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(chunks)

    def _exactly(self, size: int) -> bytes:
        data = self._file.read(size)
        if len(data) < size:
            raise http.client.IncompleteRead(data, size - len(data))
        return data

    def closed(self) -> bool:
        """An idle connection with something to read has been closed by the server (or broken)."""
        return bool(select.select([self.sock], [], [], 0)[0])

    def close(self) -> None:
        self._file.close()
        self.sock.close()


_HEAD = "".join(f"{k}: {v}\r\n" for k, v in {**HEADERS, "Accept-Encoding": "identity"}.items())
_HEAD += "Content-Length: "


def _connection(origin: Origin) -> _Connection:
    connection = _kept.connections.get(origin)
    if connection is not None and not connection.closed():
        return connection
    _drop(origin)
    connection = _Connection(origin)
    _kept.connections[origin] = connection
    return connection


def _drop(origin: Origin) -> None:
    connection = _kept.connections.pop(origin, None)
    if connection is not None:
        connection.close()
