"""Text that lies about itself (committee/core/text.py): an invisible override, embedding or
isolate turns the text around it, a control character prints as a box, a line break splits
a title. What a person types is cleaned, in the portal's forms, the admin and the sign-in
form; a program is refused, by full_clean() with the field's message and by the database.

Dari and Pashto keep what is spelling: the zero-width non-joiner (U+200C, nim-fasele) and
joiner, and the direction marks some Persian keyboards type (U+200E, U+200F, U+061C).
"""

import datetime
import importlib
import io
import pkgutil
import re

import pypdf
import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.db.models import Q
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Event

import committee
from committee.core.text import (
    MULTI_LINE_FORBIDDEN,
    ONE_LINE_FORBIDDEN,
    MultiLineField,
    MultiLineFormField,
    OneLineField,
    OneLineFormField,
    plain_text,
    validate_multi_line,
    validate_one_line,
)
from committee.meetings import printing, services
from committee.meetings.models import MinutesApproval, MinutesComment, MinutesReopening
from committee.members.models import User
from tests import factories
from tests.conftest import force_login

# "Spelling" with a nim-fasele, as Dari writes it; and the marks a Persian keyboard types.
DARI = "نیم\u200cفاصله و تجارت"
MARKS = "\u200f\u200e\u061c\u200d"
REVERSED = "\u202e"  # RIGHT-TO-LEFT OVERRIDE

# The apps whose texts people type; core and notifications write their own (renderings, mails).
TYPED_APPS = ("members", "meetings", "agreements")

# Text fields of the record that are not typed text, and why.
NOT_TYPED_TEXT = {
    "members.User.username": "Django's: its validator allows letters, digits and @.+-_ only",
    "members.User.password": "a hash, never shown",
    "members.CalendarToken.token_hash": "a SHA-256 in hex, checked by its constraint",
    "meetings.Minutes.pdf_sha256": "a SHA-256 in hex, checked by its constraint",
    "meetings.MinutesReopening.previous_pdf_sha256": "a SHA-256 in hex, written by the portal",
    "meetings.MinutesCirculation.digest": "a SHA-256 in hex, checked by its constraint",
    "agreements.Agreement.document_sha256": "a SHA-256 in hex, checked by its constraint",
}


# --- Cleaning and refusing --------------------------------------------------------------------


def test_overrides_embeddings_and_isolates_are_removed_and_dari_spelling_stays():
    typed = f"invoice{REVERSED}fdp.exe \u202aa\u202c \u2066b\u2069 \u202bc\u202c \u2067d\u2068e"
    typed += f" {DARI}{MARKS}"
    assert plain_text(typed) == f"invoicefdp.exe a b c de {DARI}{MARKS}"


def test_a_multi_line_text_keeps_its_lines_and_tabs_with_one_kind_of_line_break():
    typed = "a\r\nb\rc\x0bd\x0ce\x85f\u2028g\u2029h\ti\x07\x1b[0m"
    assert MultiLineFormField().clean(typed) == "a\nb\nc\nd\ne\nf\ng\nh\ti[0m"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Trade and\r\ntransit", "Trade and transit"),
        ("Trade  \n\n  and\ttransit\n", "Trade and transit"),
        (f"  {REVERSED}Khorgos\u2028port ", "Khorgos port"),
        (f"{DARI}{MARKS}", f"{DARI}{MARKS}"),
    ],
)
def test_a_single_line_holds_no_line_break_tab_or_control(typed, kept):
    assert OneLineFormField().clean(typed) == kept


@pytest.mark.parametrize("field", [OneLineFormField(), MultiLineFormField()])
def test_nul_is_refused_not_removed(field):
    with pytest.raises(ValidationError, match="Null characters are not allowed"):
        field.clean("Sent\x00")


@pytest.mark.django_db
def test_full_clean_refuses_what_a_form_would_clean_with_a_message_by_the_field():
    item = factories.AgendaItemFactory.build(
        meeting=None, title_en="Railways", title_fa=f"راه آهن {REVERSED}Termez", position=1
    )
    with pytest.raises(ValidationError) as refused:
        item.full_clean(exclude=["meeting"])
    assert refused.value.message_dict["title_fa"] == [
        "This text contains an invisible character that changes the direction of the text "
        "around it (U+202E); remove it."
    ]


@pytest.mark.parametrize(
    ("validate", "value", "message"),
    [
        (validate_one_line, "Trade\r\nand transit", "single line; remove the line break"),
        (validate_one_line, "Trade\tand transit", "control character (U+0009)"),
        (validate_one_line, "\u2066Azizi\u2069", "(U+2066, U+2069); remove it"),
        (validate_multi_line, "First\x0bsecond", "control character (U+000B)"),
        (validate_multi_line, "First\u2029second", "control character (U+2029)"),
    ],
)
def test_each_refusal_names_the_characters(validate, value, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        validate(value)


@pytest.mark.parametrize(
    ("validate", "value"),
    [
        (validate_one_line, f"{DARI}{MARKS}"),
        (validate_multi_line, f"{DARI}\r\n\t{MARKS}\nend"),  # a CR typed before forms cleaned
    ],
)
def test_what_is_spelling_passes(validate, value):
    validate(value)


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", [ONE_LINE_FORBIDDEN, MULTI_LINE_FORBIDDEN])
def test_python_and_postgresql_read_the_rule_alike(pattern):
    """The database's constraints and the fields' validators share one expression."""
    characters = [chr(code) for code in range(1, 0x2100)] + ["\ufeff", "\U0001f600"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(c) FROM unnest(%s::text[]) c WHERE c ~ %s", [characters, pattern]
        )
        in_postgresql = cursor.fetchone()[0]
    assert in_postgresql == [c for c in characters if re.search(pattern, c)]


@pytest.mark.django_db
def test_the_database_takes_what_is_spelling():
    item = factories.AgendaItemFactory(
        title_fa=f"{DARI}{MARKS}", discussion_fa=f"{DARI}\r\n\t{MARKS}\nend"
    )
    item.refresh_from_db()
    assert item.title_fa == f"{DARI}{MARKS}"


# --- Everything typed is covered ------------------------------------------------------------


def _record_models():
    for label in TYPED_APPS:
        for model in apps.get_app_config(label).get_models():
            if not issubclass(model, Event):  # the history's copies
                yield model


def test_every_text_field_of_the_record_is_typed_text():
    untyped = [
        f"{model._meta.label}.{field.name}"
        for model in _record_models()
        for field in model._meta.concrete_fields
        if type(field) in (models.CharField, models.TextField) and not field.choices
    ]
    assert sorted(untyped) == sorted(NOT_TYPED_TEXT)


def _typed_columns(model) -> dict[str, str]:
    return {
        field.name: ONE_LINE_FORBIDDEN if isinstance(field, OneLineField) else MULTI_LINE_FORBIDDEN
        for field in model._meta.concrete_fields
        if isinstance(field, OneLineField | MultiLineField)
    }


def _checked_columns(constraint) -> dict[str, str]:
    checked = {}
    whole = constraint.condition
    # Q() & ~Q(a) is ~Q(a) itself; with more columns, a Q of negated ones.
    for condition in whole.children if isinstance(whole.children[0], Q) else [whole]:
        assert condition.negated
        ((lookup, pattern),) = condition.children
        checked[lookup.removesuffix("__regex")] = pattern
    return checked


@pytest.mark.parametrize("model", list(_record_models()), ids=lambda m: m._meta.label)
def test_the_database_checks_every_typed_column_in_every_language(model):
    columns = _typed_columns(model)
    constraints = [c for c in model._meta.constraints if c.name.endswith("_texts_plain")]
    if not columns:
        assert not constraints
        return
    (constraint,) = constraints
    assert _checked_columns(constraint) == columns


def _import_every_module():
    for module in pkgutil.walk_packages(committee.__path__, "committee."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _untyped(form_class, label: str = "") -> list[str]:
    """Inputs of text a form reads without cleaning it: not a password, not a value the page
    sends back (a hidden input), not a username (Django's validator refuses all but letters,
    digits and @.+-_), not a format of its own (an e-mail address, a slug)."""
    return [
        f"{label or form_class.__module__ + '.' + form_class.__qualname__}.{name}"
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, OneLineFormField | MultiLineFormField)
        and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
        and not isinstance(field, UsernameField | forms.EmailField | forms.SlugField)
    ]


def test_every_form_of_the_portal_cleans_what_is_typed():
    _import_every_module()
    ours = [
        form_class
        for form_class in _subclasses(forms.BaseForm)
        if form_class.__module__.startswith("committee.")
    ]
    assert len(ours) > 10
    assert [name for form_class in ours for name in _untyped(form_class)] == []


@pytest.mark.django_db
def test_every_admin_form_cleans_what_is_typed():
    request = RequestFactory().get("/admin/")
    request.user = factories.UserFactory(is_staff=True, is_superuser=True)
    checked = 0
    untyped = []
    for model_admin in admin.site._registry.values():
        # Records the portal writes itself are read, never typed, in the admin.
        if not model_admin.has_add_permission(request):
            continue
        form_classes = [(model_admin.model, model_admin.get_form(request))]
        form_classes += [
            (inline.model, inline.get_formset(request).form)
            for inline in model_admin.get_inline_instances(request)
        ]
        for model, form_class in form_classes:
            checked += 1
            untyped += _untyped(form_class, model._meta.label)
    assert checked > 20
    # Django's groups are named by staff and printed nowhere. django-otp's devices are never
    # added in the admin (committee/accounts/admin.py): only an enrolment link binds one.
    assert sorted(set(untyped)) == ["auth.Group.name"]


# --- Where people type ----------------------------------------------------------------------


def _agenda_item_data(item, **changes):
    languages = ("en", "fa", "ps", "ru", "kk")
    return {
        "meeting": item.meeting_id,
        "position": item.position,
        "kind": item.kind,
        **{f"title_{code}": item.title_en if code == "en" else "" for code in languages},
        **{f"{name}_{code}": "" for name in ("discussion", "decision") for code in languages},
        "presenter": "",
        "sector": "",
        "outcome": item.outcome,
        "version": item.version,
        **changes,
    }


@pytest.mark.django_db
def test_the_admin_cleans_a_reversed_dari_title_and_keeps_the_nim_fasele(client):
    item = factories.AgendaItemFactory(title_en="Trade")
    force_login(client, factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    response = client.post(
        url,
        _agenda_item_data(
            item,
            title_en="Trade and\r\ntransit",
            title_fa=f"{DARI} {REVERSED}Khorgos",
            decision_fa=f"{DARI}\r\nدوم{MARKS}",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.title_en == "Trade and transit"
    assert item.title_fa == f"{DARI} Khorgos"
    assert item.decision_fa == f"{DARI}\nدوم{MARKS}"


@pytest.mark.django_db
def test_the_dari_minutes_print_a_title_typed_with_an_override_the_right_way_round(client, world):
    meeting = factories.MeetingFactory(committee=world.committee, number=1)
    item = factories.AgendaItemFactory(meeting=meeting, position=1, title_en="Transit")
    factories.MinutesFactory(meeting=meeting)
    force_login(client, factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    data = _agenda_item_data(item, title_fa=f"ترانزیت {REVERSED}Khorgos")
    assert client.post(url, data).status_code == 302

    content = printing.render_minutes_pdf(meeting, original="fa")

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Khorgos" in text
    assert "sogrohK" not in text  # what U+202E printed


@pytest.mark.django_db
def test_a_user_name_typed_in_the_admin_is_cleaned(client):
    force_login(client, factories.UserFactory(is_staff=True, is_superuser=True))
    user = factories.UserFactory(username="karimi")
    response = client.post(
        reverse("admin:members_user_change", args=[user.pk]),
        {
            "username": "karimi",
            "first_name": f"Ahmad{REVERSED}",
            "last_name": "Karimi\n",
            "email": "karimi@example.org",
            "language": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            **{
                f"{inline}-{key}": value
                for inline in ("memberships", "enrolment_links")
                for key, value in {
                    "TOTAL_FORMS": "0",
                    "INITIAL_FORMS": "0",
                    "MIN_NUM_FORMS": "0",
                    "MAX_NUM_FORMS": "1000",
                }.items()
            },
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Ahmad", "Karimi")


def _comments_url(meeting):
    return reverse("meetings:minutes_comments", args=[meeting.pk])


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
    return session


def test_a_comment_keeps_its_paragraph_on_one_line_and_its_text_right_way_round(
    client, world, circulated
):
    force_login(client, world.azizi)
    response = client.post(
        _comments_url(circulated),
        {"paragraph": "3.\r\n2", "text": f"{DARI}\r\nAdd {REVERSED}Termez."},
    )
    assert response.status_code == 302
    comment = MinutesComment.objects.get()
    assert (comment.paragraph, comment.text) == ("3. 2", f"{DARI}\nAdd Termez.")


def _seen(client, url):
    return client.get(url).context["form"]["seen"].value()


def test_a_place_of_signature_is_cleaned(client, world, circulated):
    force_login(client, world.staff)
    url = f"/meetings/{circulated.pk}/minutes/sign/"
    response = client.post(
        url,
        {
            "seen": _seen(client, url),
            "party": str(world.kz.pk),
            "signed_on": timezone.localdate().isoformat(),
            "signed_at": f"{REVERSED}Kabul\r\n",
            "scan": SimpleUploadedFile("signed.pdf", b"%PDF-1.7\n%%EOF\n"),
        },
    )
    assert response.status_code == 302
    assert MinutesApproval.objects.get().signed_at == "Kabul"


def test_a_reason_for_reopening_is_cleaned(client, world, circulated, heads):
    for head in heads.values():
        services.minutes_approve(minutes=circulated.minutes, user=head.user)
    force_login(client, world.staff)
    url = f"/meetings/{circulated.pk}/minutes/reopen/"
    reason = f"Typo in item 1{REVERSED}\r\nand in {DARI}"
    assert client.post(url, {"seen": _seen(client, url), "reason": reason}).status_code == 302
    assert MinutesReopening.objects.get().reason == f"Typo in item 1\nand in {DARI}"


def test_a_username_with_invisible_characters_signs_in_as_the_name(client, world, caplog):
    response = client.post(
        reverse("login"),
        {"username": "\u2066azizi\u2069\n", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.azizi.pk)
    assert '"user": "azizi"' in caplog.text or "user=azizi" in caplog.text


def test_the_admin_sign_in_cleans_the_username_too(client, world):
    User.objects.filter(pk=world.staff.pk).update(is_superuser=True)
    response = client.post(
        reverse("admin:login"),
        {"username": f"secretariat{REVERSED}", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.staff.pk)
