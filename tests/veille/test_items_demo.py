"""Demo data: real sources left inactive, a living inbox, idempotent."""

import pytest

from veille import demo
from veille.models import Cluster, Item, Source


@pytest.mark.django_db
def test_demo_seed_is_realistic_and_idempotent():
    demo.seed(scale=1)
    sources = Source.objects.all()
    assert sources.count() >= 25
    assert not sources.filter(active=True).exists()
    assert all(s.feed_url.startswith("https://") for s in sources)
    items = Item.objects.count()
    assert 250 <= items <= 600
    assert set(Item.objects.values_list("language", flat=True)) >= {"fr", "en", "ar"}
    assert set(Item.objects.values_list("status", flat=True)) == {
        "new",
        "relevant",
        "discarded",
        "archived",
    }
    assert Cluster.objects.filter(source_count__gte=2).count() >= 20
    cluster = Cluster.objects.filter(item_count__gte=3).first()
    assert cluster.items.filter(is_cluster_lead=True).count() == 1
    assert Item.objects.filter(themes__isnull=False).exists()
    assert Item.objects.filter(countries__code="LY").exists()
    assert Item.objects.filter(search_vector__isnull=False).count() == items

    demo.seed(scale=1)
    assert Item.objects.count() == items
    assert Source.objects.count() == sources.count()
