"""Session idle timeout and the two-factor gate."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

_LAST_SEEN_KEY = "_last_seen"
# Refresh the timestamp at most this often, so a page with htmx polling does not write
# the session on every request.
_TOUCH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """Log out a session left idle longer than SESSION_IDLE_TIMEOUT_MINUTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN_KEY)
            limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - int(last_seen) > limit:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Votre session a expiré après %(minutes)d minutes d'inactivité. "
                        "Reconnectez-vous pour continuer."
                    )
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES},
                )
                # The whole path and query string travel, URL-encoded, in ?next=.
                return redirect_to_login(request.get_full_path(), reverse("core:login"))
            if last_seen is None or now - int(last_seen) >= _TOUCH_EVERY_SECONDS:
                request.session[_LAST_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Send a logged-in but unverified user to the second step before anything else.

    A user who has a confirmed device always verifies it; a coordinator or staff member
    without one is sent to enrolment when REQUIRE_2FA is on.
    """

    _OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            target = self._target(request)
            if target and not self._is_open(request):
                if request.htmx:
                    # A partial must not land inside the page: make htmx navigate.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse(target)
                    return response
                return redirect_to_login(request.get_full_path(), reverse(target))
        return self.get_response(request)

    def _is_open(self, request) -> bool:
        path = request.path
        open_paths = {
            reverse("core:otp_verify"),
            reverse("core:otp_enrol"),
            reverse("core:logout"),
        }
        return path in open_paths or path.startswith(self._OPEN_PREFIXES)

    def _target(self, request) -> str | None:
        from .selectors import user_has_confirmed_otp
        from .services import user_requires_2fa

        cached = getattr(request, "_otp_target", "unset")
        if cached != "unset":
            return cached
        if user_has_confirmed_otp(request.user):
            target = "core:otp_verify"
        elif user_requires_2fa(request.user):
            target = "core:otp_enrol"
        else:
            target = None
        request._otp_target = target
        return target
