"""Feed HTML → safe HTML, with an explicit allowlist (nh3, the Ammonia sanitiser).

Kept: text structure, links (http/https/mailto only, opened in a new tab with
``rel="noopener noreferrer"``), images (except 1×1 tracking pixels and known trackers),
tables, and empty iframes from a short list of video hosts (sandboxed); an iframe
without such a ``src`` is removed with everything inside it. Removed: scripts,
styles and style attributes (nothing can overlay the page), event handlers, forms and
their fields, ``javascript:``/``data:`` URLs, classes and ids. Relative URLs are resolved
against the entry (or feed) address.
"""

from __future__ import annotations

import contextvars
import html
import re
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
        "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "iframe", "img", "ins", "li", "mark", "ol", "p", "pre", "q", "s",
        "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "iframe": {"src", "width", "height", "allowfullscreen"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
}
# Removed with everything inside them.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "svg", "math"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Video players that may be embedded (sandboxed); any other iframe is dropped.
VIDEO_IFRAME_HOSTS = frozenset(
    {
        "www.youtube.com",
        "youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "www.dailymotion.com",
        "geo.dailymotion.com",
    }
)
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"
TRACKER_HOSTS = (
    "feeds.feedburner.com",
    "pixel.wp.com",
    "stats.wordpress.com",
    "www.google-analytics.com",
    "pixel.quantserve.com",
    "feedproxy.google.com",
    "ad.doubleclick.net",
)

_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# In nh3's output every attribute is name="value" with `"` and `>` escaped, and an
# iframe's content is raw text up to the first </iframe>.
_IFRAME = re.compile(r"<iframe\b([^>]*)>(.*?)</iframe>", re.IGNORECASE | re.DOTALL)
_SERIALISED_ATTR = re.compile(r'([a-zA-Z][a-zA-Z0-9_:.-]*)="([^"]*)"')
_ATTR = re.compile(r'\b(width|height|src)="([^"]*)"', re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]*>")


def _iframe_allowed(src: str) -> bool:
    try:
        parts = urlsplit(src)
    except ValueError:
        return False
    return parts.scheme == "https" and (parts.hostname or "").lower() in VIDEO_IFRAME_HOSTS


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "iframe" and attribute == "src":
        return value if _iframe_allowed(value) else None
    if attribute in ("width", "height"):
        value = value.strip().removesuffix("px")
        return value if value.isdigit() and len(value) <= 5 else None
    if attribute == "start" or attribute in ("colspan", "rowspan"):
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def _vet_iframe(match: re.Match) -> str:
    """An allowed player, emptied (browsers never show an iframe's content), or nothing."""
    attrs = dict(_SERIALISED_ATTR.findall(match.group(1)))
    src = html.unescape(attrs.get("src", ""))
    return f"<iframe{match.group(1)}></iframe>" if src and _iframe_allowed(src) else ""


def _drop_tracking_image(match: re.Match) -> str:
    tag = match.group(0)
    attrs = {name.lower(): val for name, val in _ATTR.findall(tag)}
    if attrs.get("width") in ("0", "1") or attrs.get("height") in ("0", "1"):
        return ""
    host = (urlsplit(html.unescape(attrs.get("src", ""))).hostname or "").lower()
    if not attrs.get("src") or any(host == t or host.endswith("." + t) for t in TRACKER_HOSTS):
        return ""
    return tag


# The base URL of the fragment being cleaned: the cleaner below is built once per process
# (building one costs more than cleaning a summary) and reads the base from here.
_BASE_URL: contextvars.ContextVar[str] = contextvars.ContextVar("veille_base_url", default="")


def _rewrite_relative(url: str) -> str | None:
    base = _BASE_URL.get()
    if not base:
        return None
    resolved = urljoin(base, url)
    return resolved if resolved.startswith(("http://", "https://")) else None


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes=set(URL_SCHEMES),
    url_relative=_rewrite_relative,
    set_tag_attribute_values={
        "a": {"target": "_blank"},
        "img": {"loading": "lazy", "referrerpolicy": "no-referrer"},
        "iframe": {
            "sandbox": IFRAME_SANDBOX,
            "loading": "lazy",
            "referrerpolicy": "no-referrer",
        },
    },
)
_TEXT_CLEANER = nh3.Cleaner(tags={"p", "br"}, clean_content_tags=set(DROPPED_WITH_CONTENT))


def sanitize_html(fragment: str, *, base_url: str = "") -> str:
    """Safe HTML for `fragment`, relative URLs resolved against `base_url`."""
    if not fragment:
        return ""
    token = _BASE_URL.set(base_url if base_url.startswith(("http://", "https://")) else "")
    try:
        cleaned = _CLEANER.clean(fragment)
    finally:
        _BASE_URL.reset(token)
    if "<img" in cleaned:
        cleaned = _IMG_TAG.sub(_drop_tracking_image, cleaned)
    if "<iframe" in cleaned:
        cleaned = _IFRAME.sub(_vet_iframe, cleaned)
    return cleaned.strip()


def plain_text(fragment: str, *, limit: int = 0, sanitized: bool = False) -> str:
    """Readable text of an HTML fragment (or of plain text), whitespace collapsed.

    `sanitized=True` says the fragment already went through `sanitize_html` (no script
    or style content left), so stripping the tags is enough.
    """
    if not fragment:
        return ""
    if "<" in fragment:
        if not sanitized:
            fragment = _TEXT_CLEANER.clean(fragment)
        fragment = _TAGS.sub(" ", fragment)
    text = _WHITESPACE.sub(" ", html.unescape(fragment)).strip()
    if limit and len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip() + "…"
    return text
