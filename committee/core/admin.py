"""The PDFs the worker makes, for the secretariat to read: what is waiting, what failed and
why. Nothing is typed in here: renderings are asked for on the portal's pages (a failed
sealed record from its meeting's page, a report from the report's)."""

from django.contrib import admin

from committee.core.admin_helpers import ViewOnlyAdmin
from committee.core.models import Rendering


@admin.register(Rendering)
class RenderingAdmin(ViewOnlyAdmin):
    list_display = ("requested_at", "kind", "status", "requested_by", "finished_at", "attempts")
    list_filter = ("status", "kind")
    list_select_related = ("requested_by",)  # the list names who asked, in one query
    search_fields = ("key", "error", "filename")
    date_hierarchy = "requested_at"
    fields = (
        "kind",
        "key",
        "status",
        "error",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "attempts",
        "filename",
        "size",
        "sha256",
        "params",
    )
    readonly_fields = fields
