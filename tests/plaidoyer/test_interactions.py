"""Interactions: timelines per stakeholder and organisation, "days since last contact",
confidential exchanges for coordinators and their author only, follow-ups that cannot be
due before their exchange, overdue follow-ups listed, and positions over time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plaidoyer import services
from plaidoyer.models import FollowUp, Interaction, Position
from tests.core.factories import country, theme
from tests.veille.factories import ItemFactory

from .factories import (
    FollowUpFactory,
    InteractionFactory,
    OrganisationFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _post(person, **overrides):
    data = {
        "kind": "meeting",
        "occurred_on": (TODAY() - datetime.timedelta(days=2)).isoformat(),
        "title": "Rendez-vous au cabinet",
        "country": person.country_id,
        "stakeholders": [person.pk],
        "sensitivity": "normal",
        "summary": "Présentation des données médicales de Calais.",
    }
    data.update(overrides)
    return data


def test_recording_an_exchange_adds_the_organisation_and_moves_the_last_contact(
    client_for, advocacy_fr, coordinator
):
    person = StakeholderFactory()
    response = client_for(advocacy_fr).post(
        reverse("plaidoyer:interaction_create"),
        _post(
            person,
            follow_up_description="Envoyer la note sur les mineurs",
            follow_up_owner=coordinator.pk,
            follow_up_due=(TODAY() + datetime.timedelta(days=7)).isoformat(),
        ),
    )

    interaction = Interaction.objects.get()
    assert response.status_code == 302
    assert list(interaction.organisations.all()) == [person.organisation]
    assert interaction.follow_ups.get().owner == coordinator
    person.refresh_from_db()
    assert person.last_contact_on == interaction.occurred_on
    assert person.days_since_contact == 2


def test_a_follow_up_due_before_its_exchange_is_refused_with_a_clear_message(
    client_for, advocacy_fr, coordinator
):
    person = StakeholderFactory()
    response = client_for(advocacy_fr).post(
        reverse("plaidoyer:interaction_create"),
        _post(
            person,
            follow_up_description="Relancer",
            follow_up_owner=coordinator.pk,
            follow_up_due=(TODAY() - datetime.timedelta(days=30)).isoformat(),
        ),
    )

    assert response.status_code == 400
    assert "L&#x27;échéance ne peut pas précéder l&#x27;échange" in response.content.decode()
    assert "Rendez-vous au cabinet" in response.content.decode()
    assert not Interaction.objects.exists()


def test_a_follow_up_added_later_is_also_checked_against_its_exchange(advocacy_fr, coordinator):
    interaction = InteractionFactory(occurred_on=datetime.date(2026, 3, 10))
    with pytest.raises(Exception, match="précéder"):
        services.follow_up_create(
            interaction=interaction,
            user=advocacy_fr,
            data={"description": "x", "owner": coordinator, "due_on": datetime.date(2026, 3, 1)},
        )
    assert not FollowUp.objects.exists()


def test_the_picker_finds_people_without_losing_what_was_typed(client_for, advocacy_fr):
    person = StakeholderFactory(full_name="Sophie Lemaire")
    StakeholderFactory(full_name="Élodie Fournier")
    data = _post(person, stakeholders=[person.pk], stakeholders_q="elodie", find="1")

    response = client_for(advocacy_fr).post(reverse("plaidoyer:interaction_create"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Élodie Fournier" in html
    assert "Sophie Lemaire" in html
    assert "Présentation des données médicales de Calais." in html
    assert not Interaction.objects.exists()


def test_confidential_exchanges_are_for_coordinators_and_their_author_only(
    client_for, advocacy_fr, advocacy_ly, coordinator, communication, viewer
):
    person = StakeholderFactory()
    secret = InteractionFactory(
        stakeholders=[person],
        sensitivity="confidential",
        author=advocacy_fr,
        title="Sujet sensible",
    )
    url = secret.get_absolute_url()

    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(advocacy_fr).get(url).status_code == 200
    for other in (advocacy_ly, communication, viewer):
        client = client_for(other)
        assert client.get(url).status_code == 404
        assert (
            "Sujet sensible" not in client.get(reverse("plaidoyer:interactions")).content.decode()
        )
        assert "Sujet sensible" not in client.get(person.get_absolute_url()).content.decode()


def test_a_position_learnt_in_a_confidential_exchange_does_not_show_the_exchange(
    client_for, advocacy_fr, advocacy_ly, coordinator, communication, viewer
):
    person = StakeholderFactory()
    secret = InteractionFactory(
        stakeholders=[person],
        sensitivity="confidential",
        author=coordinator,
        title="Sujet sensible",
    )
    Position.objects.create(
        stakeholder=person,
        theme=theme("detention"),
        support="opposed",
        stated_on=TODAY(),
        source=Position.Source.INTERACTION,
        interaction=secret,
    )
    url = person.get_absolute_url() + "?tab=positions"

    page = client_for(coordinator).get(url).content.decode()
    assert "Sujet sensible" in page
    assert secret.get_absolute_url() in page
    for other in (advocacy_fr, advocacy_ly, communication, viewer):
        page = client_for(other).get(url).content.decode()
        assert "Opposé" in page
        assert "Échange avec nous" in page
        assert "Sujet sensible" not in page
        assert secret.get_absolute_url() not in page


def test_timelines_per_stakeholder_and_organisation_newest_first(client_for, viewer):
    prefecture = OrganisationFactory(name="Préfecture du Pas-de-Calais")
    person = StakeholderFactory(organisation=prefecture)
    old = InteractionFactory(stakeholders=[person], occurred_on=datetime.date(2026, 1, 5))
    new = InteractionFactory(stakeholders=[person], occurred_on=datetime.date(2026, 3, 5))
    letter = InteractionFactory(kind="letter", occurred_on=datetime.date(2026, 2, 1))
    letter.organisations.add(prefecture)
    client = client_for(viewer)

    assert list(client.get(person.get_absolute_url()).context["page_obj"]) == [new, old]
    assert list(client.get(prefecture.get_absolute_url()).context["page_obj"]) == [
        new,
        letter,
        old,
    ]


def test_overdue_follow_ups_are_listed_and_ticked_by_their_owner(client_for, viewer, coordinator):
    late = FollowUpFactory(due_on=TODAY() - datetime.timedelta(days=3), owner=viewer)
    FollowUpFactory(due_on=TODAY() + datetime.timedelta(days=3))
    done = FollowUpFactory(due_on=TODAY() - datetime.timedelta(days=9))
    services.follow_up_mark(follow_up=done, user=coordinator)
    client = client_for(viewer)

    listed = client.get(reverse("plaidoyer:follow_ups"), {"state": "overdue"})

    assert list(listed.context["page_obj"]) == [late]
    assert "En retard" in listed.content.decode()
    client.post(reverse("plaidoyer:follow_up_mark", args=[late.pk]), {"done": "1"})
    late.refresh_from_db()
    assert late.done_by == viewer


def test_lists_of_exchanges_and_follow_ups_keep_a_constant_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    FollowUpFactory(interaction=InteractionFactory(stakeholders=[StakeholderFactory()]))
    for url in (reverse("plaidoyer:interactions"), reverse("plaidoyer:follow_ups")):
        client.get(url)
        with django_assert_max_num_queries(12) as few:
            client.get(url)
        for _ in range(10):
            FollowUpFactory(
                interaction=InteractionFactory(
                    stakeholders=[StakeholderFactory(), StakeholderFactory()]
                )
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200


def test_positions_over_time_show_each_theme_with_its_dated_steps(client_for, advocacy_fr, viewer):
    person = StakeholderFactory()
    meeting = InteractionFactory(stakeholders=[person], occurred_on=datetime.date(2026, 2, 1))
    item = ItemFactory(title="Le ministre s'exprime sur la détention des enfants")
    services.position_create(
        stakeholder=person,
        user=advocacy_fr,
        data={
            "theme": theme("detention"),
            "support": "opposed",
            "stated_on": datetime.date(2026, 2, 1),
            "source": "interaction",
            "interaction": meeting,
        },
    )
    client_for(advocacy_fr).post(
        reverse("plaidoyer:position_create", args=[person.pk]),
        {
            "theme": theme("detention").pk,
            "support": "supportive",
            "stated_on": "2026-04-01",
            "source": "veille_item",
            "item_ref": f"https://intranet/veille/articles/{item.pk}/",
        },
    )

    html = client_for(viewer).get(person.get_absolute_url() + "?tab=positions").content.decode()

    assert list(Position.objects.order_by("stated_on").values_list("support", flat=True)) == [
        "opposed",
        "supportive",
    ]
    assert html.index("Favorable") < html.index("Opposé")
    assert "Le ministre s&#x27;exprime" in html


def test_a_position_needs_its_source(advocacy_fr):
    person = StakeholderFactory()
    with pytest.raises(Exception, match="échange"):
        services.position_create(
            stakeholder=person,
            user=advocacy_fr,
            data={
                "theme": theme("detention"),
                "support": "neutral",
                "stated_on": TODAY(),
                "source": "interaction",
            },
        )


def test_an_officer_cannot_record_an_exchange_in_another_country(client_for, advocacy_ly):
    person = StakeholderFactory()
    response = client_for(advocacy_ly).post(reverse("plaidoyer:interaction_create"), _post(person))
    assert response.status_code == 400
    assert not Interaction.objects.exists()
    assert country("FR")


def test_a_follow_up_is_deleted_from_its_exchange_by_who_may_edit_it_after_a_question(
    client, coordinator, viewer
):
    follow_up = FollowUpFactory(due_on=TODAY() + datetime.timedelta(days=3))
    url = follow_up.interaction.get_absolute_url()
    delete_url = reverse("plaidoyer:follow_up_delete", args=[follow_up.pk])

    client.force_login(viewer)
    assert delete_url not in client.get(url).content.decode()

    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert f'action="{delete_url}" data-confirm=' in page
    client.post(delete_url)
    assert not FollowUp.objects.filter(pk=follow_up.pk).exists()
