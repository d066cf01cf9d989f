"""Forms of the plaidoyer app, by domain noun."""

from .actions import ActionForm, DeliverableForm
from .interactions import FollowUpForm, InteractionForm, PositionForm
from .stakeholders import EraseForm, MergeForm, OrganisationForm, StakeholderForm

__all__ = [
    "ActionForm",
    "DeliverableForm",
    "EraseForm",
    "FollowUpForm",
    "InteractionForm",
    "MergeForm",
    "OrganisationForm",
    "PositionForm",
    "StakeholderForm",
]
