import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from committee.agreements.models import Pledge, PledgeUpdate
from committee.core import uploads, versioning

# A note says what happened since the last update; the report itself is the evidence file.
# Ten thousand characters are three or four printed pages.
NOTE_MAX_LENGTH = 10_000


class PledgeUpdateForm(forms.ModelForm):
    """A follow-up report. Status and progress start at the pledge's current values.

    pledge_version is the pledge's version when the form was shown: an update posted after
    someone else's is refused with what changed (PledgeChanged), rather than overwriting the
    status and progress it did not see.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    pledge_version = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = PledgeUpdate
        fields = PledgeUpdate.REPORTED_FIELDS
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 4}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "evidence": forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
        }
        help_texts = {
            "note": _("What happened since the last update, and what comes next."),
        }

    def __init__(self, *args, pledge: Pledge, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": pledge.status,
                "progress": pledge.progress,
                "submission_key": uuid.uuid4(),
                "pledge_version": pledge.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.pledge = pledge
        note = self.fields["note"]
        note.max_length = NOTE_MAX_LENGTH
        note.validators.append(MaxLengthValidator(NOTE_MAX_LENGTH))
        note.widget.attrs["maxlength"] = str(NOTE_MAX_LENGTH)
        # Files are stored under random names, their own name kept apart, cleaned and cut to
        # 200 characters (committee/core/uploads.py): a long name is no reason to refuse a report.
        self.fields["evidence"].max_length = None
        if pledge.has_indicator:
            self.fields["indicator_value"].label = _("%(indicator)s (%(unit)s)") % {
                "indicator": pledge.indicator,
                "unit": pledge.indicator_unit,
            }
            self.fields["indicator_value"].widget.attrs.update({"min": 0, "step": "any"})
            indicator_fields = [
                Div(
                    Div(Field("indicator_value"), css_class="col-md-4"),
                    Div(Field("period_start"), css_class="col-md-4"),
                    Div(Field("period_end"), css_class="col-md-4"),
                    css_class="row",
                )
            ]
        else:
            for name in ("indicator_value", "period_start", "period_end"):
                del self.fields[name]
            indicator_fields = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has its token
        self.helper.layout = Layout(
            Div(
                Div(Field("status"), css_class="col-md-6"),
                Div(Field("progress"), css_class="col-md-6"),
                css_class="row",
            ),
            *indicator_fields,
            Field("note"),
            Field("evidence"),
            # submission_key, new at every request, is the page's own (pledge_detail.html).
            Field("pledge_version"),
            Submit("submit", _("Post update")),
        )

    def clean_pledge_version(self) -> int:
        number = versioning.version_number(self.cleaned_data["pledge_version"])
        if number is None:
            raise forms.ValidationError(versioning.MISSING_VERSION, code="version_missing")
        return number

    def changed_meanwhile(self, current: Pledge, *, since: int) -> None:
        """The pledge moved on after the form was shown: say how and by whom, keep the input,
        and take the current version, so that posting again after reading goes through."""
        self.add_error(None, versioning.conflict_error(current, since=since))
        self.data = self.data.copy()
        self.data["pledge_version"] = current.version

    def clean_indicator_value(self):
        value = self.cleaned_data.get("indicator_value")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The value cannot be negative."))
        return value

    def clean(self):
        cleaned = super().clean()
        status, progress = cleaned.get("status"), cleaned.get("progress")
        if status == Pledge.Status.COMPLETED and progress is not None and progress < 100:
            self.add_error("progress", _("A completed pledge is at 100 %."))
        changed_something = (
            status != self.pledge.status
            or progress != self.pledge.progress
            or cleaned.get("note", "").strip()
            or cleaned.get("evidence")
            or cleaned.get("indicator_value") is not None
        )
        if not self.errors and not changed_something:
            raise forms.ValidationError(
                _(
                    "Nothing to report yet: write a note, change the status or progress, "
                    "or attach a file."
                )
            )
        return cleaned
