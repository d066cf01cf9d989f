"""The app's list pages — testimonies, collection forms, collection objectives — filter and
sort through a FilterSet built by their selector: English query parameters, one `sort`
parameter, the shared sortable-header include, and a number of queries that does not
grow with the data, whatever the filter and the sort."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from temoignages.models import Consent, Testimony
from tests.core.factories import site, theme
from tests.temoignages.factories import (
    CollectionObjectiveFactory,
    ConsentFactory,
    TestimonyFactory,
    usable_testimony,
)
from tests.temoignages.helpers import published_form

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
LISTS = {
    "temoignages:list": [
        {},
        {"sort": "-reference", "status": ["submitted", "approved"]},
        {"sort": "site", "consent": "expiring", "usable_for": "internal"},
    ],
    "temoignages:forms_list": [{}, {"state": "all", "sort": "-uses"}, {"sort": "updated"}],
    "temoignages:objectives": [
        {},
        {"period": "all", "sort": "place"},
        {"sort": "-progress", "theme": "detention"},
    ],
}


def _more_data(size: int) -> None:
    for n in range(size):
        where = ("calais", "marseille", "tripoli", "idf")[n % 4]
        usable_testimony(site=site(where), themes=[theme("detention")])
        TestimonyFactory(status="submitted", site=site(where), themes=[theme("torture")])
        ConsentFactory()
        _form, version = published_form(sites=[site(where)], name=f"Formulaire {size}-{n}")
        TestimonyFactory.create_batch(2, form_version=version, status="submitted")
        start = TODAY() - datetime.timedelta(days=30)
        CollectionObjectiveFactory(
            site=site(where),
            theme=theme("detention"),
            period_start=start,
            period_end=TODAY() + datetime.timedelta(days=30),
        )
        CollectionObjectiveFactory(
            site=None,
            country=site(where).country,
            period_start=start,
            period_end=TODAY() + datetime.timedelta(days=60),
        )


def _count(client, name: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_each_list_runs_the_same_queries_at_two_data_sizes(
    client_for, coordinator, django_assert_num_queries
):
    client = client_for(coordinator)
    for name in LISTS:
        client.get(reverse(name))  # warm up (session, content types, scope)
    _more_data(2)
    small = {
        (name, i): _count(client, name, params)
        for name, variants in LISTS.items()
        for i, params in enumerate(variants)
    }
    _more_data(12)
    for (name, i), count in small.items():
        with django_assert_num_queries(count):
            response = client.get(reverse(name), LISTS[name][i])
        assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(LISTS))
def test_headers_sort_with_the_shared_include_and_english_parameters(client_for, coordinator, name):
    usable_testimony()
    published_form(name="Alpha")
    CollectionObjectiveFactory(
        period_start=TODAY() - datetime.timedelta(days=1),
        period_end=TODAY() + datetime.timedelta(days=1),
    )
    content = client_for(coordinator).get(reverse(name)).content.decode()
    links = re.findall(r'href="\?([^"]*)"', content)
    assert any(link.startswith("sort=") for link in links)
    pairs = [part for link in links for part in link.replace("&amp;", "&").split("&") if part]
    keys = {part.split("=")[0] for part in pairs}
    assert keys <= {"sort", "state", "status", "page", "tab", "period"}, keys
    assert "tri=" not in content
    assert "etat=" not in content


def test_testimony_list_sorts_by_site_then_newest_first(client_for, coordinator):
    calais = TestimonyFactory(status="submitted", site=site("calais"))
    marseille = TestimonyFactory(status="submitted", site=site("marseille"))
    client = client_for(coordinator)

    def order(**params):
        content = client.get(reverse("temoignages:list"), params).content.decode()
        return re.findall(r"TEM-1999-\d{4}(?=</a>)", content)

    assert order(sort="site") == [calais.reference, marseille.reference]
    assert order(sort="-site") == [marseille.reference, calais.reference]
    Testimony.objects.filter(pk=calais.pk).update(collected_on=TODAY())
    assert order() == [calais.reference, marseille.reference]
    assert order(sort="not-a-key") == order()


def test_status_and_sensitivity_tones_are_declared_for_every_value():
    assert set(Testimony.STATUS_TONES) == set(Testimony.Status.values)
    assert set(Testimony.SENSITIVITY_TONES) == set(Testimony.Sensitivity.values)
    assert set(Consent.EXPIRY_TONES) == set(Consent.Expiry.values)


def test_badges_come_from_the_model_tones(client_for, coordinator):
    withdrawn = usable_testimony(status="withdrawn", sensitivity="strict")
    content = client_for(coordinator).get(reverse("temoignages:detail", args=[withdrawn.pk]))
    html = content.content.decode()
    assert '<span class="badge text-bg-danger">Retiré</span>' in html
    assert '<span class="badge badge-sensitive">Strictement confidentiel</span>' in html


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        label.strip()
        for value, label in re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)', select)
    ]


def test_a_field_officer_filters_by_the_sites_they_can_see_only(client_for, field_marseille):
    html = client_for(field_marseille).get(reverse("temoignages:list")).content.decode()

    assert _options(html, "site") == ["Marseille"]


def test_an_advocacy_officer_filters_by_the_sites_of_their_country(client_for, advocacy_fr):
    html = client_for(advocacy_fr).get(reverse("temoignages:list")).content.decode()

    assert sorted(_options(html, "site")) == ["Calais", "Marseille", "Île-de-France"]


def test_objective_place_filters_offer_what_the_user_can_see(field_calais):
    from temoignages.selectors import objectives_filterset

    form = objectives_filterset(user=field_calais, data=None).form

    assert [s.code for s in form.fields["site"].queryset] == ["calais"]
    assert [c.code for c in form.fields["country"].queryset] == ["FR"]


def test_a_site_out_of_reach_in_the_address_shows_nothing_of_it(client_for, field_marseille):
    CollectionObjectiveFactory(site=site("calais"))
    calais = TestimonyFactory(site=site("calais"), status=Testimony.Status.SUBMITTED)

    response = client_for(field_marseille).get(
        reverse("temoignages:list"), {"site": site("calais").pk}
    )

    assert response.status_code == 200
    assert calais.reference not in response.content.decode()
