"""Forms of the plaidoyer app, by domain noun."""

from .actions import ActionForm, DeliverableForm
from .coalitions import CoalitionForm, StatementForm
from .interactions import FollowUpForm, InteractionForm, PositionForm
from .outcomes import BudgetLineForm, LessonForm, OutcomeForm
from .stakeholders import EraseForm, MergeForm, OrganisationForm, StakeholderForm

__all__ = [
    "ActionForm",
    "BudgetLineForm",
    "CoalitionForm",
    "DeliverableForm",
    "EraseForm",
    "FollowUpForm",
    "InteractionForm",
    "LessonForm",
    "MergeForm",
    "OrganisationForm",
    "OutcomeForm",
    "PositionForm",
    "StakeholderForm",
    "StatementForm",
]
