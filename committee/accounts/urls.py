"""The sign-in page, the second-factor pages, the language switcher and the limited
password-reset page, next to Django's auth views under /accounts/ (this file's patterns come
first)."""

from django.contrib.auth.views import LoginView
from django.urls import path

from committee.accounts import language, password_reset, two_factor
from committee.accounts.forms import SignInForm

urlpatterns = [
    path("login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("verify/", two_factor.verify, name="otp_verify"),
    path("enrol/", two_factor.enrol, name="otp_enrol"),
    # "token": the access log writes the secret as [removed] (committee.core.http).
    path("enrol/<str:token>/", two_factor.enrol_link, name="otp_enrol_link"),
    path("recovery-codes/", two_factor.recovery_codes, name="otp_recovery_codes"),
    path("language/", language.set_language, name="set_language"),
    path("password_reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
]
