"""Answers on response_urls reuse one connection per thread, and survive the server closing it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from adapters.slack.webhook import post_json


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.append((self.client_address[1], self.path, body))
        status = 404 if self.path.endswith("/gone") else 200
        payload = b"ok" if status == 200 else b"no_active_hooks"
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        # An idle timeout on the server's side: the connection ends without a word to the client.
        self.close_connection = self.server.hang_up

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.seen: list[tuple[int, str, dict[str, object]]] = []  # client port, path, body
        self.hang_up = False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[_Server]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_answers_from_one_thread_share_a_connection(server: _Server) -> None:
    for n in range(3):
        assert post_json(server.url(f"/respond/{n}?x=1"), {"text": f"answer {n}"}).status == 200
    assert [(path, body["text"]) for _, path, body in server.seen] == [
        (f"/respond/{n}?x=1", f"answer {n}") for n in range(3)
    ]
    assert len({port for port, _, _ in server.seen}) == 1


def test_a_connection_the_server_closed_is_replaced(server: _Server) -> None:
    server.hang_up = True
    for n in range(3):
        assert post_json(server.url(f"/respond/{n}"), {"text": f"answer {n}"}).status == 200
    assert [body["text"] for _, _, body in server.seen] == [f"answer {n}" for n in range(3)]
    assert len({port for port, _, _ in server.seen}) == 3


def test_a_refusal_is_a_status_with_its_body(server: _Server) -> None:
    refused = post_json(server.url("/respond/gone"), {"text": "late"})
    assert (refused.status, refused.body) == (404, "no_active_hooks")
    assert post_json(server.url("/respond/next"), {"text": "next"}).status == 200
