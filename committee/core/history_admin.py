"""The history in the admin: every event of every tracked model, with who, when and what.

pghistory's admin app registers this class for its MiddlewareEvents (settings.PGHISTORY_*),
and adds an "Events" link to the change page of each tracked record, which lists that
record's events. The changes column reads as the pledge page does: field labels, choice
labels and the names of related records, instead of pghistory's raw JSON diff.
"""

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from pghistory.admin import EventsAdmin

from committee.core import history


def _tracked_model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _differences(event):
    """(field, old, new) of an event's pgh_diff, typed as the model's fields read them."""
    model = _tracked_model(event.pgh_obj_model)
    if model is None or not event.pgh_diff:
        return []
    fields = {field.column: field for field in history.shown_fields(model)}
    return [
        (field, field.to_python(old), field.to_python(new))
        for column, (old, new) in sorted(event.pgh_diff.items())
        if (field := fields.get(column)) is not None
    ]


class HistoryAdmin(EventsAdmin):
    list_display = ("pgh_created_at", "record", "pgh_label", "changes", "user", "url")
    list_display_links = None
    list_select_related = ("user",)

    def get_list_display(self, request):
        return self.list_display  # not pghistory's setting-driven columns

    def changelist_view(self, request, extra_context=None):
        # pghistory's own view reads the filtered record for its subtitle and fails when the
        # record was deleted, while its history is still worth reading; and it links "Back"
        # to any address it is given, where only one of this site is taken here.
        extra_context = {
            "title": capfirst(self.model._meta.verbose_name_plural),
            **(extra_context or {}),
        }
        back = request.GET.get("back", "")
        if back.startswith("/") and not back.startswith("//"):
            extra_context["pgh_back"] = back
        label, _colon, pk = request.GET.get("obj", "").partition(":")
        model = _tracked_model(label) if pk else None
        if model is not None:
            try:
                extra_context["subtitle"] = str(model._base_manager.get(pk=pk))
            except (ObjectDoesNotExist, ValueError):
                extra_context["subtitle"] = _("%(record)s #%(pk)s (deleted)") % {
                    "record": model._meta.verbose_name,
                    "pk": pk,
                }
        response = admin.ModelAdmin.changelist_view(self, request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # The related records that the changes on this page name are looked up together.
            events = list(changelist.result_list)
            described = history.describe(_differences(event) for event in events)
            for event, changes in zip(events, described, strict=True):
                event.readable_changes = changes
        return response

    @admin.display(description=_("record"))
    def record(self, event):
        model = _tracked_model(event.pgh_obj_model)
        name = model._meta.verbose_name if model else event.pgh_obj_model
        return f"{name} #{event.pgh_obj_id}"

    @admin.display(description=_("changes"))
    def changes(self, event):
        return "; ".join(
            f"{change.field}: {change.old} {history.arrow()} {change.new}"
            for change in getattr(event, "readable_changes", [])
        )
