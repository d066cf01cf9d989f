"""CSV export of the inbox filter: every matching article, streamed, scoped and audited."""

import csv
import io

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.core.factories import theme
from tests.veille.factories import ItemFactory
from tests.veille.helpers import make_story
from veille.models import TriageStatus

pytestmark = pytest.mark.django_db

EXPORT = reverse("veille:export")


def _rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.smoke
def test_export_streams_every_matching_article_with_the_inbox_filter(client_for, viewer, settings):
    settings.PAGINATE_BY = 2
    detention = theme("detention")
    _cluster, items = make_story(size=3, title="Centres de détention", themes=[detention])
    ItemFactory(title="Sans thème")
    ItemFactory(title="Écarté", status=TriageStatus.DISCARDED, themes=[detention])

    response = client_for(viewer).get(EXPORT, {"theme": detention.pk, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="veille-')
    rows = _rows(response)
    assert rows[0][:3] == ["identifiant", "titre", "source"]
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(i.pk for i in items)
    assert all(r[9] == detention.name for r in rows[1:])
    event = AuditEvent.objects.get(action="export")
    assert event.actor == viewer
    assert event.detail["format"] == "csv"


def test_cells_that_look_like_formulas_are_neutralised(client_for, coordinator):
    ItemFactory(title='=HYPERLINK("https://evil.example","clic")')

    rows = _rows(client_for(coordinator).get(EXPORT, {"format": "csv"}))

    assert rows[1][1].startswith("'=HYPERLINK")


def test_field_officers_cannot_export(client_for, field_calais):
    ItemFactory()
    assert client_for(field_calais).get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_search_export_is_not_limited_to_the_ranked_candidates(client_for, coordinator, settings):
    settings.VEILLE_SEARCH_CANDIDATES = 3
    for n in range(6):
        ItemFactory(title=f"Frontex {n}")

    rows = _rows(client_for(coordinator).get(EXPORT, {"q": "Frontex", "format": "csv"}))

    assert len(rows) == 7


def test_export_formats_for_french_spreadsheets_and_excel(client_for, coordinator):
    from openpyxl import load_workbook

    ItemFactory(title="Évacuations ; suite")
    client = client_for(coordinator)

    default = client.get(EXPORT)  # French interface: semicolons
    body = b"".join(default.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("identifiant;titre;source")
    assert '"Évacuations ; suite"' in body
    workbook = client.get(EXPORT, {"format": "xlsx"})
    assert workbook["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.cell(row=2, column=2).value == "Évacuations ; suite"
