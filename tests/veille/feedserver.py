"""A local HTTP server on 127.0.0.1 serving fixture feeds (tests and benchmarks).

    server = FeedServer().start()
    server.add("/feed.xml", rss_feed([...]))          # 200 with an ETag, 304 when matched
    server.add("/gone", status=410)
    server.redirect("/old", "/feed.xml")
    server.url("/feed.xml")  -> "http://127.0.0.1:PORT/feed.xml"
    server.stop()

Routes can also stream a large body (`stream_bytes`), stall (`delay`), gzip their body
or answer with any header. `server.hits[path]` counts requests. Threaded, so two workers
can fetch at once. Only ever listens on the loopback address.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True
    delay: float = 0.0
    gzip: bool = False
    stream_bytes: int = 0  # when set: stream this many bytes of filler instead of body
    location: str = ""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle + delayed ACK
    # add 40 ms to every response.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        path = self.path
        with self.server.lock:
            self.server.hits[path] = self.server.hits.get(path, 0) + 1
            self.server.last_headers[path] = dict(self.headers.items())
            route = self.server.routes.get(path)
        if route is None:
            self._send(404, b"not found", "text/plain")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.location:
            self.send_response(route.status)
            self.send_header("Location", route.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route.stream_bytes:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<item>" + b"x" * 65530 + b"</item>"
            sent = 0
            try:
                self.wfile.write(b"%x\r\n<rss><channel>\r\n" % len(b"<rss><channel>"))
                while sent < route.stream_bytes:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        body = route.body
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
        if route.etag and route.status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers = dict(route.headers)
        if route.etag and route.status == 200:
            headers.setdefault("ETag", etag)
        if route.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(route.status, body, route.content_type, headers)

    def _send(self, status, body, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class FeedServer:
    def __init__(self):
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.routes = {}
        self._server.hits = {}
        self._server.last_headers = {}
        self._server.lock = threading.Lock()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def hits(self) -> dict[str, int]:
        return self._server.hits

    def last_headers(self, path: str) -> dict[str, str]:
        """Headers of the last request for `path` (names as sent)."""
        return self._server.last_headers.get(path, {})

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", **options) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        with self._server.lock:
            self._server.routes[path] = Route(body=body, **options)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        with self._server.lock:
            self._server.routes[path] = Route(status=status, location=location, etag=False)
        return self.url(path)


# --- feed builders ------------------------------------------------------------------------


def _rfc822(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def rss_item(
    *,
    title: str | None = "Titre",
    link: str | None = None,
    guid: str | None = None,
    description: str | None = "Résumé",
    pub_date: datetime | None = None,
    extra: str = "",
) -> dict:
    return {
        "title": title,
        "link": link,
        "guid": guid,
        "description": description,
        "pub_date": pub_date,
        "extra": extra,
    }


def rss_feed(items: list[dict], *, title: str = "Flux de test", language: str = "fr") -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>https://example.org/</link>",
        f"<language>{language}</language>",
    ]
    for item in items:
        parts.append("<item>")
        if item.get("title") is not None:
            parts.append(f"<title>{escape(item['title'])}</title>")
        if item.get("link"):
            parts.append(f"<link>{escape(item['link'])}</link>")
        if item.get("guid"):
            parts.append(f'<guid isPermaLink="false">{escape(item["guid"])}</guid>')
        if item.get("description") is not None:
            parts.append(f"<description>{escape(item['description'])}</description>")
        if item.get("pub_date"):
            parts.append(f"<pubDate>{_rfc822(item['pub_date'])}</pubDate>")
        parts.append(item.get("extra", ""))
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def simple_feed(
    n: int,
    *,
    prefix: str = "Article",
    start: datetime | None = None,
    base: str = "https://example.org",
) -> str:
    """A well-formed RSS feed of `n` distinct entries, one hour apart."""
    start = start or datetime.now(UTC)
    return rss_feed(
        [
            rss_item(
                title=f"{prefix} {i} : les politiques migratoires en débat",
                link=f"{base}/{prefix.lower()}-{i}",
                guid=f"{prefix}-{i}",
                description=f"<p>Contenu de l'article {i} de {prefix}.</p>",
                pub_date=start - timedelta(hours=i),
            )
            for i in range(n)
        ]
    )
