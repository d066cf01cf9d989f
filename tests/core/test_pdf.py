import pytest
from django.template.loader import render_to_string
from weasyprint import HTML

from core.pdf import StaticOnlyURLFetcher, render_pdf, static_roots

PROBE = """{% extends "pdf/base.html" %}
{% block running_title %}Note de test{% endblock %}
{% block cover %}<section class="cover"><h1>Couverture</h1></section>{% endblock %}
{% block content %}<h2>Contenu</h2><p dir="auto">نص الشهادة</p>
<img src="http://169.254.169.254/latest/meta-data/x.png">
<img src="file:///etc/passwd">{% endblock %}"""


@pytest.fixture
def probe_template(tmp_path, settings):
    (tmp_path / "probe.html").write_text(PROBE, encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    return "probe.html"


def test_render_pdf_produces_a_tagged_pdf_with_its_language(probe_template):
    from io import BytesIO

    from pypdf import PdfReader

    rendered = render_pdf(template_name=probe_template, context={})

    assert rendered.data.startswith(b"%PDF")
    assert rendered.page_count == 2
    catalog = PdfReader(BytesIO(rendered.data)).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])  # tagged: screen readers can read it
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "fr"


def test_cover_is_the_first_page_and_nothing_outside_static_is_fetched(probe_template):
    fetched = []

    class RecordingFetcher(StaticOnlyURLFetcher):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    document = HTML(
        string=render_to_string(probe_template, {}),
        base_url=static_roots()[0].as_uri() + "/",
        url_fetcher=RecordingFetcher(),
    ).render()

    assert len(document.pages) == 2  # the cover, then the content: no blank first page
    assert any(url.endswith("css/pdf.css") for url in fetched)
    with pytest.raises(ValueError, match="Refused"):
        StaticOnlyURLFetcher().fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="Refused"):
        StaticOnlyURLFetcher().fetch("http://169.254.169.254/latest/meta-data/")
