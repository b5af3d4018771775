"""The daemons' status pages: an HTML page and Spark's ``/json``, served by a stdlib HTTP server
in a thread. State is read through a callable (which asks the daemon's loop for a snapshot);
a daemon may add read-only pages of its own (the worker's executor log pages)."""
from __future__ import annotations

import errno
import html
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs

log = logging.getLogger("pyspk.deploy.WebUI")

Page = Callable[[dict[str, str]], tuple[int, str, bytes]]
"""An extra page: query parameters in, (HTTP status, content type, body) out."""

PORT_RETRIES = 16


class StatusServer:
    """Serves ``/`` (HTML from ``render``) and ``/json`` (``get_state()``) on ``host:port``;
    a busy port is retried on the next ones, as Spark does (``spark.port.maxRetries``)."""

    def __init__(self, host: str, port: int, get_state: Callable[[], dict[str, Any]],
                 render: Callable[[dict[str, Any]], str],
                 pages: dict[str, Page] | None = None) -> None:
        handler = _handler(get_state, render, dict(pages or {}))
        last: OSError | None = None
        for attempt in range(PORT_RETRIES + 1):
            try:
                self.httpd = ThreadingHTTPServer((host, port + attempt if port else 0), handler)
                break
            except OSError as e:
                if e.errno != errno.EADDRINUSE or not port:
                    raise
                last = e
        else:
            raise last  # type: ignore[misc]
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       name=f"webui-{self.port}",
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(get_state: Callable[[], dict[str, Any]], render: Callable[[dict[str, Any]], str],
             pages: dict[str, Page]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path, _, query = self.path.partition("?")
            path = path.rstrip("/")
            if path in pages:
                params = {k: v[0] for k, v in parse_qs(query).items()}
                self._reply(*pages[path](params))
                return
            if path not in ("", "/json"):
                self._reply(404, "text/plain", b"Not Found")
                return
            try:
                state = get_state()
            except Exception as e:  # the daemon is stopping or its loop is stuck
                self._reply(503, "text/plain", f"unavailable: {e}".encode())
                return
            if path == "/json":
                self._reply(200, "application/json", json.dumps(state, indent=2).encode())
            else:
                self._reply(200, "text/html; charset=utf-8", render(state).encode())

        def do_POST(self) -> None:  # noqa: N802
            self._reply(405, "text/plain", b"State-changing requests are not enabled")

        def _reply(self, code: int, ctype: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt: str, *args: Any) -> None:
            log.debug(fmt, *args)

    return Handler


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """An HTML table with escaped cells."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table border='1' cellpadding='4'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"</head><body><h2>{html.escape(title)}</h2>{body}</body></html>")
