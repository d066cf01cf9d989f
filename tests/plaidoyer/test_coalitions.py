"""Coalitions: members, representative, mandate, meetings; joint statements with a
deadline and a sign-off per member."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plaidoyer import services
from plaidoyer.models import Coalition, StatementSignature

from .factories import CoalitionFactory, InteractionFactory, OrganisationFactory, StatementFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_an_officer_creates_a_coalition_with_its_members_and_mandate(client_for, advocacy_fr):
    ngo = OrganisationFactory(name="Médecins du Monde", kind="ngo")
    other = OrganisationFactory(name="Secours catholique", kind="ngo")

    client_for(advocacy_fr).post(
        reverse("plaidoyer:coalition_create"),
        {
            "name": "Coalition nationale mineurs non accompagnés",
            "kind": "collective",
            "level": "national",
            "country": ngo.country_id,
            "members": [ngo.pk, other.pk],
            "representative": advocacy_fr.pk,
            "mandate": "Peut signer les communiqués sur la présomption de minorité.",
        },
    )

    coalition = Coalition.objects.get()
    assert set(coalition.members.all()) == {ngo, other}
    assert coalition.representative == advocacy_fr


def test_a_statement_invites_every_member_and_records_each_answer(client_for, advocacy_fr):
    members = [OrganisationFactory(), OrganisationFactory(), OrganisationFactory()]
    coalition = CoalitionFactory(members=members)
    client = client_for(advocacy_fr)

    client.post(
        reverse("plaidoyer:statement_create", args=[coalition.pk]),
        {
            "title": "Tribune",
            "deadline": (TODAY() + datetime.timedelta(days=5)).isoformat(),
            "status": "sign_off",
        },
    )
    statement = coalition.statements.get()
    signatures = {s.organisation_id: s for s in statement.signatures.all()}
    assert set(signatures) == {m.pk for m in members}
    client.post(
        reverse("plaidoyer:signature_update", args=[statement.pk, signatures[members[0].pk].pk]),
        {"status": "signed"},
    )
    client.post(
        reverse("plaidoyer:signature_update", args=[statement.pk, signatures[members[1].pk].pk]),
        {"status": "declined"},
    )

    page = client.get(statement.get_absolute_url())
    assert page.context["counts"] == {"invited": 1, "signed": 1, "declined": 1}
    signed = StatementSignature.objects.get(organisation=members[0])
    assert signed.responded_on == TODAY()


def test_a_member_joining_later_is_invited_to_open_statements(advocacy_fr):
    first = OrganisationFactory()
    coalition = CoalitionFactory(members=[first])
    statement = services.statement_create(
        coalition=coalition,
        user=advocacy_fr,
        data={"title": "Lettre", "deadline": TODAY(), "status": "sign_off"},
    )
    newcomer = OrganisationFactory()

    services.coalition_update(
        coalition=coalition, user=advocacy_fr, data={"members": [first, newcomer]}
    )

    assert statement.signatures.filter(organisation=newcomer, status="invited").exists()


def test_a_statement_past_its_deadline_says_who_has_not_answered(client_for, viewer):
    statement = StatementFactory(
        coalition=CoalitionFactory(members=[OrganisationFactory()]),
        deadline=TODAY() - datetime.timedelta(days=1),
        status="sign_off",
    )
    StatementSignature.objects.create(
        statement=statement, organisation=statement.coalition.members.get()
    )

    html = client_for(viewer).get(statement.get_absolute_url()).content.decode()

    assert "L'échéance est passée : 1 membre n'a pas répondu." in html


def test_coalition_meetings_are_its_interactions(client_for, viewer):
    coalition = CoalitionFactory()
    meeting = InteractionFactory(title="Réunion mensuelle", coalition=coalition)

    response = client_for(viewer).get(coalition.get_absolute_url())

    assert list(response.context["page_obj"]) == [meeting]


def test_the_coalition_list_keeps_a_constant_number_of_queries(
    client_for, viewer, django_assert_max_num_queries
):
    client = client_for(viewer)
    CoalitionFactory(members=[OrganisationFactory()])
    url = reverse("plaidoyer:coalitions")
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    for _ in range(8):
        CoalitionFactory(members=[OrganisationFactory(), OrganisationFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_publishing_a_statement_dates_it(advocacy_fr):
    statement = StatementFactory()
    services.statement_update(statement=statement, user=advocacy_fr, data={"status": "published"})
    assert statement.published_on == TODAY()
