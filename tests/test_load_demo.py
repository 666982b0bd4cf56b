"""`manage.py load_demo`: the founding case, loaded idempotently, with working demo logins."""

import datetime
import io
import re
import stat
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from committee.accounts.totp import current_code, hex_from_base32
from committee.agreements.models import Agreement, Pledge, PledgeReview, PledgeUpdate
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes
from committee.members.models import Committee, Member, Party, User

pytestmark = pytest.mark.django_db

LOGINS = ("secretariat", "azizi", "torebayev", "observer")
ENV_PASSWORD = "kabul-almaty-demo-2026"


@pytest.fixture(autouse=True)
def _var_dir_in_tmp(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.delenv("DEMO_TOTP_KEY", raising=False)


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of every table, so that a second run can be shown to change nothing."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def pledge_state() -> list[tuple]:
    return list(
        Pledge.objects.order_by("pk").values_list(
            "pk", "status", "due_on", "progress", "current_value", "updated_at"
        )
    )


def test_a_second_run_changes_nothing():
    load_demo()
    counts = {label: len(rows) for label, rows in snapshot().items()}
    before, pledges = snapshot(), pledge_state()

    out = load_demo()

    assert {label: len(rows) for label, rows in snapshot().items()} == counts
    assert pledge_state() == pledges
    assert snapshot() == before
    assert "0 rows created, 0 updated" in out


def test_a_run_on_a_later_day_moves_no_dates(monkeypatch):
    load_demo()
    before = snapshot()
    later = timezone.localdate() + datetime.timedelta(days=10)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)

    load_demo()

    assert snapshot() == before


def test_missing_rows_are_created_again_and_carry_the_pledge_forward():
    load_demo()
    update = PledgeUpdate.objects.get(pledge__number=3, pledge__agreement__isnull=False)
    pledge = update.pledge
    update.delete()
    Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.NOT_STARTED, progress=0)

    out = load_demo()

    pledge.refresh_from_db()
    assert pledge.updates.count() == 1
    assert (pledge.status, pledge.progress) == (Pledge.Status.IN_PROGRESS, 60)
    assert "1 rows created, 1 updated" in out


def test_updates_are_posted_as_officials_post_them():
    load_demo()

    for update in PledgeUpdate.objects.select_related("author"):
        # What the update service gives every update: a submission key and the author's
        # delegation (none for the secretariat).
        assert update.submission_key is not None
        delegation = Member.objects.filter(user=update.author).values_list("party", flat=True)
        assert update.author_party_id == delegation.first()


def test_updates_loaded_before_they_had_submission_keys_are_not_posted_again():
    load_demo()
    PledgeUpdate.objects.update(submission_key=None)
    before = snapshot()

    out = load_demo()

    assert snapshot() == before
    assert "0 rows created, 0 updated" in out


def test_demo_password_from_the_environment(monkeypatch, client, settings):
    monkeypatch.setenv("DEMO_PASSWORD", ENV_PASSWORD)

    out = load_demo()

    assert ENV_PASSWORD in out
    assert f"Open {settings.PORTAL_URL}/ and sign in" in out
    assert not (settings.VAR_DIR / "demo-password").exists()
    for username in LOGINS:
        assert username in out
        response = client.post(reverse("login"), {"username": username, "password": ENV_PASSWORD})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
        client.logout()


def test_a_changed_demo_password_is_set_again(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", ENV_PASSWORD)
    load_demo()
    monkeypatch.setenv("DEMO_PASSWORD", ENV_PASSWORD + "-changed")

    load_demo()

    assert User.objects.get(username="azizi").check_password(ENV_PASSWORD + "-changed")


def test_without_demo_password_one_is_generated_and_kept(settings):
    out = load_demo()

    path = settings.VAR_DIR / "demo-password"
    password = path.read_text().strip()
    assert len(password) >= 12
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert password in out
    assert all(user.check_password(password) for user in User.objects.filter(username__in=LOGINS))

    before = snapshot()
    assert password in load_demo()
    assert path.read_text().strip() == password
    assert snapshot() == before


def test_a_weak_password_is_refused_before_anything_is_written(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "short")

    with pytest.raises(CommandError, match="demo password"):
        load_demo()

    assert not User.objects.exists()
    assert not Party.objects.exists()


def test_each_delegation_has_pledges_overdue_due_soon_and_later():
    load_demo()
    today = timezone.localdate()

    for code in ("AF", "KZ"):
        own = Pledge.objects.filter(responsible_party__country_code=code)
        assert own.overdue(today).exists(), code
        assert own.due_within(today, 30).exists(), code
        assert own.open().filter(due_on__gt=today + datetime.timedelta(days=30)).exists(), code
    joint = Pledge.objects.filter(responsible_party__isnull=True)
    assert joint.overdue(today).exists()
    assert joint.due_within(today, 30).exists()
    assert joint.filter(status=Pledge.Status.COMPLETED).exists()


def test_a_pledge_was_rescheduled_by_the_secretariat_and_a_second_run_keeps_it():
    load_demo()
    moved = Pledge.objects.get(original_due_on__isnull=False)
    assert moved.original_due_on < timezone.localdate() < moved.due_on
    assert moved.due_moved_by.username == "secretariat"
    assert moved.due_moved_reason

    load_demo()
    assert Pledge.objects.get(original_due_on__isnull=False).due_moved_at == moved.due_moved_at


def test_the_founding_case():
    load_demo()

    af, kz = Party.objects.get(country_code="AF"), Party.objects.get(country_code="KZ")
    assert kz.government_name == "the Government of the Republic of Kazakhstan"
    committee = Committee.objects.get()
    assert set(committee.parties.all()) == {af, kz}

    azizi = Member.objects.get(full_name="Nooruddin Azizi")
    assert (azizi.honorific, azizi.party, azizi.role) == ("Alhaj", af, Member.Role.CO_CHAIR)
    assert azizi.user.username == "azizi"
    torebayev = Member.objects.get(full_name="Kairat Torebayev")
    assert (torebayev.party, torebayev.user.username) == (kz, "torebayev")
    head = Member.objects.get(position__startswith="Deputy Prime Minister")
    assert head.full_name == ""
    assert (head.party, head.role) == (kz, Member.Role.CO_CHAIR)
    observer = Member.objects.get(user__username="observer")
    assert observer.role == Member.Role.OBSERVER
    secretariat = User.objects.get(username="secretariat")
    assert secretariat.is_staff
    assert secretariat.is_superuser
    assert not User.objects.filter(is_staff=True).exclude(username="secretariat").exists()

    meeting = Meeting.objects.get()
    assert (meeting.number, meeting.status, meeting.city) == (1, Meeting.Status.HELD, "Kabul")
    assert (meeting.time_zone, meeting.host_party) == ("Asia/Kabul", af)
    assert meeting.ends_at < timezone.now()
    assert meeting.agenda_items.count() >= 3
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.DRAFT

    agreement = Agreement.objects.get(reference="AF-KZ/JIWC/1")
    assert agreement.signed_at == "Kabul"
    assert agreement.signed_on == meeting.ends_at.astimezone(meeting.zone).date()
    assert list(agreement.pledges.order_by("number").values_list("number", flat=True)) == list(
        range(1, 10)
    )

    trade = agreement.pledges.get(number=1)
    assert trade.is_joint
    assert trade.indicator == "Annual bilateral trade volume"
    assert trade.indicator_unit == "USD billion"
    assert trade.baseline_value == Decimal(1)
    assert trade.target_value == Decimal(3)
    assert trade.baseline_year is not None
    assert trade.target_on > timezone.localdate()
    assert trade.updates.exclude(indicator_value=None).exists()
    assert agreement.pledges.get(number=3).responsible_party == kz
    assert agreement.pledges.get(number=2).responsible_party == af


def test_pledges_agree_with_their_latest_update():
    load_demo()

    assert PledgeUpdate.objects.exists()
    for pledge in Pledge.objects.filter(updates__isnull=False).distinct():
        latest = pledge.updates.latest()
        assert (pledge.status, pledge.progress) == (latest.status, latest.progress)
        if latest.indicator_value is not None:
            assert pledge.current_value == latest.indicator_value


def test_the_rows_are_valid_and_in_english():
    load_demo()

    for model in (Member, Meeting, AgendaItem, Attendance, Minutes, Agreement, Pledge):
        for obj in model.objects.all():
            obj.full_clean()
    assert not Pledge.objects.filter(title_en="").exists()
    assert not Pledge.objects.filter(title_en__isnull=True).exists()
    trade = Pledge.objects.get(agreement__isnull=False, number=1)
    assert trade.title_en.startswith("Expand annual bilateral trade")
    with translation.override("ru"):
        assert trade.title.startswith("Увеличение")


# Record texts in every language.

# The script each content language is written in: a text left in English, or put in another
# language's column, shows.
LATIN = re.compile("[A-Za-z]")
ARABIC = re.compile("[\u0600-\u06ff]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
SCRIPTS = {"en": LATIN, "fa": ARABIC, "ps": ARABIC, "ru": CYRILLIC, "kk": CYRILLIC}


def translated_fields() -> list[tuple[type, str]]:
    """Every field kept in each language, from modeltranslation's registry."""
    return [
        (model, name)
        for model in translator.get_registered_models()
        for name in sorted(translator.get_options_for_model(model).fields)
    ]


def column(name: str, language: str) -> str:
    return build_localized_fieldname(name, language)


def record_texts() -> dict[tuple[str, int, str], str]:
    """Every language column of every record text, empty ones as "" (NULL or blank alike)."""
    texts = {}
    for model, name in translated_fields():
        for obj in model._default_manager.all():
            for language in settings.MODELTRANSLATION_LANGUAGES:
                key = (model._meta.label, obj.pk, column(name, language))
                texts[key] = getattr(obj, column(name, language)) or ""
    return texts


def blank_translations() -> int:
    """Empty (NULL) every language column but English of every record text, as a database
    loaded before the demo had its translations; the number of rows that had one."""
    rows = 0
    for model in translator.get_registered_models():
        columns = [
            column(name, language)
            for name in translator.get_options_for_model(model).fields
            for language in settings.MODELTRANSLATION_LANGUAGES
            if language != "en"
        ]
        written = Q()
        for name in columns:
            written |= Q(**{f"{name}__gt": ""})
        rows += model._default_manager.filter(written).update(**dict.fromkeys(columns))
    return rows


def test_every_record_text_is_in_every_language():
    load_demo()
    assert set(SCRIPTS) == set(settings.MODELTRANSLATION_LANGUAGES)

    problems, models_with_rows = [], set()
    for model, name in translated_fields():
        for obj in model._default_manager.all():
            models_with_rows.add(model)
            values = {
                language: getattr(obj, column(name, language))
                for language in settings.MODELTRANSLATION_LANGUAGES
            }
            where = f"{model.__name__} {obj.pk} {name}"
            if values["en"]:
                problems += [
                    f"{where} in {language}: {value!r}"
                    for language, value in values.items()
                    if not (value and SCRIPTS[language].search(value))
                ]
            else:
                # None in English (an unnamed member, no venue): none in any language.
                problems += [
                    f"{where} in {language} without English: {value!r}"
                    for language, value in values.items()
                    if value
                ]

    assert problems == []
    # The demo has rows of every model with texts but pledge reviews (it holds no review).
    assert set(translator.get_registered_models()) - models_with_rows == {PledgeReview}


def test_a_run_fills_in_the_texts_a_database_lacks_in_a_language():
    load_demo()
    texts = record_texts()
    rows = blank_translations()
    assert rows

    out = load_demo()

    assert record_texts() == texts
    assert f"0 rows created, {rows} updated" in out
    before = snapshot()
    assert "0 rows created, 0 updated" in load_demo()
    assert snapshot() == before


def test_a_text_edited_since_is_kept_and_a_missing_one_filled_in():
    load_demo()
    edited = "صادرات میوهٔ تازه و خشک"
    pledge = Pledge.objects.get(agreement__isnull=False, number=2)
    Pledge.objects.filter(pk=pledge.pk).update(title_fa=edited, title_kk=None)

    out = load_demo()

    pledge.refresh_from_db()
    assert pledge.title_fa == edited
    assert pledge.title_kk == "Ауған тауарларын Қазақстанға экспорттауды бастау"
    assert "0 rows created, 1 updated" in out


def test_an_approved_session_keeps_its_texts_as_approved():
    load_demo()
    texts = record_texts()
    rows = blank_translations()
    # Approved after the texts were blanked: from now on the session's rows are locked.
    Minutes.objects.update(
        status=Minutes.Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=User.objects.get(username="secretariat"),
    )
    session = {Meeting._meta.label, AgendaItem._meta.label, Minutes._meta.label}
    locked = {(label, pk) for label, pk, _column in texts if label in session}

    out = load_demo()

    after = record_texts()
    for key, text in texts.items():
        label, pk, name = key
        if (label, pk) in locked and not name.endswith("_en"):
            assert after[key] == "", key
        else:
            assert after[key] == text, key
    assert f"0 rows created, {rows - len(locked)} updated" in out


# The second factor of the secretariat login.

ENV_TOTP_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_the_secretariat_passes_the_second_factor_with_demo_totp_key(monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", ENV_PASSWORD)
    monkeypatch.setenv("DEMO_TOTP_KEY", ENV_TOTP_KEY.lower())

    out = load_demo()

    device = TOTPDevice.objects.get()
    assert device.user.username == "secretariat"
    assert device.confirmed
    assert device.key == hex_from_base32(ENV_TOTP_KEY)
    # How to add it to an authenticator app: the key and the otpauth:// address.
    assert ENV_TOTP_KEY in out
    assert f"otpauth://totp/Joint%20Committee%20Portal%3Asecretariat?secret={ENV_TOTP_KEY}" in out
    client.post(reverse("login"), {"username": "secretariat", "password": ENV_PASSWORD})
    response = client.post(
        reverse("otp_verify"), {"code": current_code(device.key), "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_without_demo_totp_key_one_is_generated_and_kept(settings):
    out = load_demo()

    path = settings.VAR_DIR / "demo-totp-key"
    key = path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key in out
    assert TOTPDevice.objects.get().key == hex_from_base32(key)

    before = snapshot()
    assert key in load_demo()
    assert path.read_text().strip() == key
    assert snapshot() == before


def test_a_changed_demo_totp_key_replaces_the_devices_key(monkeypatch):
    load_demo()
    monkeypatch.setenv("DEMO_TOTP_KEY", ENV_TOTP_KEY)

    load_demo()

    assert TOTPDevice.objects.get().key == hex_from_base32(ENV_TOTP_KEY)


def test_a_demo_totp_key_that_is_not_base32_is_refused_before_anything_is_written(
    monkeypatch,
):
    monkeypatch.setenv("DEMO_TOTP_KEY", "not-a-key-1")

    with pytest.raises(CommandError, match="TOTP key"):
        load_demo()

    assert not User.objects.exists()


def test_each_official_reads_mail_in_their_own_language_at_a_reserved_address():
    load_demo()
    users = {user.username: user for user in User.objects.all()}
    assert {name: users[name].language for name in ("azizi", "torebayev", "dpm")} == {
        "azizi": "fa",
        "torebayev": "ru",
        "dpm": "kk",
    }
    # example.org is reserved (RFC 2606): no demo mail can reach a real mailbox.
    assert all(user.email.endswith("@demo.example.org") for user in users.values())


def test_a_language_chosen_since_is_kept_and_a_missing_address_filled_in():
    load_demo()
    User.objects.filter(username="azizi").update(language="ps", email="")
    load_demo()
    azizi = User.objects.get(username="azizi")
    assert azizi.language == "ps"
    assert azizi.email == "azizi@demo.example.org"


def test_it_names_the_address_the_portal_is_served_at(settings):
    """make run on another port sets PORTAL_URL: the printed address is that one."""
    settings.PORTAL_URL = "http://127.0.0.1:8321"
    assert "Open http://127.0.0.1:8321/ and sign in" in load_demo()
