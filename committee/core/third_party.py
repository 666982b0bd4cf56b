"""The third-party apps that show in the admin, named for the secretariat in its language
(they call themselves "Axes", "Otp_Totp", "Otp_Static", "Pghistory", "Tasks Database
Backend").
INSTALLED_APPS names these configs instead of the apps' own."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig
from django_tasks_db.apps import TasksAppConfig
from pghistory.apps import PGHistoryConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Second factor: authenticator apps")


class StaticConfig(StaticAppConfig):
    verbose_name = _("Second factor: recovery codes")


class HistoryConfig(PGHistoryConfig):
    verbose_name = _("History of changes")


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")


# Django 6.1's label for an empty choice in a select ("- Select an option -"), which its own
# catalogs do not translate yet into Dari, Pashto, Russian or Kazakh: listed here so that
# makemessages gathers it into ours, which Django reads first.
gettext_noop("- Select an option -")
