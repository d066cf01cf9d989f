"""Collection objectives: what counts towards the progress, one query for any list,
coordinators only for the pages, the dashboard card."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.scoping import get_scope
from temoignages.extensions import objectives_card
from temoignages.models import CollectionObjective, Testimony
from temoignages.selectors import objectives_with_progress, progress_of
from temoignages.services.objectives import objective_create, objective_delete, objective_update
from tests.core.factories import country, site, theme
from tests.temoignages.factories import CollectionObjectiveFactory, TestimonyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY.replace(month=1, day=1)
END = TODAY.replace(month=12, day=31)


def _testimony(status, *, where="marseille", on=None, slug="mineurs-age"):
    return TestimonyFactory(
        status=status,
        site=site(where),
        collected_on=on or START + datetime.timedelta(days=1),
        themes=[theme(slug)],
    )


def _progress(objective):
    return progress_of(objectives_with_progress().get(pk=objective.pk))


@pytest.mark.smoke
def test_progress_counts_testimonies_sent_to_review_on_the_theme_site_and_period():
    objective = CollectionObjectiveFactory(
        site=site("marseille"), period_start=START, period_end=END, target_count=4
    )
    _testimony(Testimony.Status.SUBMITTED)
    _testimony(Testimony.Status.IN_REVIEW)
    _testimony(Testimony.Status.APPROVED, on=START)  # first day counts
    _testimony(Testimony.Status.APPROVED, on=END if END <= TODAY else TODAY)
    # none of these count
    _testimony(Testimony.Status.DRAFT)
    _testimony(Testimony.Status.REJECTED)
    _testimony(Testimony.Status.WITHDRAWN)
    _testimony(Testimony.Status.ARCHIVED)
    _testimony(Testimony.Status.APPROVED, slug="detention")
    _testimony(Testimony.Status.APPROVED, where="calais")
    _testimony(Testimony.Status.APPROVED, on=START - datetime.timedelta(days=1))

    progress = _progress(objective)
    assert (progress.collected, progress.approved, progress.target) == (4, 2, 4)
    assert progress.percent == 100
    assert progress.approved_percent == 50
    assert progress.pending_percent == 50
    assert progress.reached
    assert progress.remaining == 0


def test_a_testimony_with_several_themes_counts_once():
    objective = CollectionObjectiveFactory(
        site=site("marseille"), period_start=START, period_end=END
    )
    testimony = _testimony(Testimony.Status.SUBMITTED)
    testimony.themes.add(theme("detention"), theme("acces-soins"))
    assert _progress(objective).collected == 1


def test_a_country_objective_counts_every_site_of_the_country():
    objective = CollectionObjectiveFactory(
        site=None, country=country("FR"), period_start=START, period_end=END, target_count=10
    )
    _testimony(Testimony.Status.SUBMITTED, where="marseille")
    _testimony(Testimony.Status.APPROVED, where="calais")
    _testimony(Testimony.Status.APPROVED, where="idf")
    _testimony(Testimony.Status.APPROVED, where="tripoli")
    progress = _progress(objective)
    assert (progress.collected, progress.approved) == (3, 2)
    assert progress.percent == 30
    assert not progress.reached
    assert progress.remaining == 7


def test_progress_of_many_objectives_is_one_query():
    for where in ("marseille", "calais", "idf", "tripoli"):
        CollectionObjectiveFactory(site=site(where), period_start=START, period_end=END)
        _testimony(Testimony.Status.SUBMITTED, where=where)
    with CaptureQueriesContext(connection) as queries:
        rows = [progress_of(o).collected for o in objectives_with_progress()]
    assert len(queries.captured_queries) == 1
    assert rows == [1, 1, 1, 1]


# --- Services -----------------------------------------------------------------------------


def test_an_objective_needs_a_site_or_a_country_but_not_both(coordinator):
    kwargs = {
        "user": coordinator,
        "theme": theme("detention"),
        "period_start": START,
        "period_end": END,
        "target_count": 5,
        "reason": "Préparer le rapport annuel",
    }
    with pytest.raises(ValidationError) as both:
        objective_create(site=site("tripoli"), country=country("LY"), **kwargs)
    assert "country" in both.value.message_dict
    with pytest.raises(ValidationError) as neither:
        objective_create(**kwargs)
    assert "site" in neither.value.message_dict
    objective = objective_create(country=country("LY"), **kwargs)
    assert AuditEvent.objects.filter(action="create", object_id=str(objective.pk)).exists()


def test_objective_changes_are_for_coordinators(field_marseille, coordinator):
    objective = CollectionObjectiveFactory()
    with pytest.raises(PermissionDenied):
        objective_update(objective=objective, user=field_marseille, target_count=99)
    with pytest.raises(PermissionDenied):
        objective_delete(objective=objective, user=field_marseille)
    objective_update(objective=objective, user=coordinator, target_count=99)
    objective.refresh_from_db()
    assert objective.target_count == 99


# --- Pages --------------------------------------------------------------------------------


def _post_data(**overrides):
    data = {
        "theme": theme("mineurs-age").pk,
        "site": site("marseille").pk,
        "country": "",
        "period_start": START.isoformat(),
        "period_end": END.isoformat(),
        "target_count": "12",
        "reason": "Documenter les recours avant l'audience au Conseil d'État.",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_an_objective(client_for, coordinator):
    response = client_for(coordinator).post(reverse("temoignages:objective_create"), _post_data())
    assert response["Location"] == reverse("temoignages:objectives")
    objective = CollectionObjective.objects.get()
    assert objective.target_count == 12
    assert objective.created_by == coordinator


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"country": "FR"}, "pas les deux"),
        ({"site": ""}, "Choisissez le site ou le pays"),
        ({"period_end": (START - datetime.timedelta(days=1)).isoformat()}, "avant son début"),
        ({"target_count": "0"}, "supérieure ou égale à 1"),
        ({"reason": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_objectives_are_refused_with_what_was_typed(
    client_for, coordinator, overrides, message
):
    data = _post_data(**overrides)
    if overrides.get("country"):
        data["country"] = country("FR").pk
    response = client_for(coordinator).post(reverse("temoignages:objective_create"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="12"' in content or overrides.get("target_count")
    assert not CollectionObjective.objects.exists()


def test_editing_and_deleting_an_objective(client_for, coordinator):
    objective = CollectionObjectiveFactory()
    client = client_for(coordinator)
    url = reverse("temoignages:objective_edit", args=[objective.pk])
    client.post(url, _post_data(target_count="30"))
    objective.refresh_from_db()
    assert objective.target_count == 30

    delete_url = reverse("temoignages:objective_delete", args=[objective.pk])
    page = client.get(delete_url).content.decode()
    assert "Les témoignages ne sont pas touchés" in page
    assert CollectionObjective.objects.filter(pk=objective.pk).exists()
    client.post(delete_url)
    assert not CollectionObjective.objects.filter(pk=objective.pk).exists()


def test_list_shows_progress_bars_with_classes_not_styles(client_for, coordinator):
    objective = CollectionObjectiveFactory(
        site=site("marseille"), period_start=START, period_end=END, target_count=4
    )
    _testimony(Testimony.Status.APPROVED)
    _testimony(Testimony.Status.SUBMITTED)
    content = client_for(coordinator).get(reverse("temoignages:objectives")).content.decode()
    assert "2 / 4 recueillis" in content
    assert "1 approuvé" in content
    assert "1 approuvés" not in content
    assert "w-pct-25" in content
    assert "style=" not in content
    assert objective.reason in content


def test_list_filters_by_period_site_and_sorts_by_progress(client_for, coordinator):
    done = CollectionObjectiveFactory(
        site=site("marseille"), period_start=START, period_end=END, target_count=1
    )
    _testimony(Testimony.Status.SUBMITTED)
    behind = CollectionObjectiveFactory(
        site=site("calais"), period_start=START, period_end=END, target_count=50
    )
    past = CollectionObjectiveFactory(
        site=site("idf"),
        period_start=START - datetime.timedelta(days=400),
        period_end=START - datetime.timedelta(days=40),
        reason="Objectif de l'an dernier",
    )
    client = client_for(coordinator)
    url = reverse("temoignages:objectives")
    content = client.get(url, {"sort": "progress"}).content.decode()
    assert content.index(reverse("temoignages:objective_edit", args=[behind.pk])) < content.index(
        reverse("temoignages:objective_edit", args=[done.pk])
    )
    assert "Objectif de l&#x27;an dernier" not in content
    content = client.get(url, {"period": "past"}).content.decode()
    assert reverse("temoignages:objective_edit", args=[past.pk]) in content
    content = client.get(url, {"site": "calais"}).content.decode()
    assert reverse("temoignages:objective_edit", args=[behind.pk]) in content
    assert reverse("temoignages:objective_edit", args=[done.pk]) not in content


def test_list_and_by_site_run_a_constant_number_of_queries(
    client_for, coordinator, django_assert_num_queries
):
    client = client_for(coordinator)
    CollectionObjectiveFactory(period_start=START, period_end=END)
    client.get(reverse("temoignages:objectives"))
    counts = {}
    for name in ("temoignages:objectives", "temoignages:objectives_by_site"):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse(name))
        counts[name] = len(queries.captured_queries)
    for where in ("calais", "idf", "tripoli", "zuwara"):
        CollectionObjectiveFactory(site=site(where), period_start=START, period_end=END)
        CollectionObjectiveFactory(
            site=None, country=site(where).country, period_start=START, period_end=END
        )
        _testimony(Testimony.Status.APPROVED, where=where)
    for name, count in counts.items():
        with django_assert_num_queries(count):
            response = client.get(reverse(name))
        assert "Zuwara" in response.content.decode()


def test_by_site_groups_site_objectives_then_country_ones(client_for, coordinator):
    CollectionObjectiveFactory(site=site("calais"), period_start=START, period_end=END)
    CollectionObjectiveFactory(site=None, country=country("LY"), period_start=START, period_end=END)
    content = client_for(coordinator).get(reverse("temoignages:objectives_by_site")).content
    content = content.decode()
    assert content.index("Calais") < content.index("tous les sites du pays")


def test_empty_list_offers_the_first_objective(client_for, coordinator):
    content = client_for(coordinator).get(reverse("temoignages:objectives")).content.decode()
    assert "Aucun objectif de collecte pour cette période." in content
    assert reverse("temoignages:objective_create") in content


OBJECTIVE_URLS = [
    ("temoignages:objectives", False),
    ("temoignages:objectives_by_site", False),
    ("temoignages:objective_create", False),
    ("temoignages:objective_edit", True),
    ("temoignages:objective_delete", True),
]


@pytest.mark.parametrize(("name", "needs_pk"), OBJECTIVE_URLS)
@pytest.mark.parametrize(
    "role_fixture", ["field_marseille", "advocacy_fr", "communication", "viewer", "coordinator"]
)
def test_objective_pages_are_for_coordinators_only(
    request, client_for, role_fixture, name, needs_pk
):
    objective = CollectionObjectiveFactory()
    user = request.getfixturevalue(role_fixture)
    url = reverse(name, args=[objective.pk] if needs_pk else [])
    client = client_for(user)
    assert client.get(url).status_code == (200 if role_fixture == "coordinator" else 403)
    if role_fixture != "coordinator":
        assert client.post(url, _post_data()).status_code == 403
    assert CollectionObjective.objects.filter(pk=objective.pk).exists()


# --- Dashboard card -----------------------------------------------------------------------


def cards(request):
    """The collection-objectives card, as the dashboard builds it for this user."""
    scope = get_scope(request.user)
    if not scope.has_role("coordinator", "advocacy_officer"):
        return []
    return [objectives_card(request.user, scope)]


def test_dashboard_card_for_coordinators_shows_every_running_objective(rf, coordinator):
    CollectionObjectiveFactory(site=site("tripoli"), period_start=START, period_end=END)
    CollectionObjectiveFactory(site=site("marseille"), period_start=START, period_end=END)
    request = rf.get("/")
    request.user = coordinator
    (card,) = cards(request)
    assert len(card.context["rows"]) == 2
    assert card.link_url == reverse("temoignages:objectives")


def test_dashboard_card_for_advocacy_shows_their_country_only(rf, advocacy_fr):
    CollectionObjectiveFactory(site=site("tripoli"), period_start=START, period_end=END)
    mine = CollectionObjectiveFactory(site=site("calais"), period_start=START, period_end=END)
    national = CollectionObjectiveFactory(
        site=None, country=country("FR"), period_start=START, period_end=END
    )
    request = rf.get("/")
    request.user = advocacy_fr
    (card,) = cards(request)
    assert {o.pk for o, _ in card.context["rows"]} == {mine.pk, national.pk}
    assert card.link_url == ""


@pytest.mark.parametrize("role_fixture", ["field_calais", "communication", "viewer"])
def test_no_card_for_other_roles(rf, request, role_fixture):
    http_request = rf.get("/")
    http_request.user = request.getfixturevalue(role_fixture)
    assert cards(http_request) == []


def test_dashboard_card_costs_the_same_queries_whatever_the_data(rf, coordinator):
    request = rf.get("/")
    request.user = coordinator
    cards(request)  # scope cached on the user
    with CaptureQueriesContext(connection) as few:
        cards(request)
    for where in ("calais", "idf", "tripoli", "zuwara", "marseille"):
        CollectionObjectiveFactory(site=site(where), period_start=START, period_end=END)
        _testimony(Testimony.Status.APPROVED, where=where)
    with CaptureQueriesContext(connection) as many:
        (card,) = cards(request)
    # The running objectives, then (when there are any) their progress in one grouped query.
    assert len(few.captured_queries) == 1
    assert len(many.captured_queries) == 2
    assert len(card.context["rows"]) == 5


def test_the_grouped_progress_counts_like_the_annotated_one(coordinator):
    from temoignages.selectors import objectives_with_progress, with_progress

    for where in ("calais", "idf", "tripoli", "marseille"):
        CollectionObjectiveFactory(site=site(where), period_start=START, period_end=END)
        for status in (Testimony.Status.APPROVED, Testimony.Status.SUBMITTED, "draft"):
            _testimony(status, where=where)
    CollectionObjectiveFactory(site=None, country=country("FR"), period_start=START, period_end=END)
    annotated = {o.pk: (o.collected, o.approved) for o in objectives_with_progress().order_by("pk")}
    grouped = {
        o.pk: (o.collected, o.approved)
        for o in with_progress(CollectionObjective.objects.order_by("pk"))
    }
    assert grouped == annotated
    assert any(collected for collected, _ in grouped.values())


def test_dashboard_card_renders(client_for, coordinator, settings):
    from django.template.loader import render_to_string

    CollectionObjectiveFactory(site=site("calais"), period_start=START, period_end=END)
    request = type("R", (), {"user": coordinator})()
    (card,) = cards(request)
    html = render_to_string(card.template, {"card": card})
    assert "Calais" in html
    assert "0 / 10 recueillis" in html
