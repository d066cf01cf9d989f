"""Project-wide form rendering (Bootstrap classes, accessible errors) and account forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _


def _widget_css(widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input" if isinstance(widget, forms.CheckboxInput) else ""
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select"
    if isinstance(widget, forms.FileInput):
        return "form-control"
    if getattr(widget, "input_type", "") == "hidden":
        return ""
    return "form-control"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: per field when it has one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class StyledBoundField(BoundField):
    """Adds Bootstrap classes and `is-invalid` to every widget, project-wide."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [_widget_css(widget), attrs.get("class", ""), widget.attrs.get("class", "")]
        if self.errors:
            classes.append("is-invalid")
        css = " ".join(c for c in classes if c)
        if css:
            attrs["class"] = css
        return attrs


class FormRenderer(TemplatesSetting):
    """Labels above fields, help under, errors next to the field (templates/includes/forms)."""

    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"
    bound_field_class = StyledBoundField


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Les deux champs tiennent compte des majuscules."
        ),
        "inactive": _("Ce compte est désactivé."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class OTPTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code de vérification"),
        max_length=20,
        help_text=_(
            "Le code à 6 chiffres affiché par votre application, ou l'un de vos codes de secours."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class OTPDisableForm(forms.Form):
    password = forms.CharField(
        label=_("Mot de passe actuel"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password
