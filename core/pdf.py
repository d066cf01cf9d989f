"""PDF rendering with WeasyPrint, locked down.

The URL fetcher only reads the project's own static files and `data:` URIs: a note or a
briefing that quotes feed content can never make the renderer fetch a remote or local
URL. Call `render_pdf` from a Celery task on the `pdf` queue (it has a time limit); the
generic PDF job (`core.pdf_jobs`) does that for every document the apps register.

Every PDF is tagged (PDF/UA structure, WeasyPrint's `pdf_tags`), so screen readers can read
it; templates extending `pdf/base.html` set the document language and title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `data:` URIs and files under the static roots; refuses everything else."""

    def __init__(self):
        super().__init__(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url2pathname(urlparse(url).path)).resolve()
            if any(path.is_relative_to(root) for root in static_roots()) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        raise ValueError(f"Refused by the PDF URL fetcher: {url[:80]}")


def static_file_uri(relative_path: str) -> str:
    """A `file://` URI for a static file, usable in PDF templates (see `pdf_static`)."""
    from django.contrib.staticfiles import finders

    found = finders.find(relative_path)
    path = Path(found) if found else Path(settings.STATIC_ROOT) / relative_path
    return path.resolve().as_uri()


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered document. `on_ready(job)`, optional, runs once the file is stored, in the
    transaction that marks the job ready: what the document's existence must record (e.g.
    where a testimony was used). If it raises, the job fails and the file is removed."""

    data: bytes
    page_count: int
    on_ready: Callable[[Any], None] | None = None


def render_html_pdf(html: str) -> RenderedPdf:
    """Lay out an HTML document and write a tagged PDF."""
    document = HTML(
        string=html,
        base_url=static_roots()[0].as_uri() + "/",
        url_fetcher=StaticOnlyURLFetcher(),
    ).render()
    return RenderedPdf(data=document.write_pdf(pdf_tags=True), page_count=len(document.pages))


def render_pdf(*, template_name: str, context: dict) -> RenderedPdf:
    """Render a template to a tagged PDF."""
    return render_html_pdf(render_to_string(template_name, context))
