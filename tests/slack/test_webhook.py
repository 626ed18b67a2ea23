"""Answers on response_urls reuse one connection per thread, and survive the server closing it."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from adapters.slack.webhook import Posted, post_json


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


def _answering(*answers: bytes) -> tuple[str, list[bytes]]:
    """A server that reads one request per answer on one connection and writes `answers` as
    they are (then closes): the shapes of HTTP answers the standard library's server never
    writes. Returns its URL and the requests it read."""
    listener = socket.create_server(("127.0.0.1", 0))
    requests: list[bytes] = []

    def serve() -> None:
        with listener, listener.accept()[0] as connection:
            reader = connection.makefile("rb")
            for answer in answers:
                head = b"".join(iter(lambda: reader.readline(), b"\r\n"))
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                requests.append(head + b"\r\n" + reader.read(length))
                connection.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/respond/x", requests


def test_chunked_informational_and_close_delimited_answers_are_read() -> None:
    url, requests = _answering(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\nok\r\n3;x=y\r\n!!!\r\n0\r\nTrailer: t\r\n\r\n",
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=latin-1\r\n"
        b"Content-Length: 3\r\n\r\n\xe9t\xe9",
        b"HTTP/1.0 500 Internal Server Error\r\n\r\nbroken, then closed",
    )
    assert post_json(url, {"text": "a"}) == Posted(200, "ok!!!")
    assert post_json(url, {"text": "b"}) == Posted(404, "été")  # the same connection
    assert post_json(url, {"text": "c"}) == Posted(500, "broken, then closed")
    first = requests[0].decode()
    assert first.startswith("POST /respond/x HTTP/1.1\r\nHost: 127.0.0.1:")
    assert "Content-Type: application/json;charset=utf-8\r\n" in first
    assert json.loads(first.partition("\r\n\r\n")[2]) == {"text": "a"}
    assert len(requests) == 3
