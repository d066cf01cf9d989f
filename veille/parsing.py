"""Feed bytes → normalised entries, ready to be written (no database access here).

feedparser reads RSS 0.9x/1.0/2.0, Atom and RDF from *bytes* (wrapped in a file object,
so it can never fetch a URL or open a file itself); JSON Feed is read here. Before that,
defusedxml reads the document's prolog in the encoding the document itself declares
(UTF-16 included): any DTD — the carrier of external-entity and entity-expansion
attacks — is refused. HTML pages and truncated documents are reported as such. Each entry gets a
stable deduplication key, sanitised HTML, a plain-text excerpt, a UTC date and a
language; entries that cannot be used are skipped with a reason.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import io
import json
import re
import xml.sax
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_noop

from .sanitize import plain_text, sanitize_html

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid",
        "mc_eid", "igshid", "_hsenc", "_hsmi", "mkt_tok", "xtor", "at_medium",
        "at_campaign", "at_platform", "at_creation", "at_variant", "ref_src", "ocid",
        "cmpid", "smid", "spm", "vero_id", "oly_enc_id", "oly_anon_id", "wt_mc",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "_ga", "__twitter")

EXCERPT_LENGTH = 600
MAX_ENTRIES = 10000

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.IGNORECASE | re.S)
_CLOSING_ROOT = re.compile(rb"</\s*(rss|feed|rdf:rdf|rdf|opml)\s*>\s*$", re.IGNORECASE)
_LANG = re.compile(r"^[a-zA-Z]{2,3}")


class ParseError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass
class Entry:
    """One usable entry, normalised."""

    dedup_key: str
    guid: str
    url: str
    title: str
    summary: str
    content: str
    excerpt: str
    author: str
    published_at: datetime
    published_at_guessed: bool
    language: str
    content_hash: str
    # Story-clustering signature, filled for new and changed entries only.
    title_tokens: str = ""
    text_tokens: str = ""
    bands: list[int] = field(default_factory=list)


@dataclass
class ParsedFeed:
    title: str = ""
    link: str = ""
    language: str = ""
    version: str = ""
    entries: list[Entry] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entry_dates: list[datetime] = field(default_factory=list)


# --- URLs and keys ------------------------------------------------------------------------


def canonical_url(url: str, base: str = "") -> str:
    """The URL with tracking parameters, fragment and default port removed."""
    url = (url or "").strip()
    if not url:
        return ""
    if base and not url.startswith(("http://", "https://")):
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = ""
    if parts.query:
        kept = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
        ]
        query = urlencode(kept, doseq=True)
    canonical = urlunsplit((scheme, host, parts.path or "/", query, ""))
    return canonical if len(canonical) <= 2000 else ""


def dedup_key(*, guid: str, url: str, title: str, published: datetime | None) -> str:
    if guid:
        basis = "g:" + guid.strip()
    elif url:
        basis = "u:" + url
    else:
        date = published.isoformat() if published else ""
        basis = "t:" + " ".join(title.lower().split()) + "|" + date
    return hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()


def normalise_language(value: str | None) -> str:
    match = _LANG.match((value or "").strip())
    return match.group(0).lower()[:8] if match else ""


# --- dates ----------------------------------------------------------------------------------

_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)


def _struct_to_datetime(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _normalise_date(value: datetime | None, now: datetime) -> tuple[datetime, bool]:
    """A UTC date, or the fetch time (guessed) when missing or implausible."""
    if value is None or value < _EARLIEST:
        return now, True
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    if value > now + timedelta(hours=24):
        return now, True
    return value, False


# --- reading --------------------------------------------------------------------------------


class _RootReached(Exception):
    pass


class _StopAtRoot(xml.sax.handler.ContentHandler):
    def startElement(self, name, attrs):
        raise _RootReached


def safe_xml_parser(handler: xml.sax.handler.ContentHandler) -> DefusedExpatParser:
    """A SAX parser that refuses any DTD, entity declaration or external reference."""
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(handler)
    return parser


def _prolog_readable(document: bytes | str) -> bool:
    """Read `document` up to its root element (a DTD can only come before it).

    Raises ParseError for a DTD; False when expat cannot read that far.
    """
    stream = io.StringIO(document) if isinstance(document, str) else io.BytesIO(document)
    try:
        safe_xml_parser(_StopAtRoot()).parse(stream)
    except _RootReached:
        return True
    except DefusedXmlException:
        raise ParseError("entity_forbidden", "DTD or entity declaration") from None
    except (xml.sax.SAXException, ValueError):
        # Not well-formed before the root, or an encoding expat does not know.
        return False
    return False  # no element at all


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")
_TEXT_DECL_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*encoding=["'])[A-Za-z0-9._-]+""")
_LEADING_XML_DECL = re.compile(r"^\s*<\?xml\b[^>]*\?>\s*")
_CHARSET = re.compile(r"charset=[\"']?([A-Za-z0-9._-]+)", re.IGNORECASE)


def _sniff_encoding(body: bytes, content_type: str = "") -> tuple[str, bool]:
    """The encoding an XML reader uses, and whether it is a byte-order mark's or UTF-16's.

    Byte-order mark first, then a UTF-16 ``<?`` without one, then the XML declaration,
    then the HTTP charset, then UTF-8.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec, True
    if body.startswith(b"<\x00?\x00"):
        return "utf-16-le", True
    if body.startswith(b"\x00<\x00?"):
        return "utf-16-be", True
    match = _XML_DECL_ENCODING.match(body[:200])
    if match:
        return match.group(1).decode("ascii"), False
    header = _CHARSET.search(content_type or "")
    return (header.group(1) if header else "utf-8"), False


def _decode(body: bytes, encoding: str) -> tuple[str, bool]:
    """`body` as text, and whether invalid bytes were replaced."""
    try:
        return body.decode(encoding), False
    except UnicodeDecodeError:
        return body.decode(encoding, errors="replace"), True


def _as_text(body: bytes, content_type: str) -> str:
    """The document decoded the way an XML reader would, its XML declaration removed."""
    encoding, _ = _sniff_encoding(body, content_type)
    try:
        text, _ = _decode(body, encoding)
    except LookupError:
        text, _ = _decode(body, "utf-8")
    return _LEADING_XML_DECL.sub("", text.lstrip("\ufeff \t\r\n"), count=1)


def _precheck(body: bytes, content_type: str) -> None:
    if not body or not body.strip():
        raise ParseError("not_a_feed", "empty document")
    if _HTML_START.match(body[:4096]):
        raise ParseError("not_a_feed", "HTML page")
    # Expat reads the raw bytes in their declared encoding; when it cannot (leading
    # whitespace before the declaration, a multi-byte legacy encoding), the prolog is
    # read again from the text Python decodes.
    if not _prolog_readable(body) and not _prolog_readable(_as_text(body, content_type)):
        raise ParseError("not_a_feed", "unreadable XML prolog")


def _looks_json(body: bytes, content_type: str) -> bool:
    return "json" in content_type.lower() or body.lstrip()[:1] == b"{"


def parse_feed(
    body: bytes,
    *,
    content_type: str = "",
    feed_url: str = "",
    source_language: str = "",
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse and normalise a feed document. Raises ParseError for unusable documents."""
    now = now or datetime.now(UTC)
    if _looks_json(body, content_type):
        raw_feed, raw_entries = _read_json_feed(body)
        parsed = ParsedFeed(
            title=str(raw_feed.get("title") or "")[:200],
            link=str(raw_feed.get("home_page_url") or ""),
            language=normalise_language(raw_feed.get("language")),
            version="json",
        )
    else:
        _precheck(body, content_type)
        parsed, raw_entries = _read_xml_feed(body, content_type, feed_url)
    _normalise_entries(parsed, raw_entries, feed_url, source_language, now)
    return parsed


def _repair_encoding(body: bytes, content_type: str) -> tuple[bytes, str, bool]:
    """Bytes invalid in the declared encoding are replaced (U+FFFD), the rest kept.

    Returns the (possibly re-encoded as UTF-8) body, the content type to give feedparser
    and whether anything was replaced. A document with a byte-order mark or in UTF-16 is
    re-encoded as UTF-8 too, so that an HTTP charset cannot contradict it.
    """
    encoding, signed = _sniff_encoding(body, content_type)
    try:
        codecs.lookup(encoding)
    except LookupError:
        return body, content_type, False
    text, repaired = _decode(body, encoding)
    if not repaired and not signed:
        return body, content_type, False
    text = _TEXT_DECL_ENCODING.sub(r"\1utf-8", text.lstrip("\ufeff"), count=1)
    return text.encode("utf-8"), "application/xml; charset=utf-8", repaired


def _read_xml_feed(body: bytes, content_type: str, feed_url: str):
    body, content_type, repaired = _repair_encoding(body, content_type)
    headers = {"content-type": content_type or "application/xml"}
    if feed_url:
        headers["content-location"] = feed_url
    result = feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    feed = result.get("feed", {})
    entries = result.get("entries", [])
    parsed = ParsedFeed(
        title=plain_text(feed.get("title", ""), limit=200),
        link=feed.get("link", "") or "",
        language=normalise_language(feed.get("language")),
        version=result.get("version", "") or "",
    )
    if repaired:
        parsed.warnings.append(
            gettext_noop("Octets invalides dans l'encodage déclaré : caractères remplacés.")
        )
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        name = type(exc).__name__
        if name == "CharacterEncodingOverride":
            parsed.warnings.append(
                gettext_noop("Encodage déclaré incorrect : texte décodé autrement.")
            )
        elif name in ("CharacterEncodingUnknown",):
            raise ParseError("encoding", str(exc)[:200])
        elif name == "NonXMLContentType":
            pass
        else:
            truncated = not _CLOSING_ROOT.search(body.rstrip()[-400:])
            if truncated and (entries or parsed.version):
                raise ParseError("truncated", str(exc)[:200])
            if not entries:
                raise ParseError(
                    "not_a_feed" if not parsed.version else "malformed", str(exc)[:200]
                )
            parsed.warnings.append(gettext_noop("XML mal formé : lu en mode tolérant."))
    if not parsed.version and not entries:
        raise ParseError("not_a_feed", "no RSS/Atom/RDF root element")
    raw = []
    for entry in entries[:MAX_ENTRIES]:
        content = ""
        for part in entry.get("content") or ():
            if part.get("value"):
                content = part["value"]
                if "html" in (part.get("type") or ""):
                    break
        date = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            date = _struct_to_datetime(entry.get(key))
            if date:
                break
        title_detail = entry.get("title_detail") or {}
        summary_detail = entry.get("summary_detail") or {}
        raw.append(
            {
                "id": entry.get("id") or entry.get("guid") or "",
                "link": entry.get("link") or "",
                "title": entry.get("title") or "",
                "summary": entry.get("summary") or "",
                "content": content,
                "author": entry.get("author") or "",
                "published": date,
                "language": entry.get("language")
                or title_detail.get("language")
                or summary_detail.get("language")
                or "",
                "base": summary_detail.get("base") or title_detail.get("base") or "",
            }
        )
    if len(entries) > MAX_ENTRIES:
        parsed.warnings.append(
            gettext_noop("Flux très long : seuls les 10 000 premiers articles sont lus.")
        )
    return parsed, raw


def _read_json_feed(body: bytes):
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError("not_a_feed", f"JSON: {str(exc)[:150]}") from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise ParseError("not_a_feed", "JSON without a JSON Feed version")
    items = document.get("items")
    if not isinstance(items, list):
        raise ParseError("malformed", "JSON Feed without items")
    raw = []
    for item in items[:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        author = item.get("author") or {}
        authors = item.get("authors") or []
        if isinstance(authors, list) and authors and isinstance(authors[0], dict):
            author = authors[0]
        published = None
        for key in ("date_published", "date_modified"):
            value = item.get(key)
            if isinstance(value, str):
                try:
                    published = parse_datetime(value.strip())
                except ValueError:
                    published = None
                if published:
                    break
        raw.append(
            {
                "id": str(item.get("id") or ""),
                "link": str(item.get("url") or item.get("external_url") or ""),
                "title": str(item.get("title") or ""),
                "summary": str(item.get("summary") or ""),
                "content": str(item.get("content_html") or item.get("content_text") or ""),
                "author": str(author.get("name") or "") if isinstance(author, dict) else "",
                "published": published,
                "language": str(item.get("language") or ""),
                "base": "",
            }
        )
    return document, raw


def _normalise_entries(parsed, raw_entries, feed_url, source_language, now) -> None:
    seen: set[str] = set()
    base_default = parsed.link or feed_url
    feed_language = parsed.language or normalise_language(source_language)
    for raw in raw_entries:
        title_text = plain_text(raw["title"], limit=1000)
        base = raw["base"] or base_default
        url = canonical_url(raw["link"], base)
        summary_html = raw["summary"]
        content_html = raw["content"]
        if content_html and content_html.strip() == summary_html.strip():
            content_html = ""
        link_base = url or base
        summary = sanitize_html(summary_html, base_url=link_base)
        content = sanitize_html(content_html, base_url=link_base)
        excerpt = plain_text(summary or content, limit=EXCERPT_LENGTH, sanitized=True)
        if not title_text:
            title_text = plain_text(excerpt, limit=120)
        if not title_text and not url:
            parsed.skipped.append(
                {"title": "", "reason": gettext_noop("Article sans titre, sans lien ni texte.")}
            )
            continue
        if not title_text:
            title_text = url[:1000]
        published, guessed = _normalise_date(raw["published"], now)
        guid = str(raw["id"] or "").strip()[:2000]
        key = dedup_key(
            guid=guid, url=url, title=title_text, published=None if guessed else published
        )
        if key in seen:
            parsed.skipped.append(
                {
                    "title": title_text[:120],
                    "reason": gettext_noop("Identifiant (GUID) en double dans le flux."),
                }
            )
            continue
        seen.add(key)
        if not guessed:
            parsed.entry_dates.append(published)
        language = normalise_language(raw["language"]) or feed_language
        content_hash = hashlib.sha256(
            "\x1f".join((title_text, url, summary, content, raw["author"] or "")).encode(
                "utf-8", "replace"
            )
        ).hexdigest()
        parsed.entries.append(
            Entry(
                dedup_key=key,
                guid=guid,
                url=url,
                title=title_text,
                summary=summary,
                content=content,
                excerpt=excerpt,
                author=plain_text(str(raw["author"] or ""), limit=300),
                published_at=published,
                published_at_guessed=guessed,
                language=language,
                content_hash=content_hash,
            )
        )
