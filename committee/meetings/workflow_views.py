"""The steps of the minutes workflow, each on a page that says what will happen, who will see
it and what is missing, before it is confirmed: circulate (or re-circulate), approve for a
delegation (its head, with the password), record a signature on paper (the secretariat, with
the scan), re-open (the secretariat, with a reason)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from committee.core.downloads import attachment_response
from committee.core.http import client_ip
from committee.core.security_log import log_event
from committee.meetings import forms, record, services
from committee.meetings.models import Minutes, MinutesApproval
from committee.meetings.views import get_minutes_for_user
from committee.members import rules


def _staff_minutes(request: HttpRequest, pk: int) -> Minutes:
    if not rules.can_edit_records(request.user):
        raise PermissionDenied(_("Only the secretariat moves minutes through their workflow."))
    return get_minutes_for_user(request, pk)


def _confirm_page(request, state: dict, *, step: str, form, **extra) -> HttpResponse:
    """`state`: record.workflow_state(), read once by the view (its digest is the form's)."""
    minutes = state["minutes"]
    context = {**state, "step": step, "form": form, **extra}
    context["may_edit"] = rules.can_edit_records(request.user)
    context["now"] = timezone.now()
    context["one_language_changes"] = (
        record.changed_in_some_languages(minutes, state["circulation"], state["texts"])
        if step == "circulate" and minutes.is_circulated
        else []
    )
    context["show_gaps"] = step != "reopen" and bool(
        context["one_language_changes"]
        or context["missing_texts"]
        or context["heads_missing"]
        or (context["unanswered_count"] and context["may_edit"])
        or (context["unsent_changes"] and step != "circulate")
    )
    return render(request, "meetings/minutes_confirm.html", context)


@require_http_methods(["GET", "POST"])
def minutes_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _staff_minutes(request, pk)
    meeting = minutes.meeting
    if minutes.is_approved:
        messages.error(request, _("Approved minutes are re-opened before they change."))
        return redirect(meeting)
    state = record.workflow_state(minutes)
    data = request.POST if request.method == "POST" else None
    initial_day = timezone.localdate(timezone.now() + services.COMMENT_PERIOD, meeting.zone)
    form = forms.CirculateForm(
        data, meeting=meeting, initial={"seen": state["seen"], "comment_deadline": initial_day}
    )
    if data is not None and form.is_valid():
        try:
            circulation = services.minutes_circulate(
                minutes=minutes,
                user=request.user,
                seen=form.cleaned_data["seen"],
                comment_deadline=form.cleaned_data["comment_deadline"],
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s of the minutes is circulated to the delegations.")
                % {"number": circulation.number},
            )
            return redirect(meeting)
    return _confirm_page(request, state, step="circulate", form=form)


@require_http_methods(["GET", "POST"])
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_minutes_for_user(request, pk)
    meeting = minutes.meeting
    heads = record.heads_of_delegation(meeting)
    head = rules.head_of_delegation(request.user, heads)
    if head is None:
        raise PermissionDenied(
            _("Only a head of delegation named on the session approves its minutes.")
        )
    if not minutes.is_circulated:
        messages.error(request, _("Only circulated minutes are approved."))
        return redirect(meeting)
    state = record.workflow_state(minutes, heads=heads)
    data = request.POST if request.method == "POST" else None
    form = forms.ApproveForm(data, request=request, initial={"seen": state["seen"]})
    if data is not None:
        if form.is_valid():
            try:
                services.minutes_approve(
                    minutes=minutes,
                    user=request.user,
                    seen=form.cleaned_data["seen"],
                    client_ip=client_ip(request),
                )
            except ValidationError as error:
                forms.add_service_errors(form, error)
            else:
                minutes.refresh_from_db()
                if minutes.is_approved:
                    messages.success(
                        request, _("Every delegation has approved: the minutes are approved.")
                    )
                else:
                    messages.success(
                        request,
                        _("Your approval for %(party)s is recorded.") % {"party": head.party},
                    )
                return redirect(meeting)
        elif "password" in form.errors:
            log_event("minutes.approval_password_refused", user=request.user, minutes=minutes.pk)
    return _confirm_page(request, state, step="approve", form=form, head=head)


@require_http_methods(["GET", "POST"])
def minutes_sign(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _staff_minutes(request, pk)
    meeting = minutes.meeting
    if not minutes.is_circulated:
        messages.error(request, _("Only circulated minutes are approved."))
        return redirect(meeting)
    state = record.workflow_state(minutes)
    pending = [
        row["party"]
        for row in state["delegations"]
        if row["party"].pk not in state["approved_parties"]
    ]
    data = request.POST if request.method == "POST" else None
    form = forms.SignatureForm(
        data,
        request.FILES if data is not None else None,
        parties=pending,
        meeting=meeting,
        initial={
            "seen": state["seen"],
            "signed_on": minutes.done_on or meeting.ends_at.astimezone(meeting.zone).date(),
            "signed_at": minutes.done_at or meeting.city,
        },
    )
    if data is not None and form.is_valid():
        party = next(p for p in pending if str(p.pk) == form.cleaned_data["party"])
        try:
            services.minutes_record_signature(
                minutes=minutes,
                user=request.user,
                party=party,
                signed_on=form.cleaned_data["signed_on"],
                signed_at=form.cleaned_data["signed_at"],
                scan=form.cleaned_data["scan"],
                seen=form.cleaned_data["seen"],
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request, _("The signature for %(party)s is recorded.") % {"party": party}
            )
            return redirect(meeting)
    return _confirm_page(request, state, step="sign", form=form)


@require_http_methods(["GET", "POST"])
def minutes_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = _staff_minutes(request, pk)
    meeting = minutes.meeting
    if not minutes.is_approved:
        messages.error(request, _("Only approved minutes can be re-opened."))
        return redirect(meeting)
    state = record.workflow_state(minutes)
    data = request.POST if request.method == "POST" else None
    form = forms.ReopenForm(data, initial={"seen": state["seen"]})
    if data is not None and form.is_valid():
        try:
            services.minutes_reopen(
                minutes=minutes,
                user=request.user,
                reason=form.cleaned_data["reason"],
                seen=form.cleaned_data["seen"],
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.warning(request, _("The minutes are re-opened; the re-opening is recorded."))
            return redirect(meeting)
    return _confirm_page(request, state, step="reopen", form=form)


@require_GET
def minutes_scan(request: HttpRequest, pk: int, approval_pk: int) -> HttpResponse:
    """The scan of a page signed on paper, to whoever may read the minutes."""
    minutes = get_minutes_for_user(request, pk)
    approval = get_object_or_404(
        MinutesApproval.objects.exclude(scan=""), pk=approval_pk, minutes=minutes
    )
    extension = approval.scan.name.rsplit(".", 1)[-1]
    filename = f"minutes-{minutes.meeting.number}-signed-{approval.party_id}.{extension}"
    return attachment_response(
        request, approval.scan, filename, kind="signature_scan", minutes=minutes.pk
    )


@require_POST
def approval_withdraw(request: HttpRequest, pk: int, approval_pk: int) -> HttpResponse:
    minutes = get_minutes_for_user(request, pk)
    approval = get_object_or_404(
        MinutesApproval.objects.select_related("signatory", "minutes"),
        pk=approval_pk,
        minutes=minutes,
    )
    try:
        services.approval_withdraw(approval=approval, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.warning(
            request, _("The approval for %(party)s is withdrawn.") % {"party": approval.party}
        )
    return redirect(minutes.meeting)
