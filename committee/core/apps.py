from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(*, using: str, verbosity: int = 1, **kwargs) -> None:
    """The database cache's table (settings.CACHES), made by every `migrate`: a deployment,
    `make run` and `make serve`, CI and the test database alike. It is no model, so no
    migration makes it; createcachetable leaves a table that exists alone."""
    # Said only at migrate's verbosity 2 and more, like the tables of the models.
    call_command("createcachetable", database=using, verbosity=verbosity if verbosity > 1 else 0)


class CoreConfig(AppConfig):
    """Shared machinery that no domain app owns: change history, version checking, the
    security log, upload checks, the PDF sandbox and its seal, and admin helpers. It imports
    no domain app; the domain apps import it."""

    name = "committee.core"
    label = "core"
    # In the admin it holds the PDFs the worker makes.
    verbose_name = _("Documents made by the worker")

    def ready(self):
        # How each language is named, in itself, by the switcher, the admin and the minutes.
        # Django ships no entry for Pashto, and its "fa" is Iran's Persian: here it is Dari.
        from django.conf.locale import LANG_INFO

        LANG_INFO["ps"] = {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"}
        LANG_INFO["fa"] = {**LANG_INFO["fa"], "name": "Dari", "name_local": "دری"}
        LANG_INFO["kk"] = {**LANG_INFO["kk"], "name_local": "Қазақша"}

        # Sign-ins, sign-outs and lockouts go to the security log.
        from committee.core import security_log

        security_log.connect()

        # Once per `migrate` (as the sender), after the models' tables.
        post_migrate.connect(create_cache_table, sender=self)

        # The seal on approved minutes: unusable when configured is an error at start;
        # missing is a warning of `check --deploy` (approval then stores unsealed PDFs).
        from django.core import checks

        from committee.core import sealing

        checks.register(sealing.check_seal_configuration)
        checks.register(sealing.check_seal_deployment, checks.Tags.security, deploy=True)
