"""The forms of the minutes workflow and of the negotiation of the minutes.

Each confirmation form carries `seen`, the digest of the texts its page showed
(record.current_digest): the service refuses the step when the texts changed after the page
was shown.

A delegation's comment and the secretariat's answer read what was typed (their fields clean
it: committee/core/text.py); services.minutes_comment and services.comment_answer decide, and
the ValidationErrors they raise are shown by the field they name (add_service_errors).
"""

import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.core import uploads
from committee.core.text import MultiLineFormField, OneLineFormField
from committee.meetings.models import AgendaItem, MinutesComment

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

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        """Checked as a sign-in is (django-axes counts a wrong password and locks out after
        too many), so this page is no way around the sign-in's limit on guessing."""
        password = self.cleaned_data["password"]
        user = self.request.user
        # Locked out, authenticate() answers None and django-axes' middleware shows its
        # lockout page (429) instead of this form.
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("This is not your password."), code="password")
        return password


class SignatureForm(WorkflowForm):
    party = forms.ChoiceField(label=_("Delegation"))
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signed_at = OneLineFormField(label=_("Signed at (place)"), max_length=100)
    scan = forms.FileField(
        label=_("Scan of the signed page"),
        help_text=_("A PDF or a photograph (PNG, JPEG) of the page with the signature."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in SCAN_EXTENSIONS)}
        ),
    )

    def __init__(self, *args, parties, meeting, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(str(party.pk), party.name) for party in parties]

    def clean_signed_on(self) -> datetime.date:
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("The date of signature cannot be in the future."))
        if day < self.meeting.starts_at.astimezone(self.meeting.zone).date():
            raise forms.ValidationError(
                _("The minutes cannot have been signed before the session began.")
            )
        return day

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        uploads.validate_upload(scan)
        extension = uploads.clean_filename(scan.name).rsplit(".", 1)[-1].lower()
        if extension not in SCAN_EXTENSIONS:
            raise forms.ValidationError(_("Send the scan as a PDF, PNG or JPEG file."))
        return scan


class ReopenForm(WorkflowForm):
    reason = MultiLineFormField(
        label=_("Reason for re-opening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with your name; the delegations see it on the meeting page."),
    )


# A comment is a paragraph or a proposed wording, not a document: some printed pages at most.
TEXT_MAX_LENGTH = 10_000
WHOLE = ""  # the agenda item "chosen" for a comment on the minutes as a whole


class MinutesCommentForm(forms.Form):
    """A comment on the circulated minutes: on one agenda item or on the whole, optionally
    on a paragraph. The agenda is passed in, already read, so the form costs no query."""

    agenda_item = forms.ChoiceField(label=_("Agenda item"), required=False)
    paragraph = OneLineFormField(
        label=_("Paragraph"),
        required=False,
        max_length=MinutesComment._meta.get_field("paragraph").max_length,
        help_text=_("Optional, e.g. 3.2"),
    )
    text = MultiLineFormField(
        label=_("Comment"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the comment.")},
    )

    # The version the writer read: a comment is refused once a newer one is circulated.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, items: list[AgendaItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["agenda_item"].choices = [
            (WHOLE, _("The minutes as a whole")),
            *((pk, str(item)) for pk, item in self.items.items()),
        ]
        self.fields["paragraph"].widget.attrs.update({"autocomplete": "off", "dir": "auto"})
        self.fields["text"].widget.attrs["dir"] = "auto"

    def clean_agenda_item(self) -> AgendaItem | None:
        return self.items.get(self.cleaned_data["agenda_item"])


class CommentAnswerForm(forms.Form):
    """The secretariat's answer to one comment (a page holds one per comment: prefix them)."""

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=MinutesComment.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer.")},
    )
    answer_reason = MultiLineFormField(
        label=_("Reason"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Needed when the comment is declined or accepted with changes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has its token
        self.helper.layout = Layout(InlineRadios("answer"), Field("answer_reason"))


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: by the field it names, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
