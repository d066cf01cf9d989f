"""The guard against server-side request forgery for feed fetching.

Every URL the fetcher touches (the feed and every redirect hop) goes through
`check_url`; every TCP connection is opened by `GuardedBackend.connect_tcp`, which
resolves the name itself, refuses non-global addresses *before* connecting, connects to
the vetted address and checks the connected peer again. Nothing reaches an internal
address unless it is listed in ``VEILLE_FETCH_ALLOWLIST`` (hosts or CIDRs).

Only public httpcore APIs are used: a network backend is httpcore's documented
extension point (``ConnectionPool(network_backend=...)``), `SyncBackend.connect_tcp`
opens the socket to an IP literal, and the stream's ``get_extra_info("server_addr")``
gives the connected peer.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import httpcore
from django.conf import settings

ALLOWED_SCHEMES = frozenset({"http", "https"})
ALLOWED_PORTS = frozenset({80, 443})

# Shared address space (RFC 6598) and a few ranges `is_global` lets through on some
# Python versions; refused explicitly.
_EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "100.64.0.0/10",
        "192.0.0.0/24",
        "198.18.0.0/15",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2002::/16",
        "2001::/32",
    )
)
# Anything made of digits, dots and hex/octal markers that is not a plain dotted quad:
# "2130706433", "0x7f.1", "0177.0.0.1", "127.1" are refused before any resolution.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*\.?$", re.IGNORECASE)
_DOTTED_QUAD = re.compile(
    r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$"
)


class FetchRefused(Exception):
    """The URL or the address it leads to is refused by the guard."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Allowlist:
    hosts: frozenset[str]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    def allows_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        if host in self.hosts:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return self.allows_address(address)

    def allows_address(self, address) -> bool:
        return any(address in network for network in self.networks)


@lru_cache(maxsize=8)
def _parse_allowlist(entries: tuple[str, ...]) -> Allowlist:
    hosts: set[str] = set()
    networks = []
    for raw in entries:
        entry = raw.strip().lower()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.rstrip("."))
    return Allowlist(hosts=frozenset(hosts), networks=tuple(networks))


def allowlist() -> Allowlist:
    return _parse_allowlist(tuple(settings.VEILLE_FETCH_ALLOWLIST))


def address_is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None or address.sixtofour is not None:
            return False
        if address.teredo is not None:
            return False
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or not address.is_global
    ):
        return False
    return not any(address in network for network in _EXTRA_BLOCKED)


def address_allowed(address_text: str, host: str = "") -> bool:
    """May we connect to this address (reached through `host`)?"""
    try:
        address = ipaddress.ip_address(address_text.split("%", 1)[0])
    except ValueError:
        return False
    if address_is_public(address):
        return True
    rules = allowlist()
    if rules.allows_address(address):
        return True
    # A host *name* on the allowlist may resolve to internal addresses (internal feeds);
    # an IP literal only passes through the CIDR rules above.
    name = host.lower().rstrip(".").strip("[]")
    return bool(name) and not _is_ip(name) and name in rules.hosts


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def check_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of `url`, or FetchRefused when the guard refuses it."""
    if not url or len(url) > 2000:
        raise FetchRefused("invalid_url", "empty or too long")
    if any(ch in url for ch in "\r\n\t\x00 "):
        raise FetchRefused("invalid_url", "whitespace or control character")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("invalid_url", str(exc)[:100]) from None
    scheme = (parts.scheme or "").lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchRefused("forbidden_scheme", scheme[:20])
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused("invalid_url", "no host")
    if _NUMERIC_HOST.match(host) and not _DOTTED_QUAD.match(host):
        raise FetchRefused("forbidden_address", "ambiguous numeric host")
    if port is None:
        port = 443 if scheme == "https" else 80
    rules = allowlist()
    if port not in ALLOWED_PORTS and not rules.allows_host(host):
        raise FetchRefused("forbidden_port", str(port))
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None and not address_allowed(str(literal), host):
        raise FetchRefused("forbidden_address", "literal address")
    return scheme, host, port


# Names that only ever mean "this machine" or "this local network" (RFC 6761, 6762, 8375).
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan")
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def check_source_url(url: str, *, lookup: bool = True) -> str:
    """Refuse at input what the fetcher would refuse later (source form and service, OPML).

    `check_url`, plus names that can only be local, plus (with `lookup`) a DNS lookup: a
    name whose addresses are all internal is refused now. A name that does not resolve
    (yet) is accepted: the fetcher will report it on the source. An OPML file of hundreds
    of feeds is checked without lookups (each costs a round trip to the resolver); the
    fetcher still checks every address it connects to. Returns the URL.
    """
    _scheme, host, port = check_url(url)
    name = host.lower().rstrip(".").strip("[]")
    rules = allowlist()
    if _is_ip(name) or name in rules.hosts:
        return url
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        raise FetchRefused("forbidden_address", "local name")
    if lookup:
        # A name unknown today is accepted: the fetcher will say so on the source.
        with contextlib.suppress(httpcore.ConnectError):
            resolve(name, port)
    return url


def resolve(host: str, port: int) -> list[str]:
    """Addresses for `host`, each checked by the guard (FetchRefused if none is allowed)."""
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"dns: {exc}") from None
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = sockaddr[0]
        if address not in addresses:
            addresses.append(address)
    allowed = [a for a in addresses if address_allowed(a, host)]
    if not allowed:
        raise FetchRefused("forbidden_address", "resolved to a non-public address")
    return allowed


class GuardedBackend(httpcore.SyncBackend):
    """httpcore network backend that connects only to vetted addresses."""

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port)
        last_error: Exception | None = None
        for address in addresses:
            try:
                # An IP literal: the standard backend connects without resolving again.
                stream = super().connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            try:
                peer = stream.get_extra_info("server_addr")
            except OSError:
                peer = None
            if not peer or not address_allowed(str(peer[0]), host):
                stream.close()
                raise FetchRefused("forbidden_address", "connected peer is not public")
            return stream
        raise last_error or httpcore.ConnectError("no address")
