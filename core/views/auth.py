"""Login, the lockout page (django-axes) and the password-reset request."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from core import throttle
from core.forms import LoginForm
from core.models import AuditEvent
from core.net import client_ip
from core.services import audit_record


class LoginView(auth_views.LoginView):
    template_name = "core/auth/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_not_required
def lockout(request, original_response=None, credentials=None):
    """Shown instead of the login result while a (username, IP) pair is locked out."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    audit_record(
        action=AuditEvent.Action.LOCKED_OUT,
        actor_label=username[:150],
        request=request,
        detail={"path": request.path[:200]},
    )
    form = LoginForm(request, data=request.POST or None)
    form.is_bound = False
    form.initial = {"username": username}
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "core/auth/login.html",
        {
            "form": form,
            "locked_out": _(
                "Trop de tentatives de connexion ont échoué pour cet identifiant depuis "
                "cette adresse. Réessayez dans %(minutes)d minutes, ou réinitialisez "
                "votre mot de passe."
            )
            % {"minutes": minutes},
        },
        status=429,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Sends at most a few emails per address and per IP address in a window.

    Over the limit the answer is the same page as when an email is sent — and as when
    no account has that address — so the form reveals neither.
    """

    template_name = "core/auth/password_reset.html"
    email_template_name = "core/auth/password_reset_email.txt"
    subject_template_name = "core/auth/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form):
        period = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
        by_address = throttle.allow(
            "password-reset-address",
            form.cleaned_data["email"],
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            period=period,
        )
        by_ip = throttle.allow(
            "password-reset-ip",
            client_ip(self.request) or "",
            limit=settings.PASSWORD_RESET_LIMIT_PER_IP,
            period=period,
        )
        if by_address and by_ip:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def admin_refusals_audited(login_view):
    """Wrap the admin's login view: a signed-in person without staff rights who reaches it
    (every admin page sends them there) is refused, and the refusal is audited like a 403."""
    from functools import wraps

    @wraps(login_view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_active and user.is_staff):
            audit_record(
                actor=user,
                action=AuditEvent.Action.PERMISSION_DENIED,
                request=request,
                detail={"path": request.path[:200], "reason": "not_staff"},
            )
        return login_view(request, *args, **kwargs)

    return wrapped
