"""Importing the stakeholder spreadsheet an officer keeps (CSV or XLSX): a preview with
each line's errors, nothing half-imported, formulas refused; and a person's data
exported and erased on request."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.models import AuditEvent
from plaidoyer import services
from plaidoyer.models import Interaction, Organisation, Position, Stakeholder
from tests.core.factories import country

from .factories import (
    ActionFactory,
    InteractionFactory,
    OrganisationFactory,
    PositionFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db

HEADER = (
    "Nom;Fonction;Organisation;Type d'organisation;Pays;Influence;Intérêt;Alignement;"
    "Peut restreindre nos opérations"
)


def _csv(*lines, header=HEADER) -> SimpleUploadedFile:
    text = "\n".join([header, *lines]) + "\n"
    return SimpleUploadedFile(
        "interlocuteurs.csv", text.encode("utf-8-sig"), content_type="text/csv"
    )


def _upload(client, upload):
    return client.post(reverse("plaidoyer:stakeholder_import"), {"file": upload})


def test_a_clean_file_is_previewed_then_imported_whole(client_for, advocacy_fr):
    OrganisationFactory(name="Ministère de l'Intérieur", acronym="DGEF")
    client = client_for(advocacy_fr)

    preview = _upload(
        client,
        _csv(
            "Claire Vasseur;Directrice;DGEF;;FR;5;3;2;oui",
            "Hélène Martin;Cheffe de pôle;Défenseur des droits;Autorité publique;France;3;5;5;non",
        ),
    )

    plan = preview.context["plan"]
    assert preview.status_code == 200
    assert plan.ok
    assert plan.new_organisations == ["Défenseur des droits"]
    assert not Stakeholder.objects.exists()
    response = client.post(
        reverse("plaidoyer:stakeholder_import_confirm", args=[preview.context["token"]])
    )
    assert response.status_code == 302
    claire = Stakeholder.objects.get(full_name="Claire Vasseur")
    assert claire.organisation.acronym == "DGEF"
    assert claire.can_restrict_operations
    assert Organisation.objects.get(name="Défenseur des droits").kind == "authority"
    assert AuditEvent.objects.filter(object_type="plaidoyer.stakeholder", detail__rows=2).exists()


def test_wrong_columns_are_named_with_the_expected_ones(client_for, advocacy_fr):
    response = _upload(client_for(advocacy_fr), _csv("Jean;X", header="Nom;Prénom préféré"))

    errors = " ".join(response.context["plan"].file_errors)
    assert response.status_code == 400
    assert "Colonnes inconnues : « Prénom préféré »" in errors
    assert "Colonnes obligatoires absentes" in errors
    assert "« Organisation »" in errors


def test_each_bad_line_says_why_and_nothing_is_written(client_for, advocacy_fr):
    response = _upload(
        client_for(advocacy_fr),
        _csv(
            "Claire Vasseur;Directrice;DGEF;;FR;7;3;2;oui",
            "Paul Henry;;Secours catholique;ONG;Atlantide;3;5;5;non",
            "Paul Henry;;Secours catholique;ONG;FR;3;5;5;non",
            "Paul Henry;;Secours catholique;ONG;FR;3;5;5;non",
            '=HYPERLINK("http://x");;ONG X;ONG;FR;3;3;3;non',
            "Khaled;;DCIM;Ministère;LY;5;2;1;oui",
            "Anne;;Org;ONG;FR;3;3;3;peut-être",
        ),
    )

    lines = {line.number: " ".join(line.errors) for line in response.context["plan"].lines}
    assert "Influence : « 7 » n'est pas une note de 1 à 5." in lines[2]
    assert "Pays inconnu : « Atlantide »" in lines[3]
    assert lines[4] == ""
    assert "Doublon de la ligne 4." in lines[5]
    assert "Formule refusée dans la colonne « Nom »" in lines[6]
    assert "Vous ne gérez pas ce pays (Libye)." in lines[7]
    assert "répondez oui ou non" in lines[8]
    assert "rien ne sera importé" in response.content.decode()
    assert response.context["token"] == ""
    assert not Stakeholder.objects.exists()
    assert not Organisation.objects.exists()


def test_an_existing_person_is_a_duplicate_not_a_second_record(advocacy_fr):
    org = OrganisationFactory(name="Préfecture du Nord")
    StakeholderFactory(full_name="Marc Delorme", organisation=org)

    plan = services.import_plan_from_file(
        user=advocacy_fr,
        name="f.csv",
        data=(HEADER + "\nmarc delorme;;Préfecture du Nord;;FR;3;3;3;non\n").encode(),
    )

    assert "existe déjà" in plan.lines[0].errors[0]


def test_an_xlsx_formula_cell_is_refused_and_numbers_are_read(advocacy_fr):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Organisation", "Pays", "Influence", "Intérêt", "Alignement", "Téléphone"])
    sheet.append(
        ["Sophie Caron", "Préfecture du Pas-de-Calais", "FR", 4, 3.0, 2, "+33 3 21 00 00 00"]
    )
    sheet.append(["Marc", "Préfecture", "FR", "=2+2", 3, 3, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)

    plan = services.import_plan_from_file(user=advocacy_fr, name="a.xlsx", data=buffer.getvalue())

    first, second = plan.lines
    assert first.errors == []
    assert first.values["interest"] == "3"
    assert any("Formule refusée" in e for e in second.errors)


def test_the_import_is_checked_again_at_confirmation_and_refused_whole(client_for, advocacy_fr):
    client = client_for(advocacy_fr)
    preview = _upload(client, _csv("Ana Ferreira;;LIBE;;FR;4;5;5;non", "Bob;;LIBE;;FR;4;5;5;non"))
    org = Organisation.objects.create(name="LIBE", kind="parliament", country=country("FR"))
    StakeholderFactory(full_name="Bob", organisation=org)

    response = client.post(
        reverse("plaidoyer:stakeholder_import_confirm", args=[preview.context["token"]])
    )

    assert response.status_code == 400
    assert "Rien n&#x27;a été importé" in response.content.decode()
    assert not Stakeholder.objects.filter(full_name="Ana Ferreira").exists()


def test_not_a_spreadsheet_gets_a_clear_message(client_for, advocacy_fr):
    response = _upload(
        client_for(advocacy_fr),
        SimpleUploadedFile("photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00binary"),
    )
    assert response.status_code == 400
    assert "format .xlsx" in " ".join(response.context["plan"].file_errors)


def test_a_persons_data_is_exported_on_request_and_audited(client_for, advocacy_fr):
    person = StakeholderFactory(full_name="Jean Dupont", email="jean.dupont@interieur.gouv.fr")
    InteractionFactory(stakeholders=[person], title="Rendez-vous de mars")
    InteractionFactory(stakeholders=[person], title="Sujet secret", sensitivity="confidential")

    response = client_for(advocacy_fr).get(
        reverse("plaidoyer:stakeholder_personal_data", args=[person.pk]), {"format": "csv"}
    )

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "jean.dupont@interieur.gouv.fr" in body
    assert "Rendez-vous de mars" in body
    assert "Sujet secret" not in body
    assert AuditEvent.objects.filter(action="export", object_id=str(person.pk)).exists()


def test_erasure_keeps_the_exchanges_under_the_organisation_only(
    client_for, coordinator, advocacy_fr
):
    ministry = OrganisationFactory(name="Ministère de la Santé")
    person = StakeholderFactory(full_name="Nadia Bensalem", organisation=ministry)
    meeting = InteractionFactory(stakeholders=[person])
    PositionFactory(stakeholder=person)
    action = ActionFactory()
    action.target_stakeholders.add(person)
    url = reverse("plaidoyer:stakeholder_erase", args=[person.pk])

    assert client_for(advocacy_fr).get(url).status_code == 403
    client = client_for(coordinator)
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"confirm": "on"})

    assert response.status_code == 302
    assert not Stakeholder.objects.filter(pk=person.pk).exists()
    assert not Position.objects.exists()
    meeting = Interaction.objects.get(pk=meeting.pk)
    assert list(meeting.organisations.all()) == [ministry]
    assert list(meeting.stakeholders.all()) == []
    assert list(action.target_organisations.all()) == [ministry]
    event = AuditEvent.objects.get(action="delete", object_type="plaidoyer.stakeholder")
    assert "Nadia" not in str(event.detail)
    assert event.detail["interactions"] == 1
