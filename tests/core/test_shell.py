import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("influence:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.smoke
def test_coordinator_sees_the_dashboard_with_every_section(client_for, coordinator):
    response = client_for(coordinator).get(reverse("influence:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    for label in ("Tableau de bord", "Stratégies", "Veille", "Plaidoyer", "Témoignages"):
        assert f">\n                  {label}" in html or label in html
    assert 'lang="fr"' in html


def test_dashboard_is_in_english_when_the_user_picks_english(client_for, coordinator):
    client = client_for(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("influence:dashboard"))

    assert 'lang="en"' in response.content.decode()
    assert "Dashboard" in response.content.decode()


def test_home_sends_field_officers_to_testimonies(client_for, field_calais):
    response = client_for(field_calais).get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("temoignages:home")


def test_field_officer_cannot_open_coordinator_pages_or_the_admin(client_for, field_calais):
    client = client_for(field_calais)

    # The dashboard shows field officers the cards of their sites; strategies are not theirs.
    assert client.get(reverse("influence:dashboard")).status_code == 200
    assert client.get(reverse("influence:strategies")).status_code == 403
    assert client.get(reverse("core:team")).status_code == 403
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302
    assert "login" in admin["Location"]


def test_field_officer_navigation_shows_only_testimonies(client_for, field_calais):
    html = client_for(field_calais).get(reverse("core:security")).content.decode()

    assert 'href="/temoignages/"' in html
    assert 'href="/veille/"' not in html
    assert 'href="/admin/"' not in html


def test_pages_send_a_content_security_policy_with_a_nonce(client_for, coordinator):
    response = client_for(coordinator).get(reverse("influence:dashboard"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_unknown_page_is_a_404_in_the_house_style(client_for, coordinator):
    response = client_for(coordinator).get("/nulle-part/")

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.smoke
def test_health_check_answers_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_team_page_runs_a_constant_number_of_queries(
    client_for, coordinator, django_assert_max_num_queries
):
    from tests.core.factories import user_with_role

    client = client_for(coordinator)
    client.get(reverse("core:team"))  # warm the session
    for i in range(3):
        user_with_role("field_comms", site_codes=["calais", "idf"], username=f"f{i}")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("core:team"))
    for i in range(3, 30):
        user_with_role("field_comms", site_codes=["calais", "idf"], username=f"f{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("core:team"))
    assert response.status_code == 200
