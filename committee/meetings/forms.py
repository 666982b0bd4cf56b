"""The confirmation forms of the minutes workflow.

Each carries `seen`, the digest of the texts its page showed (record.current_digest): the
service refuses the step when the texts changed after the page was shown.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.core import uploads

SCAN_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")


class WorkflowForm(forms.Form):
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CirculateForm(WorkflowForm):
    comment_deadline = forms.DateField(
        label=_("Comments until (inclusive)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Delegations can comment until the end of this day, at the venue's time."),
    )

    def __init__(self, *args, meeting, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)

    def clean_comment_deadline(self) -> datetime.datetime:
        day = self.cleaned_data["comment_deadline"]
        end_of_day = datetime.datetime.combine(day, datetime.time(23, 59, 59), self.meeting.zone)
        if end_of_day <= timezone.now():
            raise forms.ValidationError(_("The deadline for comments must be in the future."))
        return end_of_day


class ApproveForm(WorkflowForm):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Type your password again to confirm that you approve."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="password")
        return password


class SignatureForm(WorkflowForm):
    party = forms.ChoiceField(label=_("Delegation"))
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_at = forms.CharField(label=_("Signed at (place)"), max_length=100)
    scan = forms.FileField(
        label=_("Scan of the signed page"),
        help_text=_("A PDF or a photograph (PNG, JPEG) of the page with the signature."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in SCAN_EXTENSIONS)}
        ),
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(str(party.pk), party.name) for party in parties]

    def clean_signed_on(self) -> datetime.date:
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("The date of signature cannot be in the future."))
        return day

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        uploads.validate_upload(scan)
        extension = uploads.clean_filename(scan.name).rsplit(".", 1)[-1].lower()
        if extension not in SCAN_EXTENSIONS:
            raise forms.ValidationError(_("Send the scan as a PDF, PNG or JPEG file."))
        return scan


class ReopenForm(WorkflowForm):
    reason = forms.CharField(
        label=_("Reason for re-opening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with your name; the delegations see it on the meeting page."),
    )
