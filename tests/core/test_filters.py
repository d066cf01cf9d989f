import pytest
from django.db.models import F
from django.http import QueryDict

from core.filters import ListFilterSet, SortFilter, current_sort
from core.models import Site


class SiteFilter(ListFilterSet):
    sort = SortFilter(fields={"name": "name_fr", "country": "country__name_fr"}, default="name")

    class Meta:
        model = Site
        fields = []


@pytest.mark.django_db
def test_sort_parameter_default_direction_and_tiebreak():
    default = SiteFilter(QueryDict(""), queryset=Site.objects.all())
    by_country = SiteFilter(QueryDict("sort=-country"), queryset=Site.objects.all())
    invalid = SiteFilter(QueryDict("sort=password"), queryset=Site.objects.all())

    assert default.qs.query.order_by == ("name_fr", "pk")
    assert by_country.qs.query.order_by == ("-country__name_fr", "pk")
    assert current_sort(default) == "name"
    assert current_sort(by_country) == "-country"
    assert current_sort(invalid) == "name"
    names = [s.name_fr for s in default.qs]
    assert names == sorted(names)
    # An unknown sort key is ignored, not an empty list.
    assert list(invalid.qs) != []
    assert invalid.qs.query.order_by == ("name_fr", "pk")


class SiteByPlaceFilter(ListFilterSet):
    sort = SortFilter(
        fields={
            "place": (F("country__name_fr").asc(nulls_last=True), "name_fr"),
            "name": "name_fr",
        },
        default="place",
    )

    class Meta:
        model = Site
        fields = []


@pytest.mark.django_db
def test_a_sort_key_may_order_on_several_terms_and_reverse_them_all():
    ascending = SiteByPlaceFilter(QueryDict("sort=place"), queryset=Site.objects.all()).qs
    descending = SiteByPlaceFilter(QueryDict("sort=-place"), queryset=Site.objects.all()).qs
    rows = [(s.country.name_fr, s.name_fr) for s in ascending.select_related("country")]
    assert rows == sorted(rows)
    assert [s.pk for s in descending] != [s.pk for s in ascending]
    reversed_rows = [(s.country.name_fr, s.name_fr) for s in descending.select_related("country")]
    assert reversed_rows == sorted(rows, reverse=True)
    assert "DESC NULLS FIRST" in str(descending.query)
