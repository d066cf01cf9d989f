"""Forms of the influence app: they check what people type and hand clean data to the
services (which validate again and save)."""

from __future__ import annotations

import calendar
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Country, Theme

from .models import Audience, KeyMessage, Objective, PoliticalEvent, ProgressMarker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORE_HELP = _("De 1 (faible) à 5 (fort).")


def score_field(label, help_text=SCORE_HELP):
    return forms.IntegerField(label=label, min_value=1, max_value=5, help_text=help_text)


class StrategyForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    period_start = forms.DateField(label=_("Début de la période"), widget=DATE)
    period_end = forms.DateField(label=_("Fin de la période"), widget=DATE)
    under_study = forms.BooleanField(
        label=_("Pays à l'étude (pas encore de projet ouvert)"), required=False
    )
    common_thread = forms.CharField(
        label=_("Fil conducteur"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown. Ce qui relie le travail de l'unité et des pays."),
    )
    context = forms.CharField(
        label=_("Analyse de contexte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown : contexte politique, acteurs, opportunités."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end", _("La fin de la période doit être postérieure à son début.")
            )
        return cleaned


class CountryStrategyForm(StrategyForm):
    country = forms.ModelChoiceField(
        label=_("Pays"), queryset=Country.objects.filter(is_pseudo=False).order_by("name_fr")
    )
    field_order = ["country", "title", "period_start", "period_end", "under_study"]


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Risque"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    likelihood = score_field(_("Probabilité"))
    impact = score_field(_("Impact"))
    mitigation = forms.CharField(
        label=_("Mesures d'atténuation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=250)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    takes_up = forms.ModelChoiceField(
        label=_("Reprend l'objectif de l'unité"),
        queryset=Objective.objects.none(),
        required=False,
        help_text=_("Laisser vide pour un objectif propre au pays."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name_fr"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        label=_("Publics cibles"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    impact = score_field(_("Impact"), _("Ce que l'objectif changerait pour les personnes (1 à 5)."))
    feasibility = score_field(_("Faisabilité"), _("Nos chances d'y parvenir (1 à 5)."))
    urgency = score_field(_("Urgence"), _("Le calendrier politique presse-t-il ? (1 à 5)"))
    operational_risk = score_field(
        _("Risque opérationnel"),
        _("Risque pour nos opérations si nous le portons (1 faible, 5 très élevé)."),
    )
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Statut"), choices=Objective.Status.choices)

    def __init__(self, *args, strategy=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors.objectives import unit_objectives_for

        choices = unit_objectives_for(strategy)
        if strategy is None or strategy.parent_id is None:
            del self.fields["takes_up"]
        else:
            self.fields["takes_up"].queryset = choices


class MarkerForm(forms.Form):
    level = forms.ChoiceField(label=_("Niveau"), choices=ProgressMarker.Level.choices)
    text = forms.CharField(label=_("Marqueur de progrès"), max_length=300)
    position = forms.IntegerField(label=_("Ordre"), min_value=0, initial=0, required=False)

    def clean_position(self):
        return self.cleaned_data.get("position") or 0


class MarkerTickForm(forms.Form):
    reached_on = forms.DateField(label=_("Atteint le"), widget=DATE)
    note = forms.CharField(label=_("Commentaire"), required=False, max_length=300)
    evidence_query = forms.CharField(
        label=_("Chercher une preuve"),
        required=False,
        max_length=200,
        help_text=_("Un article de veille ou une note d'analyse (titre ou mots du texte)."),
    )
    evidence = forms.MultipleChoiceField(
        label=_("Preuves"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, evidence_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = evidence_choices


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicateur"), max_length=200)
    unit = forms.CharField(label=_("Unité"), max_length=40, required=False)
    baseline = forms.DecimalField(label=_("Valeur de référence"), max_digits=12, decimal_places=2)
    target = forms.DecimalField(label=_("Cible"), max_digits=12, decimal_places=2)
    current = forms.DecimalField(label=_("Valeur actuelle"), max_digits=12, decimal_places=2)
    measured_on = forms.DateField(label=_("Mesurée le"), required=False, widget=DATE)


class MessageForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Thème"), queryset=Theme.objects.order_by("position"))
    audience = forms.ChoiceField(label=_("Public"), choices=Audience.choices)
    language = forms.ChoiceField(label=_("Langue"), choices=KeyMessage.Language.choices)
    sensitivity = forms.ChoiceField(
        label=_("Sensibilité"),
        choices=KeyMessage.Sensitivity.choices,
        help_text=_(
            "Public : peut être dit et écrit. Réactif uniquement : seulement si on nous "
            "interroge. Interne : ne sort pas de l'organisation."
        ),
    )
    text = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("La première ligne sert de titre dans la matrice de cohérence."),
    )
    valid_from = forms.DateField(label=_("Valable à partir du"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("Valable jusqu'au"), required=False, widget=DATE)

    def __init__(self, *args, variant_of: KeyMessage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if variant_of is not None:
            del self.fields["theme"]
            del self.fields["audience"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error(
                "valid_until", _("La fin de validité doit être postérieure à son début.")
            )
        return cleaned


class VariantForm(MessageForm):
    country = forms.ModelChoiceField(
        label=_("Pays"), queryset=Country.objects.filter(is_pseudo=False).order_by("name_fr")
    )
    field_order = ["country"]


class MessageFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Thème"), queryset=Theme.objects.order_by("position"), required=False
    )
    audience = forms.ChoiceField(
        label=_("Public"), choices=[("", _("Tous")), *list(Audience.choices)], required=False
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("", _("Tous")), *list(KeyMessage.Status.choices)],
        required=False,
    )
    revoir = forms.BooleanField(label=_("Seulement les messages à revoir"), required=False)


class LinesToTakeForm(forms.Form):
    title = forms.CharField(label=_("Réunion"), max_length=200)
    meeting_on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    meeting_with = forms.CharField(
        label=_("Interlocuteurs"),
        max_length=200,
        required=False,
        help_text=_("Fonction ou institution ; pas de données personnelles sensibles."),
    )
    language = forms.ChoiceField(
        label=_("Langue du document"), choices=[("fr", _("Français")), ("en", _("Anglais"))]
    )
    messages = forms.ModelMultipleChoiceField(
        label=_("Messages approuvés à reprendre"),
        queryset=KeyMessage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un message.")},
    )

    def __init__(self, *args, messages_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if messages_queryset is not None:
            self.fields["messages"].queryset = messages_queryset
        self.fields["messages"].label_from_instance = lambda m: (
            f"{m.theme.name} · {m.get_audience_display()} · "
            f"{m.country.name if m.country_id else _('Unité')} — {m.first_line}"
        )


class EventForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=250)
    kind = forms.ChoiceField(label=_("Type"), choices=PoliticalEvent.Kind.choices)
    start = forms.DateField(label=_("Date (ou début)"), widget=DATE)
    end = forms.DateField(
        label=_("Fin"),
        required=False,
        widget=DATE,
        help_text=_("Pour un événement sur plusieurs jours."),
    )
    country = forms.ModelChoiceField(
        label=_("Pays"),
        queryset=Country.objects.order_by("name_fr"),
        required=False,
        help_text=_("Laisser vide pour un événement européen ou international."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name_fr"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = forms.ModelMultipleChoiceField(
        label=_("Objectifs liés"),
        queryset=Objective.objects.filter(status=Objective.Status.ACTIVE)
        .select_related("strategy")
        .order_by("strategy__title", "title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    link = forms.URLField(label=_("Lien"), required=False, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de l'événement doit être après son début."))
        return cleaned


class BriefingForm(forms.Form):
    """An edition: a month (or a custom range), audience, language, the editorial
    introduction and the sections kept. The sections offered are the registered ones."""

    PERIOD_MONTH, PERIOD_RANGE = "month", "range"

    period_kind = forms.ChoiceField(
        label=_("Période"),
        choices=[(PERIOD_MONTH, _("Un mois")), (PERIOD_RANGE, _("Des dates au choix"))],
        initial=PERIOD_MONTH,
        widget=forms.RadioSelect,
    )
    month = forms.CharField(
        label=_("Mois"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
        help_text=_("Au format AAAA-MM, par exemple 2026-11."),
    )
    period_start = forms.DateField(label=_("Du"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Au"), required=False, widget=DATE)
    audience = forms.ChoiceField(
        label=_("Public"),
        choices=[
            ("internal", _("Interne : l'unité et l'organisation (ne pas diffuser)")),
            ("partners", _("Partenaires : peut sortir de l'organisation")),
        ],
        initial="internal",
        widget=forms.RadioSelect,
        help_text=_(
            "Décide de ce qui peut y figurer : pour les partenaires, seuls les extraits de "
            "témoignages autorisés à l'externe et les notes écrites pour eux."
        ),
    )
    language = forms.ChoiceField(
        label=_("Langue du document"), choices=[("fr", _("Français")), ("en", _("Anglais"))]
    )
    introduction = forms.CharField(
        label=_("Introduction éditoriale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Quelques lignes des coordinateurs sur le mois écoulé."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections de cette édition"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Décochez une section pour la retirer de cette édition seulement."),
    )

    def __init__(self, *args, section_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = list(section_choices)
        if not self.is_bound and "sections" not in self.initial:
            self.initial["sections"] = [key for key, _label in section_choices]

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return datetime.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Indiquez le mois au format AAAA-MM.")) from None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("period_kind")
        if kind == self.PERIOD_MONTH:
            first = cleaned.get("month")
            if first is None:
                if "month" not in self.errors:
                    self.add_error("month", _("Choisissez le mois du briefing."))
            else:
                last = calendar.monthrange(first.year, first.month)[1]
                cleaned["period_start"], cleaned["period_end"] = first, first.replace(day=last)
        elif kind == self.PERIOD_RANGE:
            start, end = cleaned.get("period_start"), cleaned.get("period_end")
            if start is None:
                self.add_error("period_start", _("Indiquez le premier jour."))
            if end is None:
                self.add_error("period_end", _("Indiquez le dernier jour."))
            if start and end and end < start:
                self.add_error("period_end", _("La fin de la période précède son début."))
        return cleaned

    def service_data(self) -> dict:
        data = self.cleaned_data
        offered = [key for key, _label in self.fields["sections"].choices]
        return {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "audience": data["audience"],
            "language": data["language"],
            "introduction": data["introduction"],
            "disabled_sections": [key for key in offered if key not in data["sections"]],
        }
