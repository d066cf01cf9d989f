"""The triage inbox: stories, filters in the URL, search, pagination, empty states, queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import country, theme
from tests.veille.factories import AnnotationFactory, ItemFactory, SourceFactory
from tests.veille.helpers import count_queries, make_stories, make_story
from veille.models import Source, TriageStatus

pytestmark = pytest.mark.django_db

INBOX = reverse("veille:inbox")


def _rows(response):
    return [row.item for row in response.context["rows"]]


@pytest.mark.smoke
def test_inbox_shows_new_stories_once_with_their_sources(client_for, coordinator):
    cluster, _items = make_story(size=3, title="Naufrage au large de la Libye")
    alone = ItemFactory(title="Conseil d'État : suspension de la circulaire")
    ItemFactory(title="Déjà trié", status=TriageStatus.DISCARDED)

    response = client_for(coordinator).get(INBOX)

    assert response.status_code == 200
    shown = _rows(response)
    assert len(shown) == 2
    assert {i.cluster_id for i in shown} == {cluster.pk, None}
    assert alone in shown
    html = response.content.decode()
    assert "Naufrage au large de la Libye" in html
    assert "(3 sources)" in html
    assert "Déjà trié" not in html
    assert 'dir="auto"' in html


@pytest.mark.smoke
def test_empty_inbox_says_what_it_is_for(client_for, viewer):
    response = client_for(viewer).get(INBOX)

    html = response.content.decode()
    assert "Aucun nouveau sujet à trier." in html
    assert reverse("veille:sources") in html


def test_filters_are_in_the_url_and_narrow_the_list(client_for, coordinator):
    libya = country("LY")
    detention = theme("detention")
    ngo = SourceFactory(kind=Source.Kind.NGO, country=libya)
    match = ItemFactory(source=ngo, language="en", themes=[detention])
    ItemFactory(source=ngo, language="fr", themes=[detention])  # other language
    ItemFactory(language="en", themes=[detention])  # media source
    ItemFactory(source=ngo, language="en")  # no theme

    response = client_for(coordinator).get(
        INBOX, {"kind": "ngo", "language": "en", "theme": detention.pk, "country": libya.pk}
    )

    assert _rows(response) == [match]
    html = response.content.decode()
    # The filter is kept: shareable URL, and the save-as-rule link carries it.
    assert f'value="{detention.pk}" id="f-theme-{detention.pk}" checked' in html
    assert f"{reverse('veille:rule_create')}?kind=ngo&amp;country={libya.pk}" in html


def test_country_filter_matches_tagged_articles_and_articles_of_the_country_s_sources(
    client_for, coordinator
):
    tunisia = country("TN")
    tagged = ItemFactory(countries=[tunisia])
    from_source = ItemFactory(source=SourceFactory(country=tunisia))
    ItemFactory()

    response = client_for(coordinator).get(INBOX, {"country": tunisia.pk})

    assert set(_rows(response)) == {tagged, from_source}


def test_status_period_importance_and_annotation_filters(client_for, coordinator):
    now = timezone.now()
    recent = ItemFactory(status=TriageStatus.RELEVANT, importance=2, published_at=now)
    ItemFactory(status=TriageStatus.RELEVANT, importance=2, published_at=now - timedelta(days=40))
    ItemFactory(status=TriageStatus.RELEVANT, importance=0, published_at=now)
    annotated = ItemFactory(status=TriageStatus.ARCHIVED)
    AnnotationFactory(item=annotated)
    annotated.annotation_count = 1
    annotated.save(update_fields=["annotation_count"])
    client = client_for(coordinator)

    response = client.get(INBOX, {"status": "relevant", "period": "30d", "importance": "2"})
    assert _rows(response) == [recent]

    response = client.get(INBOX, {"status": "all", "annotated": "on"})
    assert _rows(response) == [annotated]

    response = client.get(
        INBOX,
        {"status": "all", "date_from": (now - timedelta(days=41)).date().isoformat(),
         "date_to": (now - timedelta(days=39)).date().isoformat()},
    )  # fmt: skip
    assert len(_rows(response)) == 1


def test_invalid_filter_values_show_an_error_and_no_crash(client_for, coordinator):
    ItemFactory()

    response = client_for(coordinator).get(INBOX, {"date_from": "pas-une-date", "source": "x"})

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "invalid-feedback" in response.content.decode()


def test_search_finds_words_in_any_article_of_a_story_and_highlights_them(client_for, coordinator):
    _cluster, items = make_story(size=2, title="Naufrage en Méditerranée")
    items[0].excerpt = "Les garde-côtes libyens ont intercepté 40 personnes près de Zouara."
    items[0].save()  # the trigger recomputes the search vector
    ItemFactory(title="Hébergement d'urgence à Paris", excerpt="Rien à voir.")

    response = client_for(coordinator).get(INBOX, {"q": "Zouara", "status": "all"})

    rows = response.context["rows"]
    assert [r.item for r in rows] == [items[0]]
    assert "<mark>Zouara</mark>" in str(rows[0].snippet_html)
    assert response.context["result"].sort == "relevance"


def test_search_understands_french_stemming_and_exclusion(client_for, coordinator):
    minors = ItemFactory(title="Des mineurs isolés laissés à la rue", language="fr")
    mayotte = ItemFactory(title="Les mineurs de Mayotte", language="fr")
    client = client_for(coordinator)

    assert set(_rows(client.get(INBOX, {"q": "mineur"}))) == {minors, mayotte}
    response = client.get(INBOX, {"q": "mineur -Mayotte"})
    assert _rows(response) == [minors]
    response = client.get(INBOX, {"q": '"mineurs isolés"'})
    assert _rows(response) == [minors]


def test_arabic_titles_are_searched_and_written_right_to_left(client_for, coordinator):
    item = ItemFactory(
        title="غرق قارب قبالة زوارة: فقدان أربعين مهاجرا",
        excerpt="أعاد خفر السواحل المهاجرين إلى مراكز الاحتجاز.",
        language="ar",
    )
    ItemFactory(title="Naufrage au large de Zouara", language="fr")

    response = client_for(coordinator).get(INBOX, {"q": "المهاجرين"})

    assert _rows(response) == [item]
    html = response.content.decode()
    assert 'dir="auto" lang="ar"' in html


def test_sort_by_date_or_relevance(client_for, coordinator):
    now = timezone.now()
    older_but_better = ItemFactory(
        title="Frontex Frontex : rapport sur Frontex", published_at=now - timedelta(days=2)
    )
    newer = ItemFactory(title="Une mention de Frontex", published_at=now)
    client = client_for(coordinator)

    by_relevance = _rows(client.get(INBOX, {"q": "Frontex"}))
    by_date = _rows(client.get(INBOX, {"q": "Frontex", "sort": "date"}))

    assert by_relevance == [older_but_better, newer]
    assert by_date == [newer, older_but_better]


def test_pagination_keeps_the_filters(client_for, coordinator, settings):
    settings.PAGINATE_BY = 5
    for n in range(12):
        ItemFactory(title=f"Migrants secourus numéro {n}", language="fr")

    response = client_for(coordinator).get(INBOX, {"q": "secourus", "page": 3})

    assert len(response.context["rows"]) == 2
    html = response.content.decode()
    assert "Page 3 sur 3" in html
    assert "q=secourus&amp;page=2" in html


def test_very_common_words_are_ranked_among_the_newest_candidates_only(
    client_for, coordinator, settings
):
    settings.VEILLE_SEARCH_CANDIDATES = 10
    now = timezone.now()
    for n in range(15):
        ItemFactory(title=f"Migrants à Calais {n}", published_at=now - timedelta(hours=n))

    response = client_for(coordinator).get(INBOX, {"q": "migrants"})

    result = response.context["result"]
    assert result.truncated
    assert result.candidates == 10
    assert len(result.rows) == 10
    assert "Plus de 10 articles correspondent" in response.content.decode()


def test_htmx_filter_request_gets_the_results_only(client_for, coordinator):
    ItemFactory(title="Un article")

    response = client_for(coordinator).get(
        INBOX, {"q": "article"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-results"
    )

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="bulk-form"' in html


def test_history_restore_gets_the_full_page(client_for, coordinator):
    response = client_for(coordinator).get(
        INBOX,
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="inbox-results",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert "<html" in response.content.decode()


def test_readers_see_no_triage_controls(client_for, viewer, communication):
    ItemFactory(title="Un article")
    for user in (viewer, communication):
        html = client_for(user).get(INBOX).content.decode()
        assert "Un article" in html
        assert 'data-shortcut="r"' not in html
        assert 'id="bulk-form"' not in html


def test_story_members_are_listed_when_a_row_is_expanded(client_for, viewer):
    _cluster, items = make_story(size=3)

    response = client_for(viewer).get(reverse("veille:story", args=[items[0].pk]))

    assert response.status_code == 200
    assert [m.pk for m in response.context["members"]] == [i.pk for i in reversed(items)]


def test_inbox_runs_a_constant_number_of_queries(
    client_for, coordinator, django_assert_num_queries
):
    make_stories(5, size=3)
    ItemFactory(title="Un article seul")
    client = client_for(coordinator)
    client.get(INBOX)  # warm up
    queries = count_queries(client, INBOX, {"status": "new"})
    # Ours: the newest matches, the page rows, their themes, their countries, the sources
    # of the filter form, the alert badge (plus the shell's: session, user, 2FA, ...).
    assert len([q for q in queries if "veille_" in q]) == 6

    make_stories(45, size=3)
    with django_assert_num_queries(len(queries)):
        response = client.get(INBOX, {"status": "new"})
    assert len(response.context["rows"]) == 25


def test_search_runs_a_constant_number_of_queries(
    client_for, coordinator, django_assert_num_queries
):
    make_stories(5, size=2)
    client = client_for(coordinator)
    params = {"q": "sujet", "theme": theme("detention").pk, "sort": "relevance"}
    client.get(INBOX, params)
    queries = count_queries(client, INBOX, params)

    make_stories(45, size=2)
    with django_assert_num_queries(len(queries)):
        response = client.get(INBOX, params)
    assert response.status_code == 200


@pytest.mark.smoke
def test_search_works_on_both_databases(client_for, coordinator):
    """PostgreSQL ranks with tsvectors; the embedded SQLite default matches words simply."""
    kept = ItemFactory(title="Naufrage au large de Zouara", excerpt="Quarante disparus.")
    ItemFactory(title="Zouara : la Libye ferme un centre", excerpt="Détention.")
    ItemFactory(title="Rien à voir", excerpt="Calais.")

    response = client_for(coordinator).get(INBOX, {"q": 'Zouara -Libye "au large"'})

    assert response.status_code == 200
    assert _rows(response) == [kept]


def test_a_reversed_period_is_pointed_out_in_the_inbox(client_for, coordinator):
    response = client_for(coordinator).get(
        reverse("veille:inbox"), {"date_from": "2026-11-30", "date_to": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "La période se termine avant de commencer" in response.content.decode()


def test_the_inbox_order_is_one_sort_parameter_and_an_unknown_one_is_ignored(
    client_for, coordinator
):
    make_story(size=2, title="Frontex en Méditerranée")
    client = client_for(coordinator)
    by_date = client.get(reverse("veille:inbox"), {"q": "Frontex", "sort": "date"})
    unknown = client.get(reverse("veille:inbox"), {"q": "Frontex", "sort": "password"})

    assert by_date.context["result"].sort == "date"
    assert unknown.status_code == 200
    assert unknown.context["result"].sort == "relevance"  # the default with a query
    assert len(unknown.context["rows"]) == 1


def test_a_search_looks_through_every_status_unless_one_is_chosen(client_for, coordinator):
    new = ItemFactory(title="Naufrage au large de Zouara")
    triaged = ItemFactory(title="Naufrage près de Lampedusa", status=TriageStatus.RELEVANT)
    archived = ItemFactory(title="Naufrage en mer Égée", status=TriageStatus.ARCHIVED)
    ItemFactory(title="Conseil d'État : une circulaire suspendue", status=TriageStatus.RELEVANT)
    client = client_for(coordinator)

    searched = client.get(INBOX, {"q": "naufrage"})
    chosen = client.get(INBOX, {"q": "naufrage", "status": "new"})
    browsing = client.get(INBOX)

    assert set(_rows(searched)) == {new, triaged, archived}
    assert searched.context["searched_statuses"] == "recherche dans tous les statuts"
    assert _rows(chosen) == [new]
    assert "recherche limitée au statut « Nouveau »" in chosen.content.decode()
    assert _rows(browsing) == [new]
    assert browsing.context["searched_statuses"] == ""


def test_the_status_radios_show_whether_one_was_chosen(client_for, coordinator):
    client = client_for(coordinator)

    automatic = client.get(INBOX, {"q": "naufrage"}).content.decode()
    relevant = client.get(INBOX, {"q": "naufrage", "status": "relevant"}).content.decode()

    assert 'value="" id="f-status-auto" checked' in automatic
    assert 'value="new" id="f-status-new" checked' not in automatic
    assert 'value="relevant" id="f-status-relevant" checked' in relevant
    assert 'id="f-status-auto" checked' not in relevant


def test_the_reading_pane_shows_the_text_the_other_sources_and_the_triage(client_for, coordinator):
    _cluster, items = make_story(size=3, title="Naufrage au large de la Libye")
    shown = items[0]
    shown.content = "<p>Au moins quarante personnes sont portées disparues.</p>"
    shown.save(update_fields=["content"])

    response = client_for(coordinator).get(reverse("veille:item_reader", args=[shown.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Au moins quarante personnes sont portées disparues." in html
    assert "Aussi chez" in html
    for other in items[1:]:
        assert reverse("veille:item_detail", args=[other.pk]) in html
        assert other.source.name in html
    assert 'data-reader-action="r"' in html
    assert "<html" not in html  # a fragment for the pane


def test_readers_who_cannot_triage_read_without_the_buttons(client_for, viewer, field_calais):
    item = ItemFactory()
    url = reverse("veille:item_reader", args=[item.pk])

    html = client_for(viewer).get(url).content.decode()

    assert item.title in html
    assert "data-reader-action" not in html
    assert client_for(field_calais).get(url).status_code == 403


def test_each_story_row_says_where_its_reading_pane_comes_from(client_for, coordinator):
    item = ItemFactory()

    html = client_for(coordinator).get(INBOX).content.decode()

    assert f'data-read-url="{reverse("veille:item_reader", args=[item.pk])}"' in html


def test_the_compact_density_is_remembered(client_for, coordinator):
    ItemFactory()
    client = client_for(coordinator)

    assert "is-compact" not in client.get(INBOX).content.decode()
    client.cookies["inbox_density"] = "compact"
    html = client.get(INBOX).content.decode()

    assert 'class="list-group story-list mb-3 is-compact"' in html
    assert 'data-density-toggle aria-pressed="true"' in html
