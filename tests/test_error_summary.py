"""A refused form, on every form page of the portal: the error summary at the top lists each
error once, a field's error as a link to that field's input, the field keeps its own message
beside it (described by it, marked invalid), the form's own errors are shown once, and the
page's title starts with "Error:" (GOV.UK's error summary pattern)."""

import dataclasses
import datetime
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from committee.accounts import enrolment
from committee.agreements.services import pledge_update_post
from committee.core.templatetags.portal_forms import SummaryError, summary_errors
from committee.meetings import services
from committee.meetings.models import AgendaItem
from tests import factories
from tests.conftest import force_login

PASSWORD = "correct horse battery staple"  # tests/factories.UserFactory's

# --- Reading the page ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _TreeParser(HTMLParser):
    """The page as an ElementTree (the standard library's parser; our templates close
    their elements, so no repair is needed beyond the void ones)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.builder = ElementTree.TreeBuilder()
        self.open: list[str] = []
        self.builder.start("document", {})

    def handle_starttag(self, tag, attrs):
        self.builder.start(tag, {name: value or "" for name, value in attrs})
        if tag in VOID:
            self.builder.end(tag)
        else:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.builder.start(tag, {name: value or "" for name, value in attrs})
        self.builder.end(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.open:
            return
        while self.open:
            name = self.open.pop()
            self.builder.end(name)
            if name == tag:
                break

    def handle_data(self, data):
        self.builder.data(data)

    def tree(self) -> ElementTree.Element:
        while self.open:
            self.builder.end(self.open.pop())
        self.builder.end("document")
        return self.builder.close()


def parse(html: str) -> ElementTree.Element:
    parser = _TreeParser()
    parser.feed(html)
    parser.close()
    return parser.tree()


def text(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclasses.dataclass
class Shown:
    """What a refused form's page shows: the title, the summary's entries (text and link),
    and the whole text of the page."""

    title: str
    entries: list[tuple[str, str]]
    tree: ElementTree.Element
    page_text: str

    def by_id(self, element_id: str) -> ElementTree.Element | None:
        return next((e for e in self.tree.iter() if e.get("id") == element_id), None)


def shown(response) -> Shown:
    assert response.status_code == 200, response.status_code
    tree = parse(response.content.decode())
    summaries = [e for e in tree.iter() if "data-error-summary" in e.attrib]
    assert len(summaries) == 1, "one error summary"
    summary = summaries[0]
    # Focusable by the script, and read out: an alert that starts with its heading.
    assert summary.get("tabindex") == "-1"
    alert = next(e for e in summary.iter() if e.get("role") == "alert")
    assert text(next(alert.iter("h2"))) == "There is a problem"
    entries = []
    for item in summary.iter("li"):
        link = item.find("a")
        entries.append((text(item), link.get("href") if link is not None else ""))
    # At the top of the main content: below a breadcrumb at most, above the heading.
    before = []
    for element in next(tree.iter("main")).iter():
        if element is summary:
            break
        before.append(element.tag)
    assert not {"h1", "h2", "form", "section"} & set(before), before
    title = text(next(tree.iter("title")))
    return Shown(title, entries, tree, text(next(tree.iter("body"))))


def assert_each_error_once(page: Shown, *, field_errors: dict[str, list[str]], form_errors=()):
    """`field_errors`: the input id each link leads to, with the messages of that field;
    `form_errors`: the messages of the whole form (no link). The summary holds exactly these;
    each field message is shown once more beside its field, a form's message nowhere else."""
    assert page.title.startswith("Error: "), page.title
    linked = [(message, href) for message, href in page.entries if href]
    unlinked = [message for message, href in page.entries if not href]
    assert unlinked == list(form_errors)
    assert sorted(href.removeprefix("#") for _m, href in linked) == sorted(
        target for target, messages in field_errors.items() for _ in messages
    )
    for target, messages in field_errors.items():
        field = page.by_id(target)
        assert field is not None, f"#{target} is not on the page"
        assert field.tag in ("input", "select", "textarea"), field.tag
        assert "is-invalid" in field.get("class", "").split(), target
        assert field.get("aria-invalid") == "true", target
        # The message beside the field describes it (a group of radios: its fieldset).
        described = field.get("aria-describedby") or next(
            fs.get("aria-describedby", "")
            for fs in page.tree.iter("fieldset")
            if any(e is field for e in fs.iter())
        )
        description = " ".join(
            text(page.by_id(element_id))
            for element_id in described.split()
            if page.by_id(element_id) is not None
        )
        for message in messages:
            assert message in description, (target, message, description)
            label = next(m for m, href in linked if href == f"#{target}" and m.endswith(message))
            assert label.endswith(f": {message}")
    every_message = [m for messages in field_errors.values() for m in messages] + list(form_errors)
    for message in set(every_message):
        in_summary = sum(m.endswith(message) for m, _href in page.entries)
        beside = sum(message in ms for ms in field_errors.values())
        assert page.page_text.count(message) == in_summary + beside, message


def assert_no_summary(response):
    html = response.content.decode()
    assert "data-error-summary" not in html
    assert "<title>Error:" not in html


# --- The pledge update ----------------------------------------------------------------------------


def update_data(pledge, **overrides):
    return {
        "status": pledge.status,
        "progress": str(pledge.progress),
        "note": "",
        "submission_key": str(uuid.uuid4()),
        "pledge_version": str(pledge.version),
        **overrides,
    }


NOTHING_TO_REPORT = (
    "Nothing to report yet: write a note, change the status or progress, or attach a file."
)


def test_an_empty_pledge_update_says_so_once(client, world):
    """It said so twice: above the form and again in crispy's own list of the form's errors."""
    client.force_login(world.azizi)
    url = world.af_pledge.get_absolute_url()
    assert_no_summary(client.get(url))
    page = shown(client.post(url, update_data(world.af_pledge)))
    assert_each_error_once(page, field_errors={}, form_errors=[NOTHING_TO_REPORT])
    assert page.entries == [(NOTHING_TO_REPORT, "")]


def test_a_pledge_update_with_blank_and_wrong_fields(client, world):
    client.force_login(world.azizi)
    pledge = world.joint_pledge  # with an indicator: its value and period are fields too
    response = client.post(
        pledge.get_absolute_url(),
        update_data(
            pledge,
            status="",
            progress="",
            indicator_value="-3",
            period_start="someday",
            evidence=SimpleUploadedFile("setup.exe", b"MZ\x90\x00"),
        ),
    )
    page = shown(response)
    evidence = " ".join(response.context["form"].errors["evidence"])
    assert_each_error_once(
        page,
        field_errors={
            "id_status": ["This field is required."],
            "id_progress": ["This field is required."],
            "id_indicator_value": ["The value cannot be negative."],
            "id_period_start": ["Enter a valid date."],
            "id_evidence": [evidence],
        },
    )
    # In the order of the form, each named by its label.
    assert [m.split(":")[0] for m, _href in page.entries] == [
        "New status",
        "Progress (%)",
        "Annual bilateral trade (USD billion)",
        "Period from",
        "Evidence file",
    ]


def test_a_pledge_update_after_someone_elses_says_so_once(client, world):
    client.force_login(world.azizi)
    pledge = world.af_pledge
    data = update_data(pledge, note="Our report.")
    pledge_update_post(
        pledge=pledge,
        author=world.staff,
        status="at_risk",
        progress=pledge.progress,
        submission_key=uuid.uuid4(),
        pledge_version=pledge.version,
    )
    page = shown(client.post(pledge.get_absolute_url(), data))
    [(message, href)] = page.entries
    assert href == ""
    assert page.page_text.count(message) == 1


def test_a_missing_hidden_field_is_explained_without_a_link(client, world):
    client.force_login(world.azizi)
    data = update_data(world.af_pledge, note="Our report.")
    del data["pledge_version"]
    page = shown(client.post(world.af_pledge.get_absolute_url(), data))
    assert page.entries == [("The form was out of date or incomplete: open the page again.", "")]
    assert "This field is required." not in page.page_text


# --- Signing in, the second factor, passwords ---------------------------------------------------


def test_an_empty_sign_in(client, world):
    assert_no_summary(client.get(reverse("login")))
    page = shown(client.post(reverse("login"), {"username": "", "password": ""}))
    assert_each_error_once(
        page,
        field_errors={
            "id_username": ["This field is required."],
            "id_password": ["This field is required."],
        },
    )
    assert page.title == "Error: Sign in · Joint Committee Portal"


def test_a_wrong_password_at_sign_in_is_said_once(client, world):
    page = shown(client.post(reverse("login"), {"username": "azizi", "password": "wrong"}))
    [(message, _href)] = page.entries
    assert message.startswith("Please enter a correct username and password.")
    assert_each_error_once(page, field_errors={}, form_errors=[message])


@pytest.fixture
def staff_without_factor(client, world):
    client.force_login(world.staff)  # the password step only
    return world.staff


def test_a_malformed_second_factor_code(client, staff_without_factor):
    TOTPDevice.objects.create(user=staff_without_factor, name="Phone", confirmed=True)
    assert_no_summary(client.get(reverse("otp_verify")))
    page = shown(client.post(reverse("otp_verify"), {"code": "12"}))
    assert_each_error_once(page, field_errors={"id_code": ["Enter the six digits the app shows."]})


def test_a_malformed_recovery_code(client, staff_without_factor):
    enrolment.make_recovery_codes(staff_without_factor)
    assert_no_summary(client.get(reverse("otp_verify")))
    page = shown(client.post(reverse("otp_verify"), {"code": "abc", "with": "recovery"}))
    assert_each_error_once(
        page, field_errors={"id_code": ["A recovery code has eight letters and digits."]}
    )


def test_a_wrong_code_while_setting_up_the_app(client, staff_without_factor):
    colleague = factories.UserFactory(username="chief", is_staff=True)
    token = enrolment.issue_link(staff_without_factor, issued_by=colleague)
    client.get(reverse("otp_enrol_link", args=[token]))
    assert_no_summary(client.get(reverse("otp_enrol")))
    page = shown(client.post(reverse("otp_enrol"), {"code": ""}))
    assert_each_error_once(page, field_errors={"id_code": ["This field is required."]})


def test_a_refused_password_change(client, world):
    client.force_login(world.azizi)
    url = reverse("password_change")
    assert_no_summary(client.get(url))
    response = client.post(
        url, {"old_password": "wrong", "new_password1": "1234", "new_password2": "1234"}
    )
    page = shown(response)
    errors = response.context["form"].errors
    assert len(errors["new_password2"]) > 1  # several rules broken: each its own line
    assert_each_error_once(
        page,
        field_errors={
            "id_old_password": list(errors["old_password"]),
            "id_new_password2": list(errors["new_password2"]),
        },
    )
    assert page.title.startswith("Error: Change your password · ")


def test_a_malformed_address_to_reset_a_password(client, world):
    url = reverse("password_reset")
    assert_no_summary(client.get(url))
    page = shown(client.post(url, {"email": "not an address"}))
    assert_each_error_once(page, field_errors={"id_email": ["Enter a valid email address."]})


def test_two_different_new_passwords_after_a_reset(client, world):
    uid = urlsafe_base64_encode(force_bytes(world.azizi.pk))
    token = default_token_generator.make_token(world.azizi)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]
    assert_no_summary(client.get(form_url))
    response = client.post(
        form_url, {"new_password1": "kabul-almaty-2026-a", "new_password2": "kabul-almaty-2026-b"}
    )
    page = shown(response)
    assert_each_error_once(
        page,
        field_errors={"id_new_password2": list(response.context["form"].errors["new_password2"])},
    )


def test_the_mail_settings_cannot_fail_and_show_no_summary(client, world):
    client.force_login(world.azizi)
    url = reverse("notifications:settings")
    assert_no_summary(client.get(url))
    assert_no_summary(client.post(url, {"reminders": "on", "whatever": "x"}, follow=True))


# --- The minutes: comments, answers, the workflow's confirmation pages -------------------------


@pytest.fixture
def session(world):
    held = timezone.now() - datetime.timedelta(days=3)
    meeting = factories.MeetingFactory(
        committee=world.committee,
        number=1,
        starts_at=held,
        ends_at=held + datetime.timedelta(hours=8),
    )
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Trade", decision="Agreed.")
    factories.AttendanceFactory(meeting=meeting, member=world.azizi.memberships.get())
    factories.MinutesFactory(meeting=meeting)
    return meeting


@pytest.fixture
def heads(session):
    return factories.name_heads_of_delegation(session)


@pytest.fixture
def circulated(session, heads, world):
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    session.minutes.refresh_from_db()
    return session


def comments_url(meeting) -> str:
    return reverse("meetings:minutes_comments", args=[meeting.pk])


def test_an_empty_comment_on_the_minutes(client, world, circulated):
    client.force_login(world.azizi)
    url = comments_url(circulated)
    assert_no_summary(client.get(url))
    page = shown(client.post(url, {"agenda_item": "0", "text": " "}))
    assert_each_error_once(
        page,
        field_errors={
            "id_agenda_item": ["Select a valid choice. 0 is not one of the available choices."],
            "id_text": ["Write the comment."],
        },
    )
    assert page.title.startswith("Error: Comments on the minutes · ")


def test_an_answer_without_a_choice_links_to_its_first_radio_button(client, world, circulated):
    remark = services.minutes_comment(minutes=circulated.minutes, user=world.azizi, text="Hm.")
    services.minutes_comment(minutes=circulated.minutes, user=world.torebayev, text="Another.")
    force_login(client, world.staff)
    url = reverse("meetings:minutes_comment_answer", args=[circulated.pk, remark.pk])
    page = shown(client.post(url, {f"answer-{remark.pk}-answer_reason": "Why?"}))
    assert_each_error_once(
        page, field_errors={f"id_answer-{remark.pk}-answer_0": ["Choose an answer."]}
    )
    assert page.by_id(f"id_answer-{remark.pk}-answer_0").get("type") == "radio"


def test_a_service_refusal_of_an_answer_is_shown_by_its_field(client, world, circulated):
    remark = services.minutes_comment(minutes=circulated.minutes, user=world.azizi, text="Hm.")
    force_login(client, world.staff)
    url = reverse("meetings:minutes_comment_answer", args=[circulated.pk, remark.pk])
    page = shown(client.post(url, {f"answer-{remark.pk}-answer": "declined"}))
    assert_each_error_once(
        page,
        field_errors={
            f"id_answer-{remark.pk}-answer_reason": [
                "Give the reason when a comment is declined or accepted with changes."
            ]
        },
    )


def seen(client, url) -> str:
    return client.get(url).context["form"]["seen"].value()


def test_a_past_deadline_when_circulating(client, world, session):
    force_login(client, world.staff)
    url = reverse("meetings:minutes_circulate", args=[session.pk])
    assert_no_summary(client.get(url))
    page = shown(client.post(url, {"seen": seen(client, url), "comment_deadline": "2020-01-01"}))
    assert_each_error_once(
        page,
        field_errors={"id_comment_deadline": ["The deadline for comments must be in the future."]},
    )


def test_a_stale_page_when_circulating_says_so_once(client, world, session):
    force_login(client, world.staff)
    url = reverse("meetings:minutes_circulate", args=[session.pk])
    digest = seen(client, url)
    AgendaItem.objects.filter(meeting=session).update(decision_en="Agreed, with a change.")
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    page = shown(client.post(url, {"seen": digest, "comment_deadline": deadline}))
    [(message, _href)] = page.entries
    assert "changed after this page was shown" in message
    assert_each_error_once(page, field_errors={}, form_errors=[message])


def test_a_wrong_password_when_approving(client, world, circulated, heads):
    force_login(client, heads[world.af.pk].user)
    url = reverse("meetings:minutes_approve", args=[circulated.pk])
    assert_no_summary(client.get(url))
    page = shown(client.post(url, {"seen": seen(client, url), "password": "guess"}))
    assert_each_error_once(page, field_errors={"id_password": ["This is not your password."]})


def test_an_empty_signature_record(client, world, circulated):
    force_login(client, world.staff)
    url = reverse("meetings:minutes_sign", args=[circulated.pk])
    assert_no_summary(client.get(url))
    page = shown(client.post(url, {"seen": seen(client, url), "party": "0"}))
    assert_each_error_once(
        page,
        field_errors={
            "id_party": ["Select a valid choice. 0 is not one of the available choices."],
            "id_signed_on": ["This field is required."],
            "id_signed_at": ["This field is required."],
            "id_scan": ["This field is required."],
        },
    )


def test_a_reopen_without_a_reason(client, world, session):
    factories.approve_minutes(session.minutes, world.staff)
    force_login(client, world.staff)
    url = reverse("meetings:minutes_reopen", args=[session.pk])
    assert_no_summary(client.get(url))
    page = shown(client.post(url, {"seen": seen(client, url), "reason": ""}))
    assert_each_error_once(page, field_errors={"id_reason": ["This field is required."]})


# --- Verifying a PDF, the tracker's and the report's filters -----------------------------------


def test_a_file_that_is_no_pdf_on_the_verify_page(client, world):
    client.force_login(world.observer)
    url = reverse("verify")
    assert_no_summary(client.get(url))
    response = client.post(url, {"file": SimpleUploadedFile("notes.txt", b"hello")})
    page = shown(response)
    assert_each_error_once(
        page, field_errors={"id_file": list(response.context["form"].errors["file"])}
    )


@pytest.mark.parametrize("url", ["/pledges/", "/reports/implementation/"])
def test_a_filter_that_no_longer_exists(client, world, url):
    """A bookmark of a sector since removed, or a status spelt wrong by hand."""
    client.force_login(world.azizi)
    assert_no_summary(client.get(url))
    assert_no_summary(client.get(url, {"status": "completed"}))
    page = shown(client.get(url, {"sector": "999999", "status": "finished"}))
    assert_each_error_once(
        page,
        field_errors={
            "id_sector": [
                "Select a valid choice. That choice is not one of the available choices."
            ],
            "id_status_0": ["Select a valid choice. finished is not one of the available choices."],
        },
    )


# --- The summary itself -------------------------------------------------------------------------


class Person(forms.Form):
    name = forms.CharField()
    colour = forms.ChoiceField(choices=[("red", "Red")], widget=forms.RadioSelect)
    when = forms.SplitDateTimeField()


class People(forms.BaseFormSet):
    def clean(self):
        raise forms.ValidationError("Two people at most.")


def test_formsets_forms_and_nothing_are_summarised_in_order_each_error_once():
    formset = forms.formset_factory(Person, formset=People, extra=0)(
        # The second person is left blank: an extra form of a formset may stay empty.
        {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-name": "Ann"}
    )
    alone = Person({"alone-name": "Bea", "alone-colour": "blue"}, prefix="alone")
    unbound = Person()
    assert summary_errors(None, "", unbound) == []
    errors = summary_errors(formset, alone, alone, None)
    required = "This field is required."
    assert errors == [
        SummaryError("Two people at most."),
        SummaryError(required, "Colour", "id_form-0-colour_0"),
        SummaryError(required, "When", "id_form-0-when_0"),
        SummaryError(
            "Select a valid choice. blue is not one of the available choices.",
            "Colour",
            "id_alone-colour_0",
        ),
        SummaryError(required, "When", "id_alone-when_0"),
    ]


def test_every_template_that_renders_a_form_has_the_summary():
    """crispy-forms no longer shows a form's own errors above it (templates/bootstrap5/
    errors.html): a page that renders a form without the summary would lose them."""
    templates = Path(settings.BASE_DIR) / "templates"
    renders_a_form = re.compile(r"\|crispy\b|{%\s*crispy\b|_pledge_filter_form\.html")
    found = []
    # A part a view keeps rendered (committee/core/freshness.py) holds nothing per request:
    # the page it goes into has the summary.
    pages_of_parts = {
        "agreements/_pledge_list_part.html": "agreements/pledge_list.html",
        "agreements/_pledge_form_part.html": "agreements/pledge_detail.html",
        "meetings/_verify_form_part.html": "meetings/verify.html",
    }
    for template in sorted(templates.rglob("*.html")):
        source = template.read_text()
        if renders_a_form.search(source) and "_pledge_filter_form" not in template.name:
            name = template.relative_to(templates).as_posix()
            found.append(name)
            page = templates / pages_of_parts.get(name, name)
            assert "{% error_summary " in page.read_text(), template
    assert "agreements/pledge_detail.html" in found
    assert "registration/_form_page.html" in found
    assert "agreements/implementation_report.html" in found
    assert set(pages_of_parts) <= set(found)
