"""The second-factor pages and the language switcher, next to Django's auth views under
/accounts/."""

from django.urls import path

from committee.accounts import language, two_factor

urlpatterns = [
    path("verify/", two_factor.verify, name="otp_verify"),
    path("enrol/", two_factor.enrol, name="otp_enrol"),
    path("language/", language.set_language, name="set_language"),
]
