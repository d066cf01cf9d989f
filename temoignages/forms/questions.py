"""Django form fields built from a collection form version's questions.

The wizard (step 2) and the builder's preview render the same fields. A field's name is
`q_<key>`; answers are stored by key in `Testimony.answers` in the shapes
`services.testimonies.clean_answers` accepts: text, a choice value, a list of choice
values, an ISO date, a number, "yes" / "no".
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import FormQuestion
from .records import DateInput

PREFIX = "q_"
# "Yes" / "no" in the languages questions are labelled in (the UI's own through gettext).
YES_NO = {"ar": ("نعم", "لا"), "en": ("Yes", "No")}


def _choice_label(choice: dict, language: str) -> str:
    return choice.get(language) or choice.get("fr") or str(choice.get("value", ""))


def _not_in_future(value: datetime.date) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Cette date est dans le futur."), code="future")


def question_field(
    question: FormQuestion, *, language: str, also_in: str = "", required: bool | None = None
) -> forms.Field:
    """One field for `question`, labelled in `language`; `also_in` adds the label in the
    interview's language (e.g. Arabic) so the officer can read it out."""
    required = question.required if required is None else required
    label = question.label(language)
    help_parts = []
    alt_label = getattr(question, f"label_{also_in}", "") if also_in else ""
    if alt_label and also_in != language:
        help_parts.append(
            format_html(
                '<span class="d-block question-alt" lang="{}" dir="{}">{}</span>',
                also_in,
                "rtl" if also_in == "ar" else "ltr",
                alt_label,
            )
        )
    help_text = question.help_text(language)
    if help_text:
        help_parts.append(conditional_escape(help_text))
    # The project's field template renders help_text as HTML: everything typed by a
    # coordinator is escaped above.
    kwargs: dict[str, Any] = {
        "label": label,
        "required": required,
        "help_text": mark_safe("".join(str(p) for p in help_parts)),  # noqa: S308
    }
    kind = question.kind
    Kind = FormQuestion.Kind
    choices = [(str(c.get("value")), _choice_label(c, language)) for c in question.choices or []]
    if kind == Kind.SHORT_TEXT:
        return forms.CharField(
            max_length=300, widget=forms.TextInput(attrs={"dir": "auto"}), **kwargs
        )
    if kind == Kind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}), **kwargs)
    if kind == Kind.SINGLE_CHOICE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)
    if kind == Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **kwargs
        )
    if kind == Kind.DATE:
        return forms.DateField(widget=DateInput(), validators=[_not_in_future], **kwargs)
    if kind == Kind.NUMBER:
        return forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}), **kwargs)
    if kind == Kind.YES_NO:
        yes, no = YES_NO.get(language, (_("Oui"), _("Non")))
        return forms.ChoiceField(
            choices=[("yes", yes), ("no", no)], widget=forms.RadioSelect, **kwargs
        )
    raise ValueError(kind)


def add_question_fields(
    form: forms.Form,
    questions: list[FormQuestion],
    *,
    answers: dict | None = None,
    language: str | None = None,
    also_in: str = "",
    lenient: bool = False,
) -> list[str]:
    """Add one field per question to `form` (initial values from `answers`)."""
    language = (language or get_language() or "fr")[:2]
    names = []
    for question in questions:
        name = PREFIX + question.key
        form.fields[name] = question_field(
            question,
            language=language,
            also_in=also_in,
            required=False if lenient else None,
        )
        value = (answers or {}).get(question.key)
        if value not in (None, "", []):
            form.initial[name] = value
        names.append(name)
    return names


def answer_value(value: Any) -> Any:
    """A cleaned field value in the shape stored in `Testimony.answers`."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return value.strip()
    return value


def answers_from(form: forms.Form, names: list[str], previous: dict | None = None) -> dict:
    """Answers from a (possibly partly invalid) form: valid fields replace the previous
    answers, invalid ones keep them, emptied ones are removed."""
    answers = dict(previous or {})
    cleaned = getattr(form, "cleaned_data", {})
    for name in names:
        key = name[len(PREFIX) :]
        if name not in cleaned:
            continue
        value = answer_value(cleaned[name])
        if value in (None, "", []):
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def answer_display(question: FormQuestion, value: Any, *, language: str | None = None) -> str:
    """An answer as words, with the labels of the testimony's own form version."""
    language = (language or get_language() or "fr")[:2]
    if value in (None, "", []):
        return ""
    labels = {str(c.get("value")): _choice_label(c, language) for c in question.choices or []}
    if question.kind == FormQuestion.Kind.SINGLE_CHOICE:
        return labels.get(str(value), str(value))
    if question.kind == FormQuestion.Kind.MULTIPLE_CHOICE:
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if question.kind == FormQuestion.Kind.YES_NO:
        return str(_("Oui")) if value in (True, "yes") else str(_("Non"))
    return str(value)


class PreviewForm(forms.Form):
    """An empty form holding a version's questions, for the builder's preview."""
