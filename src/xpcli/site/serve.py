"""The preview server: a built site on 127.0.0.1, at the path of its base address.

The site is mounted where the web server will publish it (`/xingping/` for
`https://zwfw.example.cn/xingping/`), so the 404 page's absolute links work as they will online;
`/` redirects there. Loopback only, no directory listings, the site's own 404 page for anything
missing. Nothing is printed (the command line says where it serves).
"""

from __future__ import annotations

import json
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from xpcli.errors import XpcliError

HOST = "127.0.0.1"
MANIFEST = "xpcli-site.json"
NOT_FOUND = "404.html"


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, folder: Path, mount: str, port: int) -> None:
        self.folder = folder
        self.mount = mount
        super().__init__((HOST, port), partial(_Handler, directory=str(folder)))

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_port}{self.mount}"


def open_server(folder: Path, port: int = 0) -> SiteServer:
    """A server for the site in `folder` (written by build-site), bound but not yet serving."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        mount = urlsplit(manifest["base"]).path or "/"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise XpcliError("preview-no-site", path=folder) from exc
    try:
        return SiteServer(folder.resolve(), mount, port)
    except OSError as exc:
        raise XpcliError("preview-cannot-listen", port=port, reason=exc.strerror or exc) from exc


class _Handler(SimpleHTTPRequestHandler):
    server: SiteServer
    extensions_map = {  # noqa: RUF012  (the base class's own attribute, extended)
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".xml": "application/xml",
    }

    def do_GET(self) -> None:
        if not self._outside_mount():
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self._outside_mount():
            super().do_HEAD()

    def _outside_mount(self) -> bool:
        """Answers `/` (redirect to the mount) and paths outside the mount (404)."""
        path = urlsplit(self.path).path
        if path.startswith(self.server.mount):
            return False
        if path == "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.server.mount)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(HTTPStatus.NOT_FOUND)
        return True

    def translate_path(self, path: str) -> str:
        below = "/" + urlsplit(path).path[len(self.server.mount) :]
        return super().translate_path(below)

    def list_directory(self, path: Any) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.server.folder / NOT_FOUND
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the core never prints."""
