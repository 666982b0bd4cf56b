from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared machinery that no domain app owns: change history, version checking, the
    security log, upload checks, the PDF sandbox and admin helpers. It imports no domain app;
    the domain apps import it."""

    name = "committee.core"
    label = "core"
    verbose_name = _("Shared machinery")

    def ready(self):
        # Django ships no locale data for Pashto, one of the content languages; the admin,
        # the minutes and the templates ask get_language_info() of every content language.
        from django.conf.locale import LANG_INFO

        LANG_INFO.setdefault(
            "ps", {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"}
        )

        # Sign-ins, sign-outs and lockouts go to the security log.
        from committee.core import security_log

        security_log.connect()
