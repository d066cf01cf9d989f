"""Forms of the collection-forms builder (coordinators)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.models import Site

from ..models import FormQuestion
from ..services.forms_builder import QUESTION_FIELDS, choices_as_text, parse_choice_lines


class CollectionFormForm(forms.Form):
    name = forms.CharField(label=_("Nom du formulaire"), max_length=160)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("À quoi sert ce formulaire, dans quel contexte l'utiliser."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites qui l'utilisent"),
        queryset=Site.objects.select_related("country"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun site coché : le formulaire est proposé sur tous les sites."),
    )


class QuestionForm(forms.Form):
    label_fr = forms.CharField(label=_("Libellé en français"), max_length=300)
    label_en = forms.CharField(label=_("Libellé en anglais"), max_length=300, required=False)
    label_ar = forms.CharField(
        label=_("Libellé en arabe"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    kind = forms.ChoiceField(label=_("Type de réponse"), choices=FormQuestion.Kind.choices)
    required = forms.BooleanField(
        label=_("Réponse obligatoire pour envoyer le témoignage"), required=False
    )
    choices_text = forms.CharField(
        label=_("Choix proposés"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_(
            "Pour les questions à choix seulement : un choix par ligne, sous la forme "
            "« français | English | العربية » (l'anglais et l'arabe sont facultatifs)."
        ),
    )
    help_fr = forms.CharField(
        label=_("Aide en français"),
        max_length=500,
        required=False,
        help_text=_("Affichée sous la question, pour guider l'agent·e de terrain."),
    )
    help_en = forms.CharField(label=_("Aide en anglais"), max_length=500, required=False)
    help_ar = forms.CharField(
        label=_("Aide en arabe"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    key = forms.SlugField(
        label=_("Identifiant de la réponse (facultatif)"),
        max_length=50,
        required=False,
        help_text=_(
            "Sert à comparer les réponses d'une version à l'autre ; laissé vide, il est "
            "tiré du libellé. Il ne change plus ensuite."
        ),
    )

    def __init__(self, *args, question: FormQuestion | None = None, **kwargs):
        self.question = question
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "label_fr": question.label_fr,
                "label_en": question.label_en,
                "label_ar": question.label_ar,
                "help_fr": question.help_fr,
                "help_en": question.help_en,
                "help_ar": question.help_ar,
                "kind": question.kind,
                "required": question.required,
                "choices_text": choices_as_text(question.choices or []),
            }
        super().__init__(*args, **kwargs)
        if question is not None:
            del self.fields["key"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in FormQuestion.CHOICE_KINDS:
            try:
                choices = parse_choice_lines(
                    data.get("choices_text", ""),
                    previous=self.question.choices if self.question else (),
                )
            except ValidationError as exc:
                self.add_error("choices_text", exc)
                choices = []
            else:
                if len(choices) < 2:
                    self.add_error(
                        "choices_text",
                        _("Une question à choix propose au moins deux choix, un par ligne."),
                    )
            data["choices"] = choices
        else:
            data["choices"] = []
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in QUESTION_FIELDS}
        if "key" in self.fields:
            kwargs["key"] = data.get("key") or ""
        return kwargs


class PublishForm(forms.Form):
    notes = forms.CharField(
        label=_("Ce qui change dans cette version (facultatif)"),
        max_length=300,
        required=False,
        help_text=_("Par ex. « question sur l'hébergement ajoutée »."),
    )
