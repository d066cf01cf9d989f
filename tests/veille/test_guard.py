"""The forgery guard, with the allowlist off: no request ever reaches an internal address.

No test here sends traffic anywhere but 127.0.0.1: refused addresses are refused before
any connection is opened.
"""

import socket

import pytest

from veille import guard
from veille.fetcher import Fetcher
from veille.guard import FetchRefused, check_url

pytestmark = pytest.mark.usefixtures("no_allowlist")


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("file:///etc/passwd", "forbidden_scheme"),
        ("ftp://example.org/feed", "forbidden_scheme"),
        ("gopher://example.org/", "forbidden_scheme"),
        ("javascript:alert(1)", "forbidden_scheme"),
        ("http://example.org:8080/feed", "forbidden_port"),
        ("https://example.org:22/", "forbidden_port"),
        ("http://127.0.0.1/", "forbidden_address"),
        ("http://127.0.0.1:80/admin", "forbidden_address"),
        ("http://[::1]/", "forbidden_address"),
        ("http://169.254.169.254/latest/meta-data/", "forbidden_address"),
        ("http://100.64.0.1/", "forbidden_address"),
        ("http://10.0.0.1/", "forbidden_address"),
        ("http://172.16.5.4/", "forbidden_address"),
        ("http://192.168.1.1/", "forbidden_address"),
        ("http://224.0.0.1/", "forbidden_address"),
        ("http://0.0.0.0/", "forbidden_address"),
        ("http://240.0.0.1/", "forbidden_address"),
        ("http://255.255.255.255/", "forbidden_address"),
        ("http://[::ffff:127.0.0.1]/", "forbidden_address"),
        ("http://[::ffff:a9fe:a9fe]/", "forbidden_address"),
        ("http://[fe80::1]/", "forbidden_address"),
        ("http://[fc00::1]/", "forbidden_address"),
        ("http://[::]/", "forbidden_address"),
        ("http://[ff02::1]/", "forbidden_address"),
        ("http://[2002:7f00:1::]/", "forbidden_address"),
        ("http://2130706433/", "forbidden_address"),
        ("http://0x7f000001/", "forbidden_address"),
        ("http://0x7f.0.0.1/", "forbidden_address"),
        ("http://0177.0.0.1/", "forbidden_address"),
        ("http://017700000001/", "forbidden_address"),
        ("http://127.1/", "forbidden_address"),
        ("http://0/", "forbidden_address"),
        ("http:///feed", "invalid_url"),
        ("http://exa mple.org/", "invalid_url"),
        ("", "invalid_url"),
    ],
)
def test_guard_refuses_url(url, code):
    with pytest.raises(FetchRefused) as refused:
        check_url(url)
    assert refused.value.code == code


@pytest.mark.parametrize(
    "url",
    ["https://www.infomigrants.net/fr/rss", "http://93.184.216.34/feed", "https://[2606:4700::1]/"],
)
def test_guard_accepts_public_urls(url):
    scheme, _host, port = check_url(url)
    assert scheme in ("http", "https")
    assert port in (80, 443)


def _fake_dns(mapping):
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in mapping:
            family = socket.AF_INET6 if ":" in mapping[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (mapping[host], port))]
        return real(host, port, *args, **kwargs)

    return fake


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "100.100.1.1", "::1", "::ffff:10.0.0.1"]
)
def test_name_resolving_to_internal_address_is_refused_before_connecting(monkeypatch, address):
    monkeypatch.setattr(socket, "getaddrinfo", _fake_dns({"feeds.example.org": address}))
    connects = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: connects.append(addr))

    result = Fetcher().fetch("http://feeds.example.org/rss.xml")

    assert result.error_code == "forbidden_address"
    assert connects == []


def test_localhost_by_name_is_refused():
    result = Fetcher().fetch("http://localhost/feed.xml")
    assert result.error_code == "forbidden_address"


def test_redirect_to_internal_address_is_refused(settings, monkeypatch, feed_server):
    # Only the host name "feeds.test" is allowed (it is the local feed server); the
    # redirect target is not, whatever form it takes.
    settings.VEILLE_FETCH_ALLOWLIST = ["feeds.test"]
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        _fake_dns({"feeds.test": "127.0.0.1", "metadata.test": "169.254.169.254"}),
    )
    port = feed_server.port
    for path, target in [
        ("/g/redir-literal", "http://127.0.0.1/private"),
        ("/g/redir-metadata", "http://metadata.test/latest/meta-data/"),
        ("/g/redir-decimal", "http://2130706433/"),
        ("/g/redir-file", "file:///etc/passwd"),
        ("/g/redir-port", f"http://127.0.0.1:{port}/g/ok"),
    ]:
        feed_server.redirect(path, target)
        result = Fetcher().fetch(f"http://feeds.test:{port}{path}")
        assert result.error_code in ("forbidden_address", "forbidden_scheme", "forbidden_port"), (
            path
        )
        assert result.redirects == 1
        assert feed_server.hits.get("/g/ok", 0) == 0


def test_connected_peer_is_checked_again(settings, monkeypatch, feed_server):
    settings.VEILLE_FETCH_ALLOWLIST = ["127.0.0.1/32"]
    feed_server.add("/g/peer.xml", "<rss version='2.0'><channel/></rss>")
    monkeypatch.setattr(socket.socket, "getpeername", lambda self: ("10.9.9.9", 80))

    result = Fetcher().fetch(feed_server.url("/g/peer.xml"))

    assert result.error_code == "forbidden_address"
    assert "peer" in result.error_detail


def test_allowlist_by_cidr_lets_local_server_through(settings, feed_server):
    settings.VEILLE_FETCH_ALLOWLIST = ["127.0.0.0/8"]
    feed_server.add("/g/allowed.xml", "<rss version='2.0'><channel/></rss>")
    result = Fetcher().fetch(feed_server.url("/g/allowed.xml"))
    assert (result.error_code, result.status) == ("", 200)


def test_proxy_environment_is_ignored(settings, monkeypatch, feed_server):
    settings.VEILLE_FETCH_ALLOWLIST = ["127.0.0.1"]
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("http_proxy", "http://10.0.0.1:3128")
    feed_server.add("/g/noproxy.xml", "<rss version='2.0'><channel/></rss>")
    result = Fetcher().fetch(feed_server.url("/g/noproxy.xml"))
    assert result.status == 200


def test_address_classification():
    assert guard.address_allowed("93.184.216.34")
    assert not guard.address_allowed("100.64.0.1")
    assert not guard.address_allowed("::ffff:93.184.216.34")  # IPv4-mapped: refused outright
    assert not guard.address_allowed("not-an-ip")


def test_guard_and_fetcher_use_only_public_httpx_and_httpcore_apis():
    """A private name of either library could vanish in any upgrade and open the guard."""
    import ast
    import inspect

    from veille import fetcher

    for module in (guard, fetcher):
        tree = ast.parse(inspect.getsource(module))
        own = {"self"} | {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                assert not any(p.startswith("_") for p in (node.module or "").split("."))
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.endswith("__")
            ):
                # A private attribute only of our own objects (self._pool…).
                assert isinstance(node.value, ast.Name), (module.__name__, ast.unparse(node))
                assert node.value.id in own, (module.__name__, ast.unparse(node))


def test_an_unreachable_address_falls_through_to_the_next_vetted_one(
    settings, monkeypatch, feed_server
):
    settings.VEILLE_FETCH_ALLOWLIST = ["feeds.test"]
    feed_server.add("/g/fallback.xml", "<rss version='2.0'><channel/></rss>")

    def two_addresses(host, port, *args, **kwargs):
        if host == "feeds.test":
            return [
                (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
            ]
        return real(host, port, *args, **kwargs)

    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)

    result = Fetcher().fetch(f"http://feeds.test:{feed_server.port}/g/fallback.xml")

    assert (result.error_code, result.status) == ("", 200)
