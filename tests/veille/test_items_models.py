import pytest

from tests.veille.factories import (
    AlertFactory,
    AnalysisNoteFactory,
    AnnotationFactory,
    ClusterFactory,
    ItemFactory,
    NoteVersionFactory,
    OpmlImportFactory,
)
from veille.models import Item


@pytest.mark.django_db
def test_every_factory_builds_a_valid_row():
    item = ItemFactory()
    AnnotationFactory(item=item)
    AlertFactory(item=item)
    note = AnalysisNoteFactory(cited_items=[item])
    NoteVersionFactory(note=note)
    OpmlImportFactory()
    cluster = ClusterFactory(representative=item)
    item.cluster = cluster
    item.full_clean()
    item.save()
    assert Item.objects.get().cluster == cluster
    assert list(note.cited_items.all()) == [item]
