"""Story clustering on templated feeds: numbered titles, boilerplate summaries, daily
editions, the 72-hour window and the bounds of a story."""

from datetime import timedelta

import pytest

from tests.veille.cluster_helpers import NOW, STORY, VARIANT, day, feed_source
from veille import signatures
from veille.models import Cluster, Item
from veille.services import clustering
from veille.services.ingest import ingest_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_local")]

DECISION_BOILERPLATE = (
    "Le Conseil constitutionnel a rendu une décision. Consultez le texte intégral, le "
    "commentaire et le dossier documentaire sur le site du Conseil constitutionnel."
)


def _decisions(first_number: int, count: int = 12):
    """Numbered titles on one template with the same boilerplate, three hours apart."""
    entries = []
    for i in range(count):
        when = NOW - timedelta(hours=3 * i)
        title = f"Décision n° 2026-{first_number + i} QPC du {day(when)}"
        entries.append((title, f"<p>{DECISION_BOILERPLATE}</p>", when))
    return entries


def test_numbered_titles_on_one_template_are_different_stories(feed_server):
    # Two feeds of the same institution, the same template and boilerplate, different
    # decision numbers; one real story told by both.
    a = feed_source(feed_server, "cc-a", [(*STORY, NOW), *_decisions(481)])
    b = feed_source(feed_server, "cc-b", [(*VARIANT, NOW), *_decisions(681)])
    ingest_source(a)
    ingest_source(b)

    cluster = Cluster.objects.get()  # the shipwreck only
    assert set(Item.objects.filter(cluster=cluster).values_list("title", flat=True)) == {
        STORY[0],
        VARIANT[0],
    }
    a.refresh_from_db()
    common = set(a.common_tokens.split())
    # The template and the boilerplate were learnt as the source's common words.
    assert {"decisi", "qpc", "consti", "consul", "integr"} <= common
    assert not {"naufra", "libye"} & common


def test_the_same_numbered_title_elsewhere_is_the_same_issue(feed_server):
    a = feed_source(feed_server, "jo-a", _decisions(481))
    # Decisions 485, 486 and 487 again (same titles, same days), and nine others.
    b = feed_source(feed_server, "jo-b", _decisions(481)[4:7] + _decisions(900, count=9))
    ingest_source(a)
    ingest_source(b)

    clusters = Cluster.objects.all()
    assert clusters.count() == 3
    for cluster in clusters:
        titles = set(Item.objects.filter(cluster=cluster).values_list("title", flat=True))
        assert len(titles) == 1  # one decision, published by both feeds
        assert cluster.item_count == 2


def test_identical_boilerplate_carries_no_weight(feed_server):
    boilerplate = (
        "Retrouvez l'ensemble des communiqués de presse du ministère de l'Intérieur et des "
        "outre-mer sur notre site, ainsi que les discours et les dossiers de presse."
    )
    title_a = "Le ministre annonce un plan pour l'hébergement des demandeurs d'asile à Calais"
    title_b = "Hébergement des demandeurs d'asile à Calais : le ministre détaille ses mesures"
    score = signatures.jaccard(
        set(signatures.title_tokens(title_a)), set(signatures.title_tokens(title_b))
    )
    assert signatures.TITLE_WEAK <= score < signatures.TITLE_STRONG  # only texts can confirm
    others = [
        (f"Communiqué sur le sujet {topic}", f"<p>{boilerplate}</p>", NOW - timedelta(hours=h))
        for h, topic in enumerate(
            ["sécurité routière", "élections", "police", "pompiers", "douanes", "sport",
             "tourisme", "outre-mer", "cybersécurité"],
            start=2,
        )
    ]  # fmt: skip
    a = feed_source(feed_server, "mi-a", [(title_a, f"<p>{boilerplate}</p>", NOW), *others])
    b = feed_source(feed_server, "mi-b", [(title_b, f"<p>{boilerplate}</p>", NOW), *others[:8]])
    ingest_source(a)
    ingest_source(b)
    assert not Cluster.objects.exists()

    # The same two titles with texts that really agree are one story (five days earlier,
    # away from the first two).
    text = (
        "Le ministre de l'Intérieur a présenté un plan de mise à l'abri de 500 demandeurs "
        "d'asile à Calais avant l'hiver, avec des places d'hébergement d'urgence."
    )
    earlier = NOW - timedelta(days=5)
    c = feed_source(feed_server, "news-c", [(title_a, f"<p>{text}</p>", earlier)])
    d = feed_source(feed_server, "news-d", [(title_b, f"<p>{text} Les associations.</p>", earlier)])
    ingest_source(c)
    ingest_source(d)
    cluster = Cluster.objects.get()
    assert set(Item.objects.filter(cluster=cluster).values_list("source__name", flat=True)) == {
        "news-c",
        "news-d",
    }


# Ten editions: the template is learnt as the source's common words. Three: too few to
# tell, the dates alone keep the editions apart.
@pytest.mark.parametrize("count", [10, 3])
def test_daily_editions_are_different_stories(feed_server, count):
    topics = ["Calais", "Lampedusa", "Mayotte", "Briançon", "Menton", "Ceuta", "Sfax"]

    def editions(outlet: str, first_day: int):
        # One edition every other day: each is within 72 hours of the other outlet's.
        entries = []
        for n in range(count):
            d = first_day + 2 * n
            when = (NOW - timedelta(days=d)).replace(hour=7, minute=0, second=0)
            summary = (
                f"Au sommaire ce matin : {topics[d % 7]}, {topics[(d + 2) % 7]} et les "
                f"réactions au rapport {outlet}."
            )
            entries.append((f"Revue de presse migrations et asile du {day(when)}", summary, when))
        return entries

    ingest_source(feed_source(feed_server, f"revue-a{count}", editions("A", 0)))
    ingest_source(feed_source(feed_server, f"revue-b{count}", editions("B", 1)))

    assert not Cluster.objects.exists()


def test_titles_differing_only_by_a_number_need_agreeing_texts_and_numbers():
    def sign(title, text=""):
        return signatures.Signature.of(
            signatures.title_tokens(title), signatures.text_tokens(text), frozenset()
        )

    brief = "Communiqué n° 481 du ministère de l'Intérieur sur les demandeurs d'asile"
    other = "Communiqué n° 482 du ministère de l'Intérieur sur les demandeurs d'asile"
    assert signatures.same_story(sign(brief), sign(other)) == 0
    # Texts that tell the same thing with the same figures: the same story after all.
    text = (
        "Le ministère annonce 120 places supplémentaires pour les demandeurs d'asile "
        "hébergés dans le Nord, ouvertes dès lundi."
    )
    assert signatures.same_story(sign(brief, text), sign(other, text)) > 0
    # The same texts with other figures, or with none: still two issues of a series.
    other_text = text.replace("120", "80")
    assert signatures.same_story(sign(brief, text), sign(other, other_text)) == 0
    no_figure = text.replace("120 ", "des ")
    assert signatures.same_story(sign(brief, no_figure), sign(other, no_figure)) == 0
    # Sharing only numbers and dates is no evidence at all.
    assert signatures.same_story(sign("Bulletin 12 mai 2026"), sign("Dépêche 12 mai 2026")) == 0


def test_the_72_hour_window(feed_server):
    a = feed_source(feed_server, "w-a", [(*STORY, NOW - timedelta(hours=72))])
    b = feed_source(feed_server, "w-b", [(*VARIANT, NOW - timedelta(hours=1))])  # 71 h later
    c = feed_source(feed_server, "w-c", [(*STORY, NOW - timedelta(hours=146))])  # 74 h before a
    for source in (a, b, c):
        ingest_source(source)

    cluster = Cluster.objects.get()
    assert set(Item.objects.filter(cluster=cluster).values_list("source__name", flat=True)) == {
        "w-a",
        "w-b",
    }
    assert Item.objects.get(source=c).cluster is None


def test_a_story_stops_growing_past_its_time_span(feed_server):
    # The same title every two days: each article is within 72 hours of the previous one.
    sources = [
        feed_source(
            feed_server, f"chain-{k}", [(*STORY, NOW - timedelta(days=12) + timedelta(days=2 * k))]
        )
        for k in range(7)
    ]
    for source in sources:
        ingest_source(source)

    clusters = list(Cluster.objects.order_by("first_published_at"))
    assert len(clusters) == 2
    for cluster in clusters:
        assert cluster.latest_published_at - cluster.first_published_at <= clustering.MAX_STORY_SPAN
    assert clusters[0].item_count == 4  # days 0, 2, 4, 6; day 8 would make it 8 days long


def test_a_story_stops_growing_past_its_size(feed_server, monkeypatch):
    monkeypatch.setattr(clustering, "MAX_STORY_ITEMS", 3)
    sources = [
        feed_source(feed_server, f"size-{k}", [(*STORY, NOW + timedelta(minutes=k))])
        for k in range(5)
    ]
    for source in sources:
        ingest_source(source)

    assert max(Cluster.objects.values_list("item_count", flat=True)) == 3
    assert Item.objects.filter(cluster__isnull=False).count() == 5  # 3 + a second story of 2
