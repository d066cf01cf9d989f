"""The user's own security settings: password, two-factor authentication, sessions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import selectors, services
from core.forms import OTPDisableForm, OTPTokenForm


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def security(request):
    user = request.user
    return render(
        request,
        "core/account/security.html",
        {
            "has_otp": selectors.user_has_confirmed_otp(user),
            "otp_required": services.user_requires_2fa(user),
            "recovery_codes_left": selectors.user_recovery_codes_left(user),
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES,
            "disable_form": OTPDisableForm(user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/account/password_change.html"
    success_url = reverse_lazy("core:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.audit_record(
            actor=self.request.user,
            action="password_changed",
            obj=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return response


@login_required
@require_POST
def sessions_revoke(request):
    services.user_sessions_revoke_others(request=request)
    messages.success(
        request, _("Vos autres sessions ont été fermées. Cette session reste ouverte.")
    )
    return redirect("core:security")


@login_required
def otp_enrol(request):
    """Scan a QR code (or type the key), confirm with a first code, get recovery codes."""
    import segno

    device = services.otp_device_start(user=request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = not device.verify_is_allowed()[0]
        codes = services.otp_device_confirm(
            request=request, device=device, token=form.cleaned_data["otp_token"]
        )
        if codes is not None:
            return render(
                request,
                "core/account/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request, reverse_lazy("core:home"))},
            )
        form.add_error("otp_token", _otp_error("throttled" if throttled else "mismatch"))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1b1f24")
    secret = _base32_secret(device)
    return render(
        request,
        "core/account/otp_enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": services.user_requires_2fa(request.user),
            "next": request.GET.get("next", ""),
        },
    )


def _otp_error(outcome: str) -> str:
    if outcome == "throttled":
        return _("Trop d'essais successifs : patientez quelques secondes avant de réessayer.")
    if outcome == "mismatch":
        return _("Ce code ne correspond pas. Vérifiez l'heure de votre téléphone.")
    return _("Ce code n'est pas valide ou a déjà été utilisé.")


def _base32_secret(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode("ascii").rstrip("=")


@login_required
def otp_verify(request):
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = services.otp_verify(request=request, token=form.cleaned_data["otp_token"])
        if outcome == "ok":
            return redirect(_safe_next(request, reverse_lazy("core:home")))
        form.add_error("otp_token", _otp_error(outcome))
    return render(
        request,
        "core/account/otp_verify.html",
        {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")},
    )


@login_required
@require_POST
def otp_recovery_regenerate(request):
    codes = services.otp_recovery_codes_regenerate(user=request.user)
    return render(
        request,
        "core/account/recovery_codes.html",
        {"codes": codes, "next": reverse_lazy("core:security")},
    )


@login_required
@require_POST
def otp_disable(request):
    if services.user_requires_2fa(request.user):
        messages.error(request, _("La double authentification est obligatoire pour votre rôle."))
        return redirect("core:security")
    form = OTPDisableForm(request.user, request.POST)
    if form.is_valid():
        services.otp_disable(request=request)
        messages.success(request, _("La double authentification est désactivée."))
        return redirect("core:security")
    return render(
        request,
        "core/account/security.html",
        {
            "has_otp": True,
            "otp_required": False,
            "recovery_codes_left": selectors.user_recovery_codes_left(request.user),
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES,
            "disable_form": form,
        },
        status=400,
    )
