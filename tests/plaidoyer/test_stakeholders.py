"""Organisations and stakeholders: create and edit within one's countries, search without
accents, filters, the "can restrict our operations" flag, merging duplicates, refusing to
delete an organisation people belong to, and the power / interest grid."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from plaidoyer import services
from plaidoyer.models import Organisation, Position, Stakeholder
from tests.core.factories import country

from .factories import (
    InteractionFactory,
    OrganisationFactory,
    PositionFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db


def _stakeholder_post(organisation, **overrides):
    data = {
        "full_name": "Claire Dubois",
        "function": "Directrice de cabinet",
        "organisation": organisation.pk,
        "country": organisation.country_id,
        "influence": 4,
        "interest": 2,
        "alignment": 3,
        "can_restrict_operations": "on",
    }
    data.update(overrides)
    return data


def test_an_advocacy_officer_adds_a_stakeholder_in_their_country(client_for, advocacy_fr):
    ministry = OrganisationFactory(name="Ministère de l'Intérieur", acronym="MI")

    response = client_for(advocacy_fr).post(
        reverse("plaidoyer:stakeholder_create"), _stakeholder_post(ministry)
    )

    person = Stakeholder.objects.get(full_name="Claire Dubois")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.can_restrict_operations
    assert person.created_by == advocacy_fr
    assert AuditEvent.objects.filter(action="create", object_id=str(person.pk)).exists()


def test_scores_outside_one_to_five_get_a_clear_message_and_keep_what_was_typed(
    client_for, advocacy_fr
):
    ministry = OrganisationFactory()

    response = client_for(advocacy_fr).post(
        reverse("plaidoyer:stakeholder_create"),
        _stakeholder_post(ministry, influence=7, interest=0),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Une note va de 1 à 5.") >= 2
    assert 'value="Claire Dubois"' in html
    assert not Stakeholder.objects.exists()


def test_an_advocacy_officer_cannot_file_someone_in_another_country(client_for, advocacy_ly):
    ministry = OrganisationFactory()

    response = client_for(advocacy_ly).post(
        reverse("plaidoyer:stakeholder_create"), _stakeholder_post(ministry)
    )

    assert response.status_code == 400
    assert not Stakeholder.objects.exists()


def test_search_ignores_accents_and_case_and_matches_the_organisation(client_for, viewer):
    ddd = OrganisationFactory(name="Défenseur des droits", acronym="DDD")
    StakeholderFactory(full_name="Hélène Lefèvre", organisation=ddd)
    StakeholderFactory(full_name="Marc Durand")
    client = client_for(viewer)

    def names(query):
        response = client.get(reverse("plaidoyer:stakeholders"), {"q": query})
        return [p.full_name for p in response.context["page_obj"]]

    assert names("helene") == ["Hélène Lefèvre"]
    assert names("DEFENSEUR") == ["Hélène Lefèvre"]
    assert names("ddd lefevre") == ["Hélène Lefèvre"]
    assert names("inconnu") == []


def test_the_restrict_flag_is_shown_in_the_list_and_on_the_page_and_can_be_filtered(
    client_for, communication
):
    prefect = StakeholderFactory(full_name="Préfet du Pas-de-Calais", can_restrict_operations=True)
    StakeholderFactory(full_name="Député ami")
    client = client_for(communication)

    listed = client.get(reverse("plaidoyer:stakeholders"), {"restricts": "true"})
    page = client.get(prefect.get_absolute_url())

    assert [p.full_name for p in listed.context["page_obj"]] == [prefect.full_name]
    assert "Peut restreindre nos opérations" in listed.content.decode()
    assert "badge-restrict" in page.content.decode()


def test_lists_run_a_constant_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    StakeholderFactory()
    for url in (reverse("plaidoyer:stakeholders"), reverse("plaidoyer:organisations")):
        client.get(url)
        with django_assert_max_num_queries(12) as few:
            client.get(url)
        for _ in range(15):
            StakeholderFactory()
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200


def test_merging_moves_exchanges_and_positions_to_the_kept_record_and_is_audited(
    client_for, advocacy_fr
):
    kept = StakeholderFactory(full_name="Jean Martin", email="")
    duplicate = StakeholderFactory(
        full_name="J. Martin", organisation=kept.organisation, email="j.martin@interieur.gouv.fr"
    )
    shared = InteractionFactory(stakeholders=[kept, duplicate])
    own = InteractionFactory(stakeholders=[duplicate])
    PositionFactory(stakeholder=duplicate)

    response = client_for(advocacy_fr).post(
        reverse("plaidoyer:stakeholder_merge", args=[kept.pk]), {"duplicate": duplicate.pk}
    )

    assert response.status_code == 302
    assert not Stakeholder.objects.filter(pk=duplicate.pk).exists()
    kept.refresh_from_db()
    assert set(kept.interactions.all()) == {shared, own}
    assert Position.objects.get().stakeholder == kept
    assert kept.email == "j.martin@interieur.gouv.fr"
    assert kept.last_contact_on == own.occurred_on
    event = AuditEvent.objects.get(object_id=str(kept.pk), action="change")
    assert event.detail["merged_id"] == duplicate.pk
    assert event.detail["interactions"] == 1


def test_an_organisation_with_people_is_not_deleted_but_can_be_archived(client_for, coordinator):
    prefecture = OrganisationFactory(name="Préfecture du Nord")
    StakeholderFactory(organisation=prefecture)
    client = client_for(coordinator)
    url = reverse("plaidoyer:organisation_delete", args=[prefecture.pk])

    response = client.post(url)

    assert response.status_code == 400
    assert "Archivez-la plutôt" in response.content.decode()
    assert Organisation.objects.filter(pk=prefecture.pk).exists()
    client.post(reverse("plaidoyer:organisation_archive", args=[prefecture.pk]), {"archived": "1"})
    prefecture.refresh_from_db()
    assert prefecture.archived_at is not None
    listed = client.get(reverse("plaidoyer:organisations"))
    assert prefecture not in listed.context["page_obj"].object_list


def test_an_empty_organisation_is_deleted_after_confirmation(client_for, coordinator):
    empty = OrganisationFactory()
    client = client_for(coordinator)
    url = reverse("plaidoyer:organisation_delete", args=[empty.pk])

    assert "Confirmer la suppression" in client.get(url).content.decode()
    client.post(url)

    assert not Organisation.objects.filter(pk=empty.pk).exists()


def test_two_organisations_cannot_share_a_name_in_a_country(coordinator):
    OrganisationFactory(name="UNHCR", country=country("LY"))
    with pytest.raises(Exception, match="existe déjà"):
        services.organisation_create(
            user=coordinator,
            data={"name": "unhcr", "kind": "un_agency", "country": country("LY")},
        )


def test_the_grid_places_each_person_as_a_link_with_the_four_quadrants(client_for, viewer):
    ally = StakeholderFactory(full_name="Alliée", influence=5, interest=5, alignment=5)
    StakeholderFactory(
        full_name="Autorité",
        influence=5,
        interest=1,
        alignment=1,
        can_restrict_operations=True,
        country=country("LY"),
        organisation=OrganisationFactory(country=country("LY")),
    )

    response = client_for(viewer).get(reverse("plaidoyer:grid"), {"country": country("FR").pk})

    svg = str(response.context["chart"].svg)
    assert f'href="{ally.get_absolute_url()}"' in svg
    assert "Autorité" not in svg
    for quadrant in ("Gérer de près", "Garder satisfait", "Tenir informé", "Surveiller"):
        assert quadrant in svg
    everyone = client_for(viewer).get(reverse("plaidoyer:grid"))
    assert "peut restreindre nos opérations" in str(everyone.context["chart"].svg)
