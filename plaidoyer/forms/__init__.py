"""Forms of the plaidoyer app, by domain noun."""

from .interactions import FollowUpForm, InteractionForm, PositionForm
from .stakeholders import EraseForm, MergeForm, OrganisationForm, StakeholderForm

__all__ = [
    "EraseForm",
    "FollowUpForm",
    "InteractionForm",
    "MergeForm",
    "OrganisationForm",
    "PositionForm",
    "StakeholderForm",
]
