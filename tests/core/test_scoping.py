import pytest
from django.http import Http404
from django.test import RequestFactory

from core.models import AuditEvent, Membership, Role, Site
from core.scoping import get_scoped_object_or_404, scope_queryset
from tests.core.factories import UserFactory, site

pytestmark = pytest.mark.django_db


def _visible_sites(user):
    qs = scope_queryset(
        Site.objects.all(),
        user,
        roles=[Role.COORDINATOR, Role.FIELD_COMMS, Role.ADVOCACY_OFFICER],
        site_field="pk",
    )
    # Sites are their own site: use the site's country for country memberships.
    return set(qs.values_list("code", flat=True))


def test_coordinator_sees_every_site(coordinator):
    assert _visible_sites(coordinator) == set(Site.objects.values_list("code", flat=True))


def test_field_officer_sees_only_their_sites(field_calais):
    assert _visible_sites(field_calais) == {"calais"}


def test_country_membership_sees_rows_of_its_country_and_of_its_sites(advocacy_ly):
    from core.models import Country

    by_country = scope_queryset(
        Country.objects.all(), advocacy_ly, roles=[Role.ADVOCACY_OFFICER], country_field="pk"
    )
    assert set(by_country.values_list("code", flat=True)) == {"LY"}
    # A model with a site FK: memberships on Libya see the Libyan sites' rows.
    members = scope_queryset(
        Membership.objects.all(), advocacy_ly, roles=[Role.ADVOCACY_OFFICER], site_field="site"
    )
    assert list(members) == []


def test_user_without_membership_sees_nothing():
    nobody = UserFactory()
    assert _visible_sites(nobody) == set()


def test_roles_not_listed_grant_nothing(communication):
    visible = scope_queryset(
        Site.objects.all(), communication, roles=[Role.FIELD_COMMS], site_field="pk"
    )
    assert not visible.exists()


def test_out_of_scope_object_is_a_404_and_the_attempt_is_audited(field_calais):
    request = RequestFactory().get("/temoignages/42/")
    request.user = field_calais
    scoped = scope_queryset(
        Site.objects.all(), field_calais, roles=[Role.FIELD_COMMS], site_field="pk"
    )

    assert get_scoped_object_or_404(request, scoped, pk=site("calais").pk).code == "calais"
    with pytest.raises(Http404):
        get_scoped_object_or_404(request, scoped, pk=site("marseille").pk)

    event = AuditEvent.objects.get(action="permission_denied")
    assert event.object_type == "core.site"
    assert event.detail["reason"] == "out_of_scope"


def test_membership_rules_are_enforced_by_the_database(coordinator):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=coordinator, role=Role.FIELD_COMMS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=coordinator, role=Role.COORDINATOR)


def test_the_sites_and_countries_in_reach_of_each_membership(
    coordinator, field_calais, advocacy_ly, communication
):
    from core.scoping import countries_in_scope, sites_in_scope

    roles = [Role.COORDINATOR, Role.ADVOCACY_OFFICER, Role.FIELD_COMMS]

    def codes(queryset):
        return sorted(queryset.values_list("code", flat=True))

    assert codes(sites_in_scope(coordinator, roles=roles)) == codes(Site.objects.all())
    assert codes(sites_in_scope(field_calais, roles=roles)) == ["calais"]
    assert codes(countries_in_scope(field_calais, roles=roles)) == ["FR"]
    libya = Site.objects.filter(country__code="LY")
    assert codes(sites_in_scope(advocacy_ly, roles=roles)) == codes(libya)
    assert codes(countries_in_scope(advocacy_ly, roles=roles)) == ["LY"]
    assert codes(sites_in_scope(communication, roles=roles)) == []
