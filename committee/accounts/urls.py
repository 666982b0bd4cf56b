"""The sign-in page, the second-factor pages and the language switcher, next to Django's auth
views under /accounts/."""

from django.contrib.auth.views import LoginView
from django.urls import path

from committee.accounts import language, two_factor
from committee.accounts.forms import SignInForm

urlpatterns = [
    path("login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("verify/", two_factor.verify, name="otp_verify"),
    path("enrol/", two_factor.enrol, name="otp_enrol"),
    path("language/", language.set_language, name="set_language"),
]
