"""The admin site, open only to staff who passed the second factor.

SecondFactorMiddleware already sends unverified staff to /accounts/verify/; the site checks
again, so that the admin stays closed if the middleware were ever left out. INSTALLED_APPS
names AdminConfig below instead of "django.contrib.admin".
"""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.sites import AdminSite
from django.utils.translation import gettext_lazy as _


class VerifiedAdminSite(AdminSite):
    site_header = _("Joint Committee Portal: the secretariat's records")
    site_title = _("Joint Committee Portal")
    index_title = _("The secretariat's records")

    @property
    def login_form(self):
        # Django's auth forms need the app registry, which is loading when this is imported.
        from committee.accounts.forms import AdminSignInForm

        return AdminSignInForm

    def has_permission(self, request):
        # is_verified comes from django-otp's OTPMiddleware: without it this fails loudly.
        return super().has_permission(request) and request.user.is_verified()


class AdminConfig(DjangoAdminConfig):
    default_site = "committee.accounts.admin_site.VerifiedAdminSite"
