"""Forms of the veille: sources and the OPML import, annotations, watch rules, analysis notes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.models import Country, Theme

from .filters import InboxFilterSet, rule_filters_from_params, rule_querydict
from .models import AnalysisNote, Item, Source, WatchRule

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
        # The fetch guard itself runs in the service (source_create / source_update).
        return self.cleaned_data["feed_url"].strip()


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


class AnnotationForm(forms.Form):
    body = forms.CharField(
        label=_("Votre annotation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Visible par toute l'équipe de veille."),
    )


class WatchRuleForm(forms.ModelForm):
    """Name, query and delivery of a rule; the filters come from the inbox form below."""

    class Meta:
        model = WatchRule
        fields = ["name", "query", "active", "alert_in_app", "digest_email"]
        widgets = {"query": forms.TextInput(attrs={"dir": "auto"})}
        help_texts = {
            "query": _(
                "Mêmes règles que la recherche de la boîte de réception : guillemets pour "
                "une expression exacte, OR, un tiret pour exclure un mot."
            ),
            "digest_email": _(
                "Un seul e-mail par jour, seulement si de nouveaux articles correspondent."
            ),
            "alert_in_app": _("Les nouveaux articles s'affichent dans « Alertes »."),
        }

    def __init__(self, *args, filter_data=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.setdefault("autofocus", True)
        initial_filters = dict(self.instance.filters or {}) if self.instance.pk else {}
        data = filter_data if filter_data is not None else rule_querydict(initial_filters)
        self.filterset = InboxFilterSet(data=data, queryset=Item.objects.none())
        self.filter_form = self.filterset.form

    def clean(self):
        cleaned = super().clean()
        if not self.filter_form.is_valid():
            raise forms.ValidationError(
                [_("Corrigez les filtres de la règle."), *self.filter_form.non_field_errors()]
            )
        if not (cleaned.get("query") or self.stored_filters()):
            raise forms.ValidationError(
                _("Une règle sans recherche ni filtre signalerait tous les articles.")
            )
        return cleaned

    def service_kwargs(self) -> dict:
        """What `rule_create` / `rule_update` take from this form."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "query": data["query"],
            "filters": self.stored_filters(),
            "alert_in_app": data["alert_in_app"],
            "digest_email": data["digest_email"],
            "active": data["active"],
        }

    # The inbox filters of a rule, folded by group: a rule usually needs one or two of them,
    # and the form would otherwise show some sixty inputs at once.
    FILTER_GROUPS = (
        (_("Thèmes"), ("theme",)),
        (_("Pays"), ("country",)),
        (_("Sources"), ("source", "kind")),
        (_("Langues"), ("language",)),
        (_("Période"), ("period", "date_from", "date_to")),
        (_("Importance et annotations"), ("importance", "annotated")),
    )

    def filter_groups(self) -> list[dict]:
        """Each group's label, bound fields, how many values are chosen, and whether it
        opens (something chosen or an error)."""
        groups = []
        for label, names in self.FILTER_GROUPS:
            fields = [self.filter_form[name] for name in names]
            chosen = 0
            for field in fields:
                value = field.value()
                if isinstance(value, list | tuple):
                    chosen += len([v for v in value if v not in ("", None)])
                elif value not in ("", None, False):
                    chosen += 1
            errors = any(field.errors for field in fields)
            groups.append(
                {"label": label, "fields": fields, "chosen": chosen, "open": bool(chosen or errors)}
            )
        return groups

    def stored_filters(self) -> dict:
        """The rule's filters as stored: the inbox query-string keys, lists for multiples."""
        if not self.filter_form.is_valid():
            return {}
        return rule_filters_from_params(self.filter_form.data)


class NoteForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Pays"),
        queryset=Country.objects.order_by("name_fr"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AnalysisNote
        fields = ["title", "audience", "body", "themes", "countries"]
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "audience": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 18, "dir": "auto", "class": "font-monospace"}),
        }
        help_texts = {
            "body": _(
                "Markdown : **gras**, *italique*, ## titre, - liste, [lien](https://…). "
                "Pour renvoyer à un article cité, écrivez [@numéro de l'article], par "
                "exemple [@1234] : il devient une référence numérotée."
            ),
            "audience": _(
                "« Partenaires » : la note pourra être partagée hors de l'organisation une "
                "fois publiée. « Interne » : jamais."
            ),
        }
