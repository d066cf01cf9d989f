from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import account, auth, pages, pdf_jobs, search

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("equipe/", pages.team, name="team"),
    path("recherche/", search.search, name="search"),
    path("healthz", pages.healthz, name="healthz"),
    path("documents/<int:pk>/etat/", pdf_jobs.pdf_job_status, name="pdf_job_status"),
    path("documents/<int:pk>/telecharger/", pdf_jobs.pdf_job_download, name="pdf_job_download"),
    path("compte/connexion/", auth.LoginView.as_view(), name="login"),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/securite/", account.security, name="security"),
    path(
        "compte/mot-de-passe/",
        account.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("compte/sessions/fermer/", account.sessions_revoke, name="sessions_revoke"),
    path("compte/2fa/activer/", account.otp_enrol, name="otp_enrol"),
    path("compte/2fa/verifier/", account.otp_verify, name="otp_verify"),
    path("compte/2fa/codes/", account.otp_recovery_regenerate, name="otp_recovery"),
    path("compte/2fa/desactiver/", account.otp_disable, name="otp_disable"),
    path("compte/mot-de-passe/oubli/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "compte/mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="core/auth/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "compte/mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="core/auth/password_reset_confirm.html",
            success_url=reverse_lazy("core:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="core/auth/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
