"""CSV / XLSX export of the filtered list: scope, gate, columns, uses and audit."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from temoignages.models import TestimonyUse
from tests.core.factories import site
from tests.temoignages.factories import TestimonyFactory, usable_testimony

pytestmark = pytest.mark.django_db


def export(client, audience="metadata", fmt="csv", **filters):
    url = reverse("temoignages:export") + (f"?{urlencode(filters)}" if filters else "")
    return client.post(url, {"audience": audience, "export_format": fmt})


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_metadata_export_lists_the_scoped_filtered_rows_without_text(client_for, coordinator):
    calais = usable_testimony(site=site("calais"), narrative="Récit confidentiel A")
    marseille = TestimonyFactory(site=site("marseille"), status="submitted")
    TestimonyFactory(status="draft")  # drafts are not listed unless asked
    response = export(client_for(coordinator))
    assert response["Content-Disposition"].startswith('attachment; filename="temoignages-metadata')
    rows = csv_rows(response)
    assert {r["Référence"] for r in rows} == {calais.reference, marseille.reference}
    assert "Récit" not in rows[0]
    assert all("Récit confidentiel" not in str(r) for r in rows)


def test_export_follows_the_list_filters(client_for, coordinator):
    calais = usable_testimony(site=site("calais"))
    usable_testimony(site=site("marseille"))
    rows = csv_rows(export(client_for(coordinator), site=site("calais").pk))
    assert [r["Référence"] for r in rows] == [calais.reference]


def test_internal_export_keeps_only_what_the_gate_allows(client_for, coordinator):
    ok = usable_testimony(narrative="Récit utilisable")
    usable_testimony(narrative="Récit sans consentement interne", consent={"scope_internal": False})
    TestimonyFactory(status="submitted", narrative="Récit pas relu")
    rows = csv_rows(export(client_for(coordinator), audience="internal"))
    assert [r["Référence"] for r in rows] == [ok.reference]
    assert rows[0]["Récit"] == "Récit utilisable"


def test_partner_export_has_the_redacted_version_only_and_counts_as_a_use(
    client_for, communication
):
    shared = usable_testimony(site=site("tripoli"), narrative="Original", external_text="Caviardé")
    usable_testimony(sensitivity="strict")  # internal only
    response = export(client_for(communication), audience="partners", fmt="csv")
    rows = csv_rows(response)
    assert [r["Référence"] for r in rows] == [shared.reference]
    assert rows[0]["Version externe"] == "Caviardé"
    assert "Site" not in rows[0]
    assert "Récit" not in rows[0]
    assert "Original" not in str(rows)
    use = TestimonyUse.objects.get(testimony=shared)
    assert use.audience == "partners"
    assert use.used_by == communication
    event = AuditEvent.objects.get(action="export", actor=communication)
    assert event.detail == {"format": "csv", "mode": "partners", "rows": 1}


def test_communication_cannot_export_originals(client_for, communication):
    usable_testimony()
    response = export(client_for(communication), audience="internal")
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_field_officer_export_stays_on_their_site(client_for, field_calais):
    mine = TestimonyFactory(site=site("calais"), status="submitted")
    TestimonyFactory(site=site("marseille"), status="submitted")
    rows = csv_rows(export(client_for(field_calais)))
    assert [r["Référence"] for r in rows] == [mine.reference]


def test_cells_are_never_formulas(client_for, coordinator):
    usable_testimony(narrative='=HYPERLINK("http://evil.example","clic")')
    response = export(client_for(coordinator), audience="internal")
    assert csv_rows(response)[0]["Récit"].startswith("'=")
    workbook = load_workbook(
        io.BytesIO(export(client_for(coordinator), "internal", "xlsx").content)
    )
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Récit") + 1)
    assert cell.data_type == "s"
    assert cell.value.startswith("'=")


def test_xlsx_export_matches_csv(client_for, coordinator):
    testimonies = [usable_testimony() for _ in range(3)]
    response = export(client_for(coordinator), fmt="xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    references = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert references == {t.reference for t in testimonies}


def test_arabic_survives_the_export(client_for, coordinator):
    usable_testimony(language="ar", narrative="احتجزونا في زوارة لثلاثة أشهر")
    rows = csv_rows(export(client_for(coordinator), audience="internal"))
    assert rows[0]["Récit"] == "احتجزونا في زوارة لثلاثة أشهر"


def test_invalid_export_request_keeps_the_filters_and_says_why(client_for, coordinator):
    response = export(client_for(coordinator), audience="everything", status="approved")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez un format" in html
    assert 'action="/temoignages/export/?status=approved"' in html


def test_a_get_only_shows_the_form_and_records_nothing(client_for, communication):
    testimony = usable_testimony()
    url = reverse("temoignages:export")
    response = client_for(communication).get(url, {"audience": "partners", "export_format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "<form" in response.content.decode()
    assert not TestimonyUse.objects.filter(testimony=testimony).exists()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_french_users_get_semicolons_by_default(client_for, coordinator):
    usable_testimony()
    form = client_for(coordinator).get(reverse("temoignages:export")).content.decode()
    assert '<option value="csv-semicolon" selected>' in form
    response = export(client_for(coordinator), fmt="csv-semicolon")
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Référence;Site;Pays")


def test_advocacy_officers_cannot_export_for_partners(client_for, advocacy_fr):
    usable_testimony()
    response = export(client_for(advocacy_fr), audience="partners")
    assert response.status_code == 400
    assert not TestimonyUse.objects.exists()
    assert not AuditEvent.objects.filter(action="export").exists()
