"""The permission matrix of every plaidoyer URL for every role, on a French world.

Coordinators manage everything; advocacy officers manage their country (France here)
and read the rest; communication and viewers read what is not confidential; field
officers see nothing (403). A confidential exchange is a 404 for everyone but
coordinators and its author (its existence is not revealed).
"""

import pytest
from django.urls import reverse

from core.files import private_write
from plaidoyer import urls
from plaidoyer.models import ActionItem, ActionTestimony, Deliverable, StatementSignature
from tests.temoignages.factories import usable_testimony
from tests.veille.factories import ItemFactory

from .factories import (
    ActionFactory,
    BudgetLineFactory,
    CoalitionFactory,
    FollowUpFactory,
    InteractionFactory,
    LessonFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    StakeholderFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "advocacy_fr", "advocacy_ly", "communication", "viewer", "field_calais"]

READ = [200, 200, 200, 200, 200, 403]
WRITE = [200, 200, 200, 403, 403, 403]
EDIT = [200, 200, 403, 403, 403, 403]
EDIT_POST = [302, 302, 403, 403, 403, 403]
COORDINATOR_ONLY = [200, 403, 403, 403, 403, 403]

# url name → expected status per role, in ROLES order
MATRIX = {
    "index": READ,
    "actions": READ,
    "action_detail": READ,
    "action_create": WRITE,
    "action_edit": EDIT,
    "action_delete": EDIT,
    "action_status": EDIT_POST,
    "action_items": EDIT,
    "action_item_remove": EDIT_POST,
    "action_testimonies": EDIT,
    "action_testimony_remove": EDIT_POST,
    "deliverable_upload": EDIT_POST,
    "deliverable_download": READ,
    "deliverable_delete": EDIT_POST,
    "organisations": READ,
    "organisation_detail": READ,
    "organisation_create": WRITE,
    "organisation_edit": EDIT,
    "organisation_delete": EDIT,
    "organisation_archive": EDIT_POST,
    "stakeholders": READ,
    "stakeholder_detail": READ,
    "stakeholder_create": WRITE,
    "stakeholder_edit": EDIT,
    "stakeholder_merge": EDIT,
    "stakeholder_personal_data": EDIT,
    "stakeholder_erase": COORDINATOR_ONLY,
    "stakeholder_import": WRITE,
    "stakeholder_import_confirm": [404, 404, 404, 403, 403, 403],
    "position_create": EDIT,
    "position_delete": EDIT_POST,
    "grid": READ,
    "interactions": READ,
    "interaction_detail": READ,
    "interaction_create": WRITE,
    "interaction_edit": EDIT,
    "interaction_delete": EDIT,
    "follow_up_create": [400, 400, 403, 403, 403, 403],
    "follow_ups": READ,
    "follow_up_mark": EDIT_POST,
    "follow_up_delete": EDIT_POST,
    "coalitions": READ,
    "coalition_detail": READ,
    "coalition_create": WRITE,
    "coalition_edit": EDIT,
    "statement_create": EDIT,
    "statement_detail": READ,
    "statement_edit": EDIT,
    "signature_update": EDIT_POST,
    "outcomes": READ,
    "outcome_detail": READ,
    "outcome_create": WRITE,
    "outcome_edit": EDIT,
    "lessons": READ,
    "lesson_detail": READ,
    "lesson_create": WRITE,
    "lesson_edit": EDIT,
    "budget": READ,
    "budget_export": READ,
    "budget_line_detail": READ,
    "budget_line_create": COORDINATOR_ONLY,
    "budget_line_edit": COORDINATOR_ONLY,
}

POSTS = {
    "action_status",
    "action_item_remove",
    "action_testimony_remove",
    "deliverable_upload",
    "deliverable_delete",
    "organisation_archive",
    "stakeholder_import_confirm",
    "position_delete",
    "follow_up_create",
    "follow_up_mark",
    "follow_up_delete",
    "signature_update",
}


@pytest.fixture
def world(advocacy_fr, coordinator):
    organisation = OrganisationFactory()
    person = StakeholderFactory(organisation=organisation)
    interaction = InteractionFactory(stakeholders=[person], author=advocacy_fr)
    secret = InteractionFactory(
        stakeholders=[person], author=coordinator, sensitivity="confidential"
    )
    follow_up = FollowUpFactory(interaction=interaction, owner=advocacy_fr)
    position = PositionFactory(stakeholder=person)
    action = ActionFactory()
    evidence = ActionItem.objects.create(action=action, item=ItemFactory())
    attached = ActionTestimony.objects.create(
        action=action, testimony=usable_testimony(), audience="public"
    )
    name = private_write("plaidoyer/deliverables/test.pdf", b"%PDF-1.7")
    deliverable = Deliverable.objects.create(
        action=action,
        title="Note",
        file_name=name,
        original_name="note.pdf",
        content_type="application/pdf",
        size_bytes=8,
    )
    coalition = CoalitionFactory(members=[organisation])
    statement = StatementFactory(coalition=coalition)
    signature = StatementSignature.objects.create(statement=statement, organisation=organisation)
    return {
        "org": organisation.pk,
        "person": person.pk,
        "interaction": interaction.pk,
        "secret": secret.pk,
        "follow_up": follow_up.pk,
        "position": position.pk,
        "action": action.pk,
        "evidence": evidence.pk,
        "attached": attached.pk,
        "deliverable": deliverable.pk,
        "coalition": coalition.pk,
        "statement": statement.pk,
        "signature": signature.pk,
        "outcome": OutcomeFactory().pk,
        "lesson": LessonFactory().pk,
        "line": BudgetLineFactory().pk,
    }


def _url(name: str, w: dict) -> str:
    args = {
        "action_detail": [w["action"]],
        "action_edit": [w["action"]],
        "action_delete": [w["action"]],
        "action_status": [w["action"]],
        "action_items": [w["action"]],
        "action_item_remove": [w["action"], w["evidence"]],
        "action_testimonies": [w["action"]],
        "action_testimony_remove": [w["action"], w["attached"]],
        "deliverable_upload": [w["action"]],
        "deliverable_download": [w["deliverable"]],
        "deliverable_delete": [w["deliverable"]],
        "organisation_detail": [w["org"]],
        "organisation_edit": [w["org"]],
        "organisation_delete": [w["org"]],
        "organisation_archive": [w["org"]],
        "stakeholder_detail": [w["person"]],
        "stakeholder_edit": [w["person"]],
        "stakeholder_merge": [w["person"]],
        "stakeholder_personal_data": [w["person"]],
        "stakeholder_erase": [w["person"]],
        "stakeholder_import_confirm": ["0" * 32],
        "position_create": [w["person"]],
        "position_delete": [w["position"]],
        "interaction_detail": [w["interaction"]],
        "interaction_edit": [w["interaction"]],
        "interaction_delete": [w["interaction"]],
        "follow_up_create": [w["interaction"]],
        "follow_up_mark": [w["follow_up"]],
        "follow_up_delete": [w["follow_up"]],
        "coalition_detail": [w["coalition"]],
        "coalition_edit": [w["coalition"]],
        "statement_create": [w["coalition"]],
        "statement_detail": [w["statement"]],
        "statement_edit": [w["statement"]],
        "signature_update": [w["statement"], w["signature"]],
        "outcome_detail": [w["outcome"]],
        "outcome_edit": [w["outcome"]],
        "lesson_detail": [w["lesson"]],
        "lesson_edit": [w["lesson"]],
        "budget_line_detail": [w["line"]],
        "budget_line_edit": [w["line"]],
    }.get(name, [])
    return reverse(f"plaidoyer:{name}", args=args)


def test_the_matrix_covers_every_url():
    assert sorted(MATRIX) == sorted(p.name for p in urls.urlpatterns)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name, role, world, request, client):
    expected = MATRIX[name][ROLES.index(role)]
    client.force_login(request.getfixturevalue(role))
    url = _url(name, world)
    response = client.post(url) if name in POSTS else client.get(url)
    assert response.status_code == expected, (name, role, response.status_code)


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [200, 404, 404, 404, 404, 403], strict=True)),
)
def test_a_confidential_exchange_is_hidden_from_all_but_coordinators_and_its_author(
    role, expected, world, request, client
):
    client.force_login(request.getfixturevalue(role))
    url = reverse("plaidoyer:interaction_detail", args=[world["secret"]])
    assert client.get(url).status_code == expected


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for name in ("index", "stakeholders", "action_detail", "budget"):
        response = client.get(_url(name, world))
        assert response.status_code == 302
        assert "/connexion/" in response["Location"] or "login" in response["Location"]


def test_every_page_declares_its_access_with_the_core_decorators():
    import inspect
    from pathlib import Path

    from plaidoyer import views

    undeclared = [
        pattern.name
        for pattern in urls.urlpatterns
        if not hasattr(pattern.callback, "access_predicate")
        and not hasattr(pattern.callback, "object_check")
    ]
    assert undeclared == []
    for module in Path(inspect.getfile(views)).parent.glob("*.py"):
        source = module.read_text()
        assert "raise PermissionDenied" not in source, module.name


def test_the_grid_keeps_a_constant_number_of_queries(
    client_for, viewer, django_assert_max_num_queries
):
    client = client_for(viewer)
    StakeholderFactory()
    client.get(reverse("plaidoyer:grid"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("plaidoyer:grid"))
    for _ in range(20):
        StakeholderFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("plaidoyer:grid")).status_code == 200
