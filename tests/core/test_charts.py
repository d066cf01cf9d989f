"""core.charts: well-formed, accessible, CSP-clean SVG that looks the same in a PDF."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from core.charts import (
    Point,
    Series,
    bar_chart,
    line_chart,
    progress_chart,
    scatter_chart,
    sparkline,
    stacked_bar_chart,
)
from core.pdf import render_html_pdf

SVG = "{http://www.w3.org/2000/svg}"


def _charts():
    return [
        bar_chart(
            title="Articles par pays",
            description="Nombre d'articles",
            labels=["France", "Libye"],
            values=[12, 30],
        ),
        stacked_bar_chart(
            title="Articles par thème",
            description="Par semaine",
            categories=["01/12", "08/12", "15/12"],
            series=[Series("Détention", [3, 4, 0]), Series("Soins", [1, 0, 2])],
        ),
        line_chart(
            title="Évolution",
            description="Par mois",
            x_labels=["jan", "fév", "mars"],
            series=[Series("Alertes", [2, 5, 3])],
        ),
        sparkline(
            title="Tendance", description="12 semaines", labels=["a", "b", "c"], values=[1, 3, 2]
        ),
        scatter_chart(
            title="Pouvoir / intérêt",
            description="Interlocuteurs",
            x_label="Intérêt",
            y_label="Influence",
            points=[Point(4, 5, "Ministre <b>", url="/p/1/"), Point(2, 1, "Élu local")],
            quadrants=["Satisfaire", "Gérer de près", "Surveiller", "Informer"],
        ),
        progress_chart(
            title="Progression",
            description="Marqueurs atteints",
            rows=[("Accès aux soins", 40), ("Détention", 120)],
            threshold=50,
        ),
    ]


@pytest.mark.parametrize("chart", _charts(), ids=lambda c: c.kind)
def test_each_chart_is_well_formed_accessible_svg_without_inline_style(chart):
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == ("group" if chart.kind == "scatter" else "img")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text == chart.title
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    assert "<script" not in str(chart.svg)
    assert chart.rows
    assert all(len(row) == len(chart.head) for row in chart.rows)


def test_user_text_is_escaped():
    scatter = _charts()[4]
    assert "Ministre &lt;b&gt;" in str(scatter.svg)
    assert 'href="/p/1/"' in str(scatter.svg)


def test_a_scatter_whose_dots_are_links_is_a_group_so_the_links_stay_reachable():
    plain = scatter_chart(
        title="t", description="d", x_label="x", y_label="y", points=[Point(1, 1, "a")]
    )
    linked = _charts()[4]
    assert 'role="img"' in str(plain.svg)
    assert 'role="group"' in str(linked.svg)


def test_progress_is_clamped_and_says_so_in_its_table():
    chart = _charts()[5]
    assert chart.rows == [["Accès aux soins", "40 %"], ["Détention", "100 %"]]


@pytest.mark.django_db
def test_the_include_gives_a_data_table_for_screen_readers():
    html = render_to_string("includes/chart.html", {"chart": _charts()[1]})
    # Hidden by a box around it: a table ignores width and overflow, so hidden itself it
    # would still widen the page on a phone.
    assert re.search(r'<div class="visually-hidden">\s*<table class="chart-data">', html)
    assert "<caption>Articles par thème" in html
    assert '<th scope="row">08/12</th>' in html


@pytest.mark.django_db
def test_the_same_charts_render_in_a_pdf_page():
    figures = "".join(render_to_string("includes/chart.html", {"chart": c}) for c in _charts())
    from core.pdf import static_file_uri

    rendered = render_html_pdf(
        f'<html lang="fr"><head><title>Graphiques</title>'
        f'<link rel="stylesheet" href="{static_file_uri("css/pdf.css")}"></head>'
        f"<body>{figures}</body></html>"
    )
    reader = PdfReader(io.BytesIO(rendered.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert rendered.page_count >= 1
    for label in ("France", "Détention", "Satisfaire", "Accès aux soins"):
        assert label in text
