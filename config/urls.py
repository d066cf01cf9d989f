from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from core.views.auth import admin_refusals_audited

admin.site.site_header = "Influence · Unité Migration"
admin.site.site_title = "Influence"
# One login page for everything: the admin goes through ours (axes, 2FA, audit); a
# signed-in person without staff rights who lands on the admin's is refused, audited.
admin.site.login = login_required(admin_refusals_audited(admin.site.login))

urlpatterns = [
    path("", include("core.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "i18n/js/",
        login_not_required(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    path("", include("influence.urls")),
    path("veille/", include("veille.urls")),
    path("plaidoyer/", include("plaidoyer.urls")),
    path("temoignages/", include("temoignages.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.errors.permission_denied"
handler404 = "core.views.errors.page_not_found"
handler500 = "core.views.errors.server_error"

if settings.DEBUG:
    from django.views import defaults

    urlpatterns += [
        path("__erreurs/404/", defaults.page_not_found, {"exception": Exception()}),
        path("__erreurs/500/", defaults.server_error),
    ]
