"""The sign-in forms of the portal's and the admin's sign-in pages: Django's, with the
username cleaned as every typed line is (committee/core/text.py)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UsernameField

from committee.core.text import OneLineFormField


class UsernameLineField(OneLineFormField, UsernameField):
    """Invisible characters pasted with a name sign in as the name, and the security log and
    django-axes record the name that was meant, never a reversed one. The password is left
    as typed: it is never shown, and changing it would refuse its owner."""


class SignInForm(AuthenticationForm):
    username = UsernameLineField(widget=forms.TextInput(attrs={"autofocus": True}))


class AdminSignInForm(AdminAuthenticationForm):
    username = UsernameLineField(widget=forms.TextInput(attrs={"autofocus": True}))
