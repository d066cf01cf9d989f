"""Forms of the sources pages (part A)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.models import Country, Theme

from .guard import FetchRefused, check_url
from .models import Source

MAX_OPML_BYTES = 2 * 1024 * 1024


class SourceForm(forms.ModelForm):
    feed_url = forms.URLField(
        label=_("Adresse du flux"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("L'adresse du flux RSS, Atom ou JSON Feed (pas celle de la page d'accueil)."),
    )
    site_url = forms.URLField(
        label=_("Site web"), max_length=2000, required=False, assume_scheme="https"
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes par défaut"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Attribués automatiquement à chaque nouvel article de la source."),
    )

    class Meta:
        model = Source
        fields = [
            "name",
            "feed_url",
            "site_url",
            "kind",
            "country",
            "language",
            "themes",
            "description",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_feed_url(self):
        url = self.cleaned_data["feed_url"].strip()
        try:
            check_url(url)
        except FetchRefused as exc:
            from .errors import error_message

            raise forms.ValidationError(error_message(exc.code)) from None
        return url


class OpmlImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier OPML"),
        help_text=_("Export d'un lecteur de flux (Feedly, Inoreader, FreshRSS…), 2 Mo au plus."),
    )
    default_kind = forms.ChoiceField(
        label=_("Type des nouvelles sources"),
        choices=Source.Kind.choices,
        initial=Source.Kind.MEDIA,
    )
    default_language = forms.ChoiceField(
        label=_("Langue par défaut"),
        choices=[("", _("— selon le fichier —")), *settings.CONTENT_LANGUAGES],
        required=False,
        help_text=_("Utilisée quand le fichier n'indique pas la langue d'un flux."),
    )
    default_country = forms.ModelChoiceField(
        label=_("Pays par défaut"),
        queryset=Country.objects.all(),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_OPML_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux (2 Mo au plus)."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("latin-1")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("Fichier illisible (encodage inconnu).")) from None
        if "<opml" not in text[:4096].lower():
            raise forms.ValidationError(_("Ce fichier n'est pas un fichier OPML."))
        self.cleaned_data["payload"] = text
        return upload
