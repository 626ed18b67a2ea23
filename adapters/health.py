"""`/healthz`, `/readyz` and `/metrics` of a serving process, whatever it serves, and the
people's private calendar feeds (`/calendar/<token>.ics`).

`/healthz` says the process answers (for restarts); `/readyz` says whether it can do its work —
the database answers and each served platform is connected — and whether this replica leads the
scheduled jobs (for load balancers and dashboards). JSON, with no secrets and no personal data.

A serving process starts this server first, once its migration check is done and before it
imports the rest (adapters/startup.py): until the process attaches its readiness, metrics and
feeds, `/readyz` says "starting" (503), `/metrics` answers 503 and no feed is served. Nothing
here imports more than the standard library, so that /healthz answers that early.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # prometheus_client is the serving process's, imported after /healthz answers
    from adapters.metrics import Metrics

log = logging.getLogger(__name__)

Readiness = Callable[[], dict[str, object]]
Feed = Callable[[str], bytes | None]  # a token → that person's calendar, or None: 404
FEED_PATH = re.compile(r"/calendar/([A-Za-z0-9_-]{1,200})\.ics")
FEED_TYPE = "text/calendar; charset=utf-8"


def starting() -> dict[str, object]:
    """The readiness of a process still starting: its parts are not built yet."""
    return {"ready": False, "starting": True}


class _Handler(BaseHTTPRequestHandler):
    server: HealthServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.partition("?")[0]
        if path == "/healthz":
            self._json(200, {"ok": True})
        elif path == "/readyz":
            report = self.server.readiness()
            self._json(200 if report.get("ready") else 503, report)
        elif path == "/metrics" and self.server.metrics is not None:
            from adapters.metrics import CONTENT_TYPE  # imported with the metrics themselves

            self._send(200, CONTENT_TYPE, self.server.metrics.exposition())
        elif path == "/metrics":  # still starting: nothing counted yet
            self._send(503, "text/plain", b"")
        elif (feed := self._feed(path)) is not None:
            self._send(200, FEED_TYPE, feed, private=True)
        else:
            self._send(404, "text/plain", b"")  # a wrong feed token learns nothing more

    def _feed(self, path: str) -> bytes | None:
        match = FEED_PATH.fullmatch(path)
        if match is None or self.server.feed is None:
            return None
        try:
            return self.server.feed(match[1])
        except Exception:
            log.exception("the calendar feed failed")
            return None

    def _json(self, status: int, body: object) -> None:
        self._send(status, "application/json", json.dumps(body).encode())

    def _send(
        self, status: int, content_type: str, payload: bytes, *, private: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if private:  # a person's sessions: no shared cache keeps them
            self.send_header("Cache-Control", "private, max-age=300")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class HealthServer(ThreadingHTTPServer):
    """Runs in its own thread; the serving process stops it last, after its other parts."""

    daemon_threads = True
    name = "health"

    def __init__(
        self,
        host: str,
        port: int,
        metrics: Metrics | None = None,
        readiness: Readiness = starting,
        feed: Feed | None = None,
    ) -> None:
        super().__init__((host, port), _Handler)
        self.metrics = metrics
        self.readiness = readiness
        self.feed = feed
        self._thread = threading.Thread(target=self.serve_forever, args=(0.1,), name="health")
        self._thread.daemon = True

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        if self._thread.ident is None:  # a serving process may start it before its parts
            self._thread.start()

    def stop(self, timeout: float) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout)
