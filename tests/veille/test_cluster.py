"""Story clustering: same story across sources, late joiners, triage of a whole story."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.core.factories import UserFactory
from tests.veille.factories import SourceFactory
from tests.veille.feedserver import rss_feed, rss_item
from veille import signatures
from veille.models import Cluster, Item, TriageStatus
from veille.services import cluster_triage
from veille.services.ingest import ingest_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_local")]

NOW = datetime.now(UTC)


def _source(feed_server, name, entries, *, language="fr"):
    path = f"/c/{name}.xml"
    items = [
        rss_item(
            title=t,
            guid=f"{name}-{i}",
            link=f"https://{name}.example/{i}",
            description=d,
            pub_date=when,
        )
        for i, (t, d, when) in enumerate(entries)
    ]
    return SourceFactory(
        name=name, feed_url=feed_server.add(path, rss_feed(items, language=language))
    )


STORY = (
    "Naufrage au large de la Libye : au moins 40 migrants disparus",
    "Au moins 40 migrants sont portés disparus après le naufrage d'une embarcation "
    "partie de Zuwara.",
)
VARIANT = (
    "Libye : au moins 40 migrants disparus dans un naufrage au large de Zuwara",
    "Une embarcation partie de Zuwara a fait naufrage ; au moins 40 migrants disparus selon l'OIM.",
)
OTHER = (
    "Le Conseil d'État suspend la circulaire sur les mineurs non accompagnés",
    "La haute juridiction administrative a suspendu la circulaire contestée par les associations.",
)


def test_normalised_tokens_fold_case_accents_stopwords_and_arabic():
    assert signatures.tokens("Les Migrants arrivés à Lampedusa") == ["migran", "arrive", "lamped"]
    assert signatures.tokens("المهاجرين في ليبيا") == signatures.tokens("المُهاجرين في ليبيا")


def test_same_story_from_three_sources_is_one_row(feed_server):
    a = _source(feed_server, "quotidien", [(*STORY, NOW)])
    b = _source(feed_server, "agence", [(*VARIANT, NOW + timedelta(minutes=30)), (*OTHER, NOW)])
    c = _source(feed_server, "radio", [(STORY[0], "Bref.", NOW + timedelta(hours=2))])
    for source in (a, b, c):
        ingest_source(source)

    cluster = Cluster.objects.get()
    assert (cluster.item_count, cluster.source_count) == (3, 3)
    assert cluster.source_names == ["quotidien", "agence", "radio"]
    assert cluster.title == STORY[0]
    assert cluster.representative.source == a
    lead = Item.objects.filter(is_cluster_lead=True)
    assert lead.count() == 2  # the story and the other article
    assert Item.objects.get(title=OTHER[0]).cluster is None


def test_late_article_joins_the_existing_cluster(feed_server):
    a = _source(feed_server, "early-a", [(*STORY, NOW - timedelta(hours=30))])
    b = _source(feed_server, "early-b", [(*VARIANT, NOW - timedelta(hours=29))])
    ingest_source(a)
    ingest_source(b)
    cluster = Cluster.objects.get()
    late = _source(feed_server, "late", [(STORY[0] + " (mise à jour)", STORY[1], NOW)])
    ingest_source(late)

    cluster.refresh_from_db()
    assert cluster.item_count == 3
    assert Item.objects.get(source=late).cluster == cluster
    assert cluster.latest_published_at == Item.objects.get(source=late).published_at


def test_stories_outside_the_time_window_stay_apart(feed_server):
    a = _source(feed_server, "old", [(*STORY, NOW - timedelta(days=10))])
    b = _source(feed_server, "new", [(*STORY, NOW)])
    ingest_source(a)
    ingest_source(b)
    assert not Cluster.objects.exists()


def test_same_source_items_are_not_clustered_together(feed_server):
    a = _source(feed_server, "serial", [(*STORY, NOW), (STORY[0] + " (suite)", STORY[1], NOW)])
    ingest_source(a)
    assert not Cluster.objects.exists()


def test_different_daily_briefs_are_not_merged(feed_server):
    a = _source(
        feed_server, "brief-a", [("Revue de presse migrations du 12 mai", "Sommaire A.", NOW)]
    )
    b = _source(
        feed_server, "brief-b", [("Revue de presse migrations du 13 mai", "Sommaire B.", NOW)]
    )
    ingest_source(a)
    ingest_source(b)
    assert not Cluster.objects.exists()


def test_arabic_story_clusters(feed_server):
    a = _source(
        feed_server,
        "ar-a",
        [("غرق قارب مهاجرين قبالة سواحل ليبيا وفقدان أربعين شخصا", "فقد أربعون مهاجرا", NOW)],
        language="ar",
    )
    b = _source(
        feed_server,
        "ar-b",
        [("فقدان أربعين مهاجرا في غرق قارب قبالة سواحل ليبيا", "غرق قارب مهاجرين", NOW)],
        language="ar",
    )
    ingest_source(a)
    ingest_source(b)
    assert Cluster.objects.get().item_count == 2


def test_triaging_a_cluster_triages_its_members_and_late_joiners_follow(feed_server):
    user = UserFactory()
    a = _source(feed_server, "t-a", [(*STORY, NOW)])
    b = _source(feed_server, "t-b", [(*VARIANT, NOW)])
    ingest_source(a)
    ingest_source(b)
    cluster = Cluster.objects.get()

    changed = cluster_triage(cluster=cluster, user=user, status=TriageStatus.RELEVANT, importance=2)

    assert changed == 2
    assert set(Item.objects.values_list("status", "importance")) == {("relevant", 2)}
    cluster.refresh_from_db()
    assert (cluster.status, cluster.importance) == ("relevant", 2)

    late = _source(feed_server, "t-late", [(STORY[0], STORY[1], NOW + timedelta(hours=1))])
    ingest_source(late)
    assert Item.objects.get(source=late).status == "relevant"


def test_deleting_a_member_dissolves_a_two_item_cluster(feed_server):
    from veille.services import source_delete

    user = UserFactory()
    a = _source(feed_server, "d-a", [(*STORY, NOW)])
    b = _source(feed_server, "d-b", [(*VARIANT, NOW)])
    ingest_source(a)
    ingest_source(b)
    source_delete(source=b, user=user)
    assert not Cluster.objects.exists()
    assert Item.objects.get().is_cluster_lead


def test_two_loose_articles_of_a_story_end_in_one_cluster(feed_server):
    # As when two workers stored the first two articles of a story at the same moment:
    # neither saw the other, both are alone. The third article gathers all three.
    from tests.veille.factories import ItemFactory

    for name, (title, text) in (("loose-a", STORY), ("loose-b", VARIANT)):
        tokens = signatures.title_tokens(title)
        bands = signatures.band_keys(tokens)
        ItemFactory(
            source=SourceFactory(name=name),
            title=title,
            excerpt=text,
            published_at=NOW,
            title_tokens=" ".join(tokens),
            **{f"lsh{i}": key for i, key in enumerate(bands)},
        )
    assert not Cluster.objects.exists()
    third = _source(feed_server, "loose-c", [(STORY[0], STORY[1], NOW + timedelta(hours=1))])
    ingest_source(third)

    cluster = Cluster.objects.get()
    assert (cluster.item_count, cluster.source_count) == (3, 3)
    assert Item.objects.filter(is_cluster_lead=True).count() == 1
