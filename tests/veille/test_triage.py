"""One-click (htmx) triage of a story, tags, bulk actions and "mark all visible as read"."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.core.factories import country, theme
from tests.veille.factories import ItemFactory
from tests.veille.helpers import make_story
from veille.models import Cluster, Item, TriageStatus

pytestmark = pytest.mark.django_db

INBOX = reverse("veille:inbox")


def _triage(client, item, htmx=True, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("veille:triage", args=[item.pk]), data, **headers)


@pytest.mark.smoke
def test_marking_a_story_relevant_triages_every_article_and_returns_the_row(
    client_for, coordinator
):
    cluster, items = make_story(size=3)

    response = _triage(client_for(coordinator), items[0], status="relevant")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(
        f'<li class="list-group-item story-row is-triaged" id="story-{items[0].pk}"'
    )
    assert 'aria-pressed="true"' in html
    assert set(Item.objects.filter(cluster=cluster).values_list("status", flat=True)) == {
        TriageStatus.RELEVANT
    }
    assert Item.objects.filter(cluster=cluster, triaged_by=coordinator).count() == 3
    cluster.refresh_from_db()
    assert cluster.status == TriageStatus.RELEVANT
    assert AuditEvent.objects.filter(action="change", object_type="veille.cluster").exists()


def test_without_javascript_the_action_redirects_back_to_the_filtered_inbox(
    client_for, coordinator
):
    item = ItemFactory()
    back = INBOX + "?q=naufrage&status=new"

    response = _triage(client_for(coordinator), item, htmx=False, status="discarded", next=back)

    assert response.status_code == 302
    assert response["Location"] == back
    item.refresh_from_db()
    assert item.status == TriageStatus.DISCARDED


def test_an_outside_next_address_is_ignored(client_for, coordinator):
    item = ItemFactory()

    response = _triage(
        client_for(coordinator), item, htmx=False, status="archived", next="https://evil.example/"
    )

    assert response["Location"] == INBOX


def test_importance_and_unknown_values(client_for, coordinator):
    cluster, items = make_story(size=2)
    client = client_for(coordinator)

    assert _triage(client, items[1], importance="3").status_code == 200
    assert set(Item.objects.filter(cluster=cluster).values_list("importance", flat=True)) == {3}
    cluster.refresh_from_db()
    assert cluster.importance == 3
    assert _triage(client, items[1], importance="9").status_code == 400
    assert _triage(client, items[1], status="lu").status_code == 400
    assert _triage(client, items[1]).status_code == 400


def test_themes_and_countries_switch_on_and_off_for_the_whole_story(client_for, advocacy_fr):
    cluster, items = make_story(size=2)
    detention, libya = theme("detention"), country("LY")
    client = client_for(advocacy_fr)

    _triage(client, items[0], add_theme=detention.pk)
    _triage(client, items[0], add_country=libya.pk)
    for item in Item.objects.filter(cluster=cluster):
        assert list(item.themes.all()) == [detention]
        assert list(item.countries.all()) == [libya]

    response = _triage(client, items[1], remove_theme=detention.pk)
    assert detention.name not in response.content.decode()
    assert not Item.themes.through.objects.filter(item__cluster=cluster).exists()


def test_the_tag_menu_shows_what_is_on(client_for, coordinator):
    detention = theme("detention")
    item = ItemFactory(themes=[detention])
    client = client_for(coordinator)

    menu = client.get(reverse("veille:tag_menu", args=[item.pk]), {"kind": "theme"})
    assert f'name="remove_theme" value="{detention.pk}"' in menu.content.decode()
    importance = client.get(reverse("veille:tag_menu", args=[item.pk]), {"kind": "importance"})
    assert 'name="importance" value="3"' in importance.content.decode()
    assert client.get(reverse("veille:tag_menu", args=[item.pk]), {"kind": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["viewer", "communication"])
def test_readers_cannot_triage(request, client_for, who):
    item = ItemFactory()
    client = client_for(request.getfixturevalue(who))

    assert _triage(client, item, status="relevant").status_code == 403
    assert (
        client.post(reverse("veille:bulk"), {"action": "relevant", "items": [item.pk]}).status_code
        == 403
    )
    item.refresh_from_db()
    assert item.status == TriageStatus.NEW


def test_missing_article_is_404(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("veille:triage", args=[999999]), {"status": "new"}
    )
    assert response.status_code == 404


def test_bulk_actions_triage_the_selected_stories(client_for, coordinator):
    cluster, items = make_story(size=2)
    alone = ItemFactory()
    untouched = ItemFactory()
    client = client_for(coordinator)

    response = client.post(
        reverse("veille:bulk"),
        {"action": "relevant", "items": [items[0].pk, alone.pk], "next": INBOX + "?status=new"},
    )

    assert response.status_code == 302
    assert response["Location"] == INBOX + "?status=new"
    assert Item.objects.filter(status=TriageStatus.RELEVANT).count() == 3
    untouched.refresh_from_db()
    assert untouched.status == TriageStatus.NEW
    assert Cluster.objects.get(pk=cluster.pk).status == TriageStatus.RELEVANT
    follow = client.get(response["Location"])
    assert "2 sujets passés en « Pertinent »." in follow.content.decode()


def test_bulk_tags_are_added_to_every_article(client_for, coordinator):
    cluster, items = make_story(size=2)
    detention, libya = theme("detention"), country("LY")

    client_for(coordinator).post(
        reverse("veille:bulk"),
        {
            "action": "tags",
            "items": [items[1].pk],
            "themes": [detention.pk],
            "countries": [libya.pk],
        },
    )

    for item in Item.objects.filter(cluster=cluster):
        assert list(item.themes.all()) == [detention]
        assert list(item.countries.all()) == [libya]


def test_bulk_without_selection_or_tags_says_so(client_for, coordinator):
    item = ItemFactory()
    client = client_for(coordinator)

    response = client.post(reverse("veille:bulk"), {"action": "relevant"}, follow=True)
    assert "Aucun sujet sélectionné." in response.content.decode()
    response = client.post(
        reverse("veille:bulk"), {"action": "tags", "items": [item.pk]}, follow=True
    )
    assert "Choisissez au moins un thème ou un pays." in response.content.decode()
    assert (
        client.post(reverse("veille:bulk"), {"action": "x", "items": [item.pk]}).status_code == 400
    )


def test_mark_visible_as_read_archives_only_the_new_stories_of_the_page(client_for, coordinator):
    new = ItemFactory()
    relevant = ItemFactory(status=TriageStatus.RELEVANT)
    not_on_page = ItemFactory()

    response = client_for(coordinator).post(
        reverse("veille:bulk"), {"action": "read", "items": [new.pk, relevant.pk]}, follow=True
    )

    assert "1 article marqué comme lu (archivé)." in response.content.decode()
    assert Item.objects.get(pk=new.pk).status == TriageStatus.ARCHIVED
    assert Item.objects.get(pk=relevant.pk).status == TriageStatus.RELEVANT
    assert Item.objects.get(pk=not_on_page.pk).status == TriageStatus.NEW


def test_a_triaged_story_leaves_the_new_stories_list(client_for, coordinator):
    item = ItemFactory(title="À trier")
    client = client_for(coordinator)
    assert "À trier" in client.get(INBOX).content.decode()

    _triage(client, item, status="discarded")

    assert "À trier" not in client.get(INBOX).content.decode()
    assert "À trier" in client.get(INBOX, {"status": "discarded"}).content.decode()
