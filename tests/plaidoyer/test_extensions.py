"""What plaidoyer contributes to the other apps: the navigation (hidden from field
officers, badge of one's own overdue follow-ups), calendar entries (planned actions count
against missed windows), briefing sections, "cited by" on articles and testimonies, the
header search (with references influence's markers accept), and the demo landscape."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.extensions import BriefingPeriod, registry
from influence.selectors.calendar import calendar_rows
from plaidoyer import briefing, services
from plaidoyer.models import (
    AdvocacyAction,
    Coalition,
    Interaction,
    JointStatement,
    Lesson,
    Organisation,
    Outcome,
    Stakeholder,
)
from tests.core.factories import country
from tests.influence.factories import event
from tests.temoignages.factories import usable_testimony
from tests.veille.factories import ItemFactory

from .factories import (
    ActionFactory,
    CoalitionFactory,
    FollowUpFactory,
    InteractionFactory,
    OutcomeFactory,
    StakeholderFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_field_officers_do_not_see_the_section_and_readers_get_their_overdue_follow_ups(
    client_for, field_calais, viewer
):
    FollowUpFactory(owner=viewer, due_on=TODAY() - datetime.timedelta(days=2))
    FollowUpFactory(owner=viewer, due_on=TODAY() + datetime.timedelta(days=2))

    field = client_for(field_calais).get(reverse("core:security")).content.decode()
    reader = client_for(viewer).get(reverse("core:security"))

    assert 'href="/plaidoyer/"' not in field
    entry = next(e for e in reader.context["nav"].items if e.url == "/plaidoyer/")
    assert entry.badge == 1


def test_calendar_shows_actions_follow_ups_coalition_meetings_and_statement_deadlines(viewer):
    soon = TODAY() + datetime.timedelta(days=5)
    action = ActionFactory(title="Lettre au ministre", due_on=soon, status="planned")
    ActionFactory(title="Idée lointaine", due_on=soon, status="idea")
    FollowUpFactory(description="Relancer la DGEF", due_on=soon)
    FollowUpFactory(
        description="Secret",
        due_on=soon,
        interaction=InteractionFactory(sensitivity="confidential"),
    )
    coalition = CoalitionFactory(name="Coalition mineurs")
    InteractionFactory(title="Réunion mensuelle", coalition=coalition, occurred_on=soon)
    StatementFactory(title="Tribune", coalition=coalition, deadline=soon, status="sign_off")

    events = registry.calendar_events(viewer, TODAY(), TODAY() + datetime.timedelta(days=10))

    titles = {e.title: e for e in events}
    assert titles["Lettre au ministre"].is_planned_action
    assert titles["Lettre au ministre"].url == action.get_absolute_url()
    assert "Idée lointaine" not in titles
    assert "Suite à donner : Relancer la DGEF" in titles
    assert "Suite à donner : Secret" not in titles
    assert "Coalition mineurs : Réunion mensuelle" in titles
    assert "Signatures attendues : Tribune" in titles


def test_a_planned_action_before_a_political_event_closes_its_missed_window(viewer):
    vote = event("Vote LIBE", days=30)
    before = calendar_rows(viewer, TODAY(), TODAY() + datetime.timedelta(days=40))
    ActionFactory(status="planned", due_on=TODAY() + datetime.timedelta(days=20))
    after = calendar_rows(viewer, TODAY(), TODAY() + datetime.timedelta(days=40))

    def missed(rows):
        return next(r for r in rows if r.event.title == vote.title).missed_window

    assert missed(before)
    assert not missed(after)


def _period(audience, user):
    today = TODAY()
    start = today.replace(day=1)
    return BriefingPeriod(
        start=start, end=today, audience=audience, language="fr", render_date=today, user=user
    )


def test_briefing_sections_leave_private_meetings_and_lessons_out_of_the_partners_edition(
    coordinator,
):
    ActionFactory(title="Note publiée", status="done", done_on=TODAY())
    ActionFactory(
        title="Rendez-vous discret", kind="private_meeting", status="done", done_on=TODAY()
    )
    ActionFactory(title="À venir", status="planned", due_on=TODAY() + datetime.timedelta(days=20))
    OutcomeFactory(title="Circulaire obtenue", occurred_on=TODAY())
    services.lesson_create(
        user=coordinator,
        data={"title": "Leçon interne", "what_worked": "x", "country": country("FR")},
    )
    statement = StatementFactory(title="Tribune publiée")
    services.statement_update(statement=statement, user=coordinator, data={"status": "published"})

    internal = briefing.ACTIONS.build(_period("internal", coordinator))
    partners = briefing.ACTIONS.build(_period("partners", coordinator))
    outcomes_internal = briefing.OUTCOMES.build(_period("internal", coordinator))
    outcomes_partners = briefing.OUTCOMES.build(_period("partners", None))
    coalitions = briefing.COALITIONS.build(_period("partners", coordinator))

    assert {a.title for a in internal.context["done"]} == {"Note publiée", "Rendez-vous discret"}
    assert [a.title for a in partners.context["done"]] == ["Note publiée"]
    assert [a.title for a in internal.context["coming"]] == ["À venir"]
    assert internal.context["chart"] is not None
    assert internal.figures[0][1] == 2
    assert [o.title for o in outcomes_internal.context["outcomes"]] == ["Circulaire obtenue"]
    assert [lesson.title for lesson in outcomes_internal.context["lessons"]] == ["Leçon interne"]
    assert outcomes_partners.context["lessons"] == []
    assert [s.title for s in coalitions.context["published"]] == ["Tribune publiée"]


def test_a_veille_article_and_a_testimony_show_the_actions_citing_them(client_for, coordinator):
    item = ItemFactory(title="Rapport sur la rétention")
    action = ActionFactory(title="Note sur la rétention", audience="internal")
    services.action_item_add(action=action, item=item, user=coordinator)
    testimony = usable_testimony()
    services.action_testimony_attach(action=action, testimony=testimony, user=coordinator)
    client = client_for(coordinator)

    item_page = client.get(reverse("veille:item_detail", args=[item.pk])).content.decode()
    testimony_page = client.get(
        reverse("temoignages:detail", args=[testimony.pk]) + "?tab=utilisations"
    ).content.decode()

    assert "Note sur la rétention" in item_page
    assert action.get_absolute_url() in item_page
    assert "Cité par" in testimony_page
    assert action.get_absolute_url() in testimony_page


def test_header_search_finds_people_with_their_flag_and_actions_with_a_marker_ref(viewer):
    StakeholderFactory(full_name="Préfète de région", can_restrict_operations=True)
    action = ActionFactory(title="Préfète : demande d'accès")

    results = registry.search(viewer, "prefete", limit=5) + registry.search(
        viewer, "Préfète", limit=5
    )

    people = [r for r in results if r.kind == "Interlocuteurs"]
    assert people
    assert "peut restreindre nos opérations" in people[0].snippet
    assert any(r.ref == f"plaidoyer.advocacyaction:{action.pk}" for r in results)


def test_the_demo_is_a_believable_landscape_with_every_status(client):
    call_command("seed_demo", quiet_logins=True, verbosity=0)

    names = set(Organisation.objects.values_list("acronym", flat=True)) | set(
        Organisation.objects.values_list("name", flat=True)
    )
    for expected in (
        "DG HOME",
        "DDD",
        "DCIM",
        "UNHCR",
        "OIM",
        "Préfecture du Pas-de-Calais",
        "Viminale",
    ):
        assert expected in names
    assert set(AdvocacyAction.objects.values_list("status", flat=True)) == set(
        AdvocacyAction.Status.values
    )
    coalition = Coalition.objects.get(name="Coalition nationale pour les mineurs non accompagnés")
    statement = coalition.statements.get(status=JointStatement.Status.SIGN_OFF)
    assert set(statement.signatures.values_list("status", flat=True)) == {
        "signed",
        "declined",
        "invited",
    }
    assert Stakeholder.objects.filter(can_restrict_operations=True).count() >= 4
    assert Interaction.objects.filter(sensitivity="confidential").exists()
    assert Outcome.objects.count() >= 3
    assert Lesson.objects.count() >= 3
    assert Stakeholder.objects.filter(last_contact_on__isnull=False).exists()


def test_the_load_seeder_adds_ten_people_a_hundred_exchanges_and_ten_actions_per_scale():
    from plaidoyer import demo

    call_command("seed_demo", quiet_logins=True, verbosity=0)
    before = (
        Stakeholder.objects.count(),
        Interaction.objects.count(),
        AdvocacyAction.objects.count(),
    )
    demo.seed(scale=3)
    demo.seed(scale=3)

    after = (
        Stakeholder.objects.count(),
        Interaction.objects.count(),
        AdvocacyAction.objects.count(),
    )
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (30, 300, 30)
    assert not Stakeholder.objects.filter(
        organisation__name__startswith=demo.LOAD_ORG, last_contact_on__isnull=True
    ).exists()
