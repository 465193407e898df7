from django.contrib.auth import views as auth_views
from django.urls import path

from . import mfa_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(),
        name="password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("two-factor/set-up/", mfa_views.mfa_enrol, name="mfa-enrol"),
    path("two-factor/", mfa_views.mfa_verify, name="mfa-verify"),
    path("two-factor/recovery-codes/", mfa_views.mfa_recovery_codes, name="mfa-recovery-codes"),
    path("keep-alive/", mfa_views.keep_alive, name="keep-alive"),
]
