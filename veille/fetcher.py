"""HTTP fetching of one feed, behind the guard (veille.guard).

httpx with a transport of our own (`GuardedTransport`, built on the public
`httpx.BaseTransport` and `httpcore.ConnectionPool` APIs) whose network backend
resolves and vets every address; redirects are followed here, by hand, so that each
hop's URL is checked too (at most 5). The body is streamed and cut at
``VEILLE_FETCH_MAX_BYTES`` (decompressed size), with connect/read timeouts and an
overall deadline. Conditional GET with ETag and Last-Modified.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import ClassVar

import httpcore
import httpx
from django.conf import settings
from django.utils import timezone

from .guard import FetchRefused, GuardedBackend, check_url

MAX_REDIRECTS = 5
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


@dataclass
class FetchResult:
    url: str
    final_url: str = ""
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    retry_after: int | None = None  # seconds
    error_code: str = ""
    error_detail: str = ""
    redirects: int = 0
    elapsed_ms: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error_code

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and not self.error_code


# httpcore's exceptions as httpx raises them (both sides are public classes).
_HTTPX_ERRORS: dict[type[Exception], type[Exception]] = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
}


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except tuple(_HTTPX_ERRORS) as exc:
        for core_error, httpx_error in _HTTPX_ERRORS.items():
            if isinstance(exc, core_error):
                raise httpx_error(str(exc)) from exc
        raise  # pragma: no cover - every key above matched


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, response: httpcore.Response):
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._response.iter_stream()

    def close(self) -> None:
        self._response.close()


class GuardedTransport(httpx.BaseTransport):
    """httpx transport over an httpcore pool whose network backend is the guard's."""

    def __init__(self, *, limits: httpx.Limits):
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = self._pool.handle_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_ResponseStream(response),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class Fetcher:
    """One per process (connections are pooled); `fetcher()` returns it."""

    _instances: ClassVar[dict[int, Fetcher]] = {}

    def __init__(self):
        self.client = httpx.Client(
            transport=GuardedTransport(
                limits=httpx.Limits(
                    max_connections=20, max_keepalive_connections=10, keepalive_expiry=30
                )
            ),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": settings.VEILLE_USER_AGENT,
                "Accept": (
                    "application/rss+xml, application/atom+xml, application/rdf+xml, "
                    "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
                ),
            },
        )

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
        result = FetchResult(url=url)
        started = time.monotonic()
        deadline = started + settings.VEILLE_FETCH_TOTAL_TIMEOUT
        try:
            self._fetch(result, url, etag=etag, last_modified=last_modified, deadline=deadline)
        except FetchRefused as exc:
            result.error_code, result.error_detail = exc.code, exc.detail
        except httpx.TimeoutException as exc:
            result.error_code, result.error_detail = "timeout", type(exc).__name__
        except httpx.ConnectError as exc:
            text = str(exc)
            if text.startswith("dns:"):
                result.error_code, result.error_detail = "dns", text[4:].strip()[:200]
            elif "CERTIFICATE" in text.upper() or "SSL" in text.upper():
                result.error_code, result.error_detail = "tls", text[:200]
            else:
                result.error_code, result.error_detail = "connect", text[:200]
        except (httpx.RemoteProtocolError, httpx.LocalProtocolError, httpx.DecodingError) as exc:
            result.error_code, result.error_detail = "protocol", str(exc)[:200]
        except httpx.TransportError as exc:
            result.error_code, result.error_detail = "connect", str(exc)[:200]
        except httpx.InvalidURL as exc:
            result.error_code, result.error_detail = "invalid_url", str(exc)[:200]
        result.elapsed_ms = int((time.monotonic() - started) * 1000)
        if result.error_code:
            result.body = b""
        return result

    def _fetch(self, result, url, *, etag, last_modified, deadline):
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            check_url(current)
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            timeout = httpx.Timeout(
                connect=settings.VEILLE_FETCH_CONNECT_TIMEOUT,
                read=settings.VEILLE_FETCH_READ_TIMEOUT,
                write=10.0,
                pool=10.0,
            )
            with self.client.stream("GET", current, headers=headers, timeout=timeout) as response:
                result.final_url = current
                result.status = response.status_code
                if response.status_code in REDIRECT_CODES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchRefused("protocol", "redirect without Location")
                    current = str(response.url.join(location))
                    result.redirects = hop + 1
                    continue
                self._read(result, response, deadline)
                return
        raise FetchRefused("too_many_redirects", str(MAX_REDIRECTS))

    def _read(self, result: FetchResult, response: httpx.Response, deadline: float) -> None:
        headers = response.headers
        result.content_type = headers.get("content-type", "")[:200]
        result.etag = headers.get("etag", "")[:500]
        result.last_modified = headers.get("last-modified", "")[:100]
        result.retry_after = parse_retry_after(headers.get("retry-after"))
        status = response.status_code
        if status == 304:
            return
        if status in (429, 503):
            result.error_code = "rate_limited" if status == 429 else "http_error"
            result.error_detail = f"HTTP {status}"
            return
        if status >= 400 or status < 200:
            result.error_code, result.error_detail = "http_error", f"HTTP {status}"
            return
        limit = settings.VEILLE_FETCH_MAX_BYTES
        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchRefused("too_large", f"Content-Length {declared}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(chunk_size=65536):
            size += len(chunk)
            if size > limit:
                raise FetchRefused("too_large", f"more than {limit} bytes")
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("overall deadline")
            chunks.append(chunk)
        result.body = b"".join(chunks)


def parse_retry_after(value: str | None) -> int | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(int(value), 7 * 24 * 3600)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0, min(int((when - timezone.now()).total_seconds()), 7 * 24 * 3600))


def fetcher() -> Fetcher:
    """The process's fetcher (a new one after a fork: sockets are not shared)."""
    pid = os.getpid()
    instance = Fetcher._instances.get(pid)
    if instance is None:
        Fetcher._instances.clear()
        instance = Fetcher._instances[pid] = Fetcher()
    return instance
