"""Sources pages: scoping per role, CRUD, health, fetch now, query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Country, Theme
from tests.veille.factories import AnalysisNoteFactory, ItemFactory, SourceFactory
from veille.models import Item, Source

pytestmark = pytest.mark.django_db

READER_FIXTURES = ["coordinator", "advocacy_fr", "advocacy_ly", "communication", "viewer"]
ALL_FIXTURES = [*READER_FIXTURES, "field_calais", "field_marseille"]


def _pages(source):
    return [
        reverse("veille:sources"),
        reverse("veille:source_health"),
        reverse("veille:source_detail", args=[source.pk]),
        reverse("veille:opml_export"),
    ]


def _manage_pages(source):
    return [
        reverse("veille:source_create"),
        reverse("veille:source_edit", args=[source.pk]),
        reverse("veille:source_delete", args=[source.pk]),
        reverse("veille:opml_import"),
    ]


@pytest.mark.parametrize("who", ALL_FIXTURES)
def test_reading_pages_by_role(request, client_for, who):
    user = request.getfixturevalue(who)
    source = SourceFactory()
    client = client_for(user)
    expected = 403 if who.startswith("field_") else 200
    for url in _pages(source):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("who", ALL_FIXTURES)
def test_managing_pages_are_for_coordinators(request, client_for, who):
    user = request.getfixturevalue(who)
    source = SourceFactory()
    client = client_for(user)
    expected = 200 if who == "coordinator" else 403
    for url in _manage_pages(source):
        assert client.get(url).status_code == expected, url
    response = client.post(reverse("veille:source_fetch_now", args=[source.pk]))
    assert response.status_code == (302 if who == "coordinator" else 403)


def test_missing_source_is_404(client_for, coordinator):
    assert (
        client_for(coordinator).get(reverse("veille:source_detail", args=[999999])).status_code
        == 404
    )


def test_empty_list_says_what_to_do(client_for, coordinator):
    body = client_for(coordinator).get(reverse("veille:sources")).content.decode()
    assert "Aucune source. Ajoutez-en une ou importez un fichier OPML." in body
    assert reverse("veille:opml_import") in body


def test_source_list_query_count_is_constant(
    client_for, coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    country = Country.objects.get(code="FR")
    for _ in range(3):
        ItemFactory(source=SourceFactory(country=country))
    client.get(reverse("veille:sources"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("veille:sources"))
    for _ in range(30):
        ItemFactory(source=SourceFactory(country=country))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("veille:sources"))
    assert response.context["page_obj"].paginator.count == 33


def test_health_query_count_is_constant(client_for, coordinator, django_assert_max_num_queries):
    client = client_for(coordinator)
    SourceFactory()
    client.get(reverse("veille:source_health"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("veille:source_health"))
    for _ in range(20):
        ItemFactory(source=SourceFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("veille:source_health"))


def test_sorting_and_filters(client_for, viewer):
    SourceFactory(name="Alpha", kind=Source.Kind.NGO)
    SourceFactory(name="Bravo", kind=Source.Kind.MEDIA)
    failing = SourceFactory(name="Charlie", kind=Source.Kind.MEDIA)
    Source.objects.filter(pk=failing.pk).update(consecutive_failures=9, last_outcome="error")
    client = client_for(viewer)
    names = lambda r: [s.name for s in r.context["sources"]]  # noqa: E731
    assert names(client.get(reverse("veille:sources"), {"sort": "-name"})) == [
        "Charlie",
        "Bravo",
        "Alpha",
    ]
    assert names(client.get(reverse("veille:sources"), {"kind": "ngo"})) == ["Alpha"]
    assert names(client.get(reverse("veille:sources"), {"state": "failing"})) == ["Charlie"]
    assert names(client.get(reverse("veille:sources"), {"q": "brav"})) == ["Bravo"]
    assert names(client.get(reverse("veille:sources"), {"sort": "nonsense"})) == [
        "Alpha",
        "Bravo",
        "Charlie",
    ]


def test_health_lists_failing_sources_first_with_plain_words(client_for, coordinator):
    SourceFactory(name="Aaa en forme", last_outcome="ok")
    broken = SourceFactory(name="Zzz en panne")
    Source.objects.filter(pk=broken.pk).update(
        consecutive_failures=6, last_outcome="error", last_error_code="http_error", last_status=404
    )
    internal = SourceFactory(name="Mmm interne")
    Source.objects.filter(pk=internal.pk).update(
        consecutive_failures=1, last_outcome="error", last_error_code="forbidden_address"
    )
    response = client_for(coordinator).get(reverse("veille:source_health"))
    names = [s.name for s in response.context["sources"]]
    assert names == ["Zzz en panne", "Mmm interne", "Aaa en forme"]
    body = response.content.decode()
    assert "Le serveur a répondu 404" in body
    assert "Adresse interne refusée" in body
    assert "Récupérer maintenant" in body


def test_create_edit_and_audit(client_for, coordinator):
    client = client_for(coordinator)
    theme = Theme.objects.first()
    response = client.post(
        reverse("veille:source_create"),
        {
            "name": "InfoMigrants (FR)",
            "feed_url": "https://www.infomigrants.net/fr/rss",
            "kind": "media",
            "language": "fr",
            "themes": [theme.pk],
            "active": "on",
        },
    )
    source = Source.objects.get()
    assert response.status_code == 302
    assert list(source.themes.all()) == [theme]
    assert source.created_by == coordinator
    assert AuditEvent.objects.filter(action="create", object_type="veille.source").exists()

    response = client.post(
        reverse("veille:source_edit", args=[source.pk]),
        {"name": "InfoMigrants", "feed_url": source.feed_url, "kind": "media", "language": "fr"},
    )
    source.refresh_from_db()
    assert (source.name, source.active) == ("InfoMigrants", False)
    assert AuditEvent.objects.filter(action="change", object_id=str(source.pk)).exists()


def test_form_refuses_internal_addresses_and_keeps_what_was_typed(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("veille:source_create"),
        {"name": "Métadonnées", "feed_url": "http://169.254.169.254/latest", "kind": "media"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Adresse interne refusée" in body
    assert "Métadonnées" in body
    assert not Source.objects.exists()


def test_delete_asks_first_and_says_what_goes(client_for, coordinator):
    source = SourceFactory(name="À supprimer")
    ItemFactory.create_batch(3, source=source)
    client = client_for(coordinator)
    page = client.get(reverse("veille:source_delete", args=[source.pk])).content.decode()
    assert "3 articles récupérés" in page
    assert Source.objects.exists()
    client.post(reverse("veille:source_delete", args=[source.pk]))
    assert not Source.objects.exists()
    assert not Item.objects.exists()


def test_delete_is_refused_while_notes_cite_items(client_for, coordinator):
    source = SourceFactory()
    AnalysisNoteFactory(cited_items=[ItemFactory(source=source)])
    client = client_for(coordinator)
    page = client.get(reverse("veille:source_delete", args=[source.pk])).content.decode()
    assert "Désactivez plutôt la source" in page
    client.post(reverse("veille:source_delete", args=[source.pk]))
    assert Source.objects.filter(pk=source.pk).exists()


def test_fetch_now_claims_and_queues_once(
    client_for, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    from veille import tasks

    sent = []
    monkeypatch.setattr(tasks.fetch_source, "apply_async", lambda args, **kw: sent.append(args))
    source = SourceFactory(next_fetch_at=timezone.now() + timedelta(hours=5))
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("veille:source_fetch_now", args=[source.pk]), {"next": "https://evil.example/"}
        )
        response = client.post(reverse("veille:source_fetch_now", args=[source.pk]))
    assert len(sent) == 1
    assert sent[0][0] == source.pk
    assert response.url == reverse("veille:source_detail", args=[source.pk])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("déjà en cours" in m for m in messages)


def test_failing_sources_are_the_same_on_every_page(client_for, coordinator):
    """One definition: the list filter, the health count and rows, and the dashboard card
    agree, and a source switched off is not failing (it is no longer fetched)."""
    for name, failures, active in (
        ("En panne", 9, True),
        ("En pause", 9, False),
        ("Lasse", 2, True),
    ):
        source = SourceFactory(name=name, active=active)
        Source.objects.filter(pk=source.pk).update(
            consecutive_failures=failures, last_outcome="error"
        )
    client = client_for(coordinator)

    listed = client.get(reverse("veille:sources"), {"state": "failing"}).context["sources"]
    health = client.get(reverse("veille:source_health")).context
    cards = client.get(reverse("influence:dashboard")).context["cards"]
    card = next(c for c in cards if c.template.endswith("failing_sources.html"))

    assert [s.name for s in listed] == ["En panne"]
    assert health["failing_count"] == 1
    assert [s.name for s in health["sources"] if s.is_failing] == ["En panne"]
    assert health["sources"][0].name == "En panne"
    assert card.context["count"] == 1
    assert [s.name for s in card.context["sources"]] == ["En panne"]


def test_fetch_now_with_the_broker_down_says_so_and_leaves_the_source_free(
    client_for, coordinator, monkeypatch
):
    from kombu.exceptions import OperationalError

    from veille import tasks

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.fetch_source, "apply_async", unreachable)
    source = SourceFactory()

    response = client_for(coordinator).post(reverse("veille:source_fetch_now", args=[source.pk]))

    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("momentanément indisponible" in m for m in messages)
    source.refresh_from_db()
    assert source.claim_token == ""  # nothing holds it: the next try or the dispatcher can


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/feed.xml",
        "http://intranet.local/rss",
        "https://feeds.internal/rss",
        "http://127.0.0.1/feed",
        "http://[::1]/feed",
        "http://0x7f.1/feed",
        "http://example.org:8080/feed",
        "ftp://example.org/feed",
    ],
)
def test_a_source_address_the_fetcher_would_refuse_is_refused_when_typed(
    client_for, coordinator, url, settings
):
    settings.VEILLE_FETCH_ALLOWLIST = []
    response = client_for(coordinator).post(
        reverse("veille:source_create"),
        {"name": "Interne", "feed_url": url, "kind": "media", "language": "fr", "active": "on"},
    )

    assert response.status_code == 200  # the form again, with what was typed
    html = response.content.decode()
    assert "refusé" in html or "Saisissez une URL valide" in html  # and says why
    assert url in html
    assert not Source.objects.filter(name="Interne").exists()
