"""Forms of the plaidoyer app, by domain noun."""

from .actions import ActionForm, DeliverableForm
from .coalitions import CoalitionForm, StatementForm
from .interactions import FollowUpForm, InteractionForm, PositionForm
from .stakeholders import EraseForm, MergeForm, OrganisationForm, StakeholderForm

__all__ = [
    "ActionForm",
    "CoalitionForm",
    "DeliverableForm",
    "EraseForm",
    "FollowUpForm",
    "InteractionForm",
    "MergeForm",
    "OrganisationForm",
    "PositionForm",
    "StakeholderForm",
    "StatementForm",
]
