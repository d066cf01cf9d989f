"""Forms of the plaidoyer app, by domain noun."""

from .stakeholders import EraseForm, MergeForm, OrganisationForm, PositionForm, StakeholderForm

__all__ = ["EraseForm", "MergeForm", "OrganisationForm", "PositionForm", "StakeholderForm"]
