"""Login, logout and the lockout page (django-axes)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.forms import LoginForm
from core.models import AuditEvent
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
