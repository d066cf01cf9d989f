"""Display helpers for the veille templates (article bodies, notes)."""

from __future__ import annotations

import nh3
from django import template
from django.utils.safestring import mark_safe

from veille.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, VIDEO_IFRAME_HOSTS, sanitize_html

register = template.Library()

# CSP frame-src values for the video players the sanitiser keeps.
VIDEO_FRAME_SOURCES = tuple(sorted(f"https://{host}" for host in VIDEO_IFRAME_HOSTS))


@register.filter
def article_html(value: str, show_media: bool = False):
    """An article body as stored by the pipeline (already sanitised), for display.

    By default images and embedded players are removed (a second, stricter nh3 pass):
    they would be loaded from the publisher's servers, which would see who reads what,
    and the page's Content-Security-Policy refuses them anyway. The "show images" link
    of the item page passes `show_media` and relaxes the policy for that page only.
    """
    if not value:
        return ""
    if show_media:
        # Stored HTML went through the pipeline's sanitiser when it was fetched; the
        # same sanitiser runs again here so the page never depends on stored data alone.
        return mark_safe(sanitize_html(value))  # noqa: S308
    tags = set(ALLOWED_TAGS) - {"img", "iframe"}
    attributes = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items() if k not in {"img", "iframe"}}
    attributes.setdefault("a", set()).update({"target", "rel"})
    cleaned = nh3.clean(
        value,
        tags=tags,
        attributes=attributes,
        clean_content_tags={"script", "style", "iframe"},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


@register.filter
def has_media(value: str) -> bool:
    return bool(value) and ("<img" in value or "<iframe" in value)
