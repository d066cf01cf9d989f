"""The form of a collection objective (coordinators); the list filters are in filters.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Country, Site

from ..models import CollectionObjective
from ..services.objectives import OBJECTIVE_FIELDS
from .records import DateInput


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = CollectionObjective
        fields = list(OBJECTIVE_FIELDS)
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "target_count": _("Nombre de témoignages visé"),
            "reason": _("Pourquoi ces témoignages"),
        }
        help_texts = {
            "site": _("Un site, ou bien un pays entier (pas les deux)."),
            "country": _("Pour un objectif qui vaut pour tous les sites du pays."),
            "reason": _(
                "Par ex. « documenter les recours des mineurs avant l'audience au Conseil "
                "d'État ». Les agent·es de terrain voient ce motif."
            ),
            "target_count": _(
                "Comptent les témoignages envoyés à la relecture (soumis, en relecture ou "
                "approuvés) sur ce thème, recueillis pendant la période."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.select_related("country")
        self.fields["country"].queryset = Country.objects.filter(is_pseudo=False)
        self.fields["reason"].required = True
        if not self.is_bound and not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("period_start", today.replace(day=1))
            self.initial.setdefault("period_end", today.replace(month=12, day=31))

    def clean(self):
        data = super().clean()
        site, country = data.get("site"), data.get("country")
        if site and country:
            self.add_error("country", _("Choisissez un site ou un pays, pas les deux."))
        elif not site and not country and "site" not in self.errors:
            self.add_error("site", _("Choisissez le site ou le pays concerné."))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de la période vient avant son début."))
        return data

    def _post_clean(self):
        # The model's own checks run in the service (full_clean); the form already said
        # what it needs to say, field by field.
        pass
