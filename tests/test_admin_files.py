"""Files only through the portal: wherever the admin shows a stored file (the "Currently:"
link of a file input, a read-only field, an inline row), it links to the portal's download
view, which asks the permission rules, never to MEDIA_URL, which nothing serves and which
would hand every file to anyone who has its name if an operator served it."""

import dataclasses
import datetime
import hashlib
import re
from collections.abc import Callable
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committee.agreements.models import Agreement, Pledge, PledgeUpdate
from committee.core.downloads import CheckedFileField
from committee.core.models import Rendering
from committee.meetings.models import Minutes, MinutesApproval, MinutesReopening
from tests import factories
from tests.conftest import body, force_login

pytestmark = pytest.mark.django_db

OUR_APPS = ("core", "members", "meetings", "agreements", "notifications")
PDF = b"%PDF-1.7\n% a stored file of the committee\n"
SHA256 = hashlib.sha256(PDF).hexdigest()


def stored(folder: str) -> str:
    """A file in the storage, as an upload or the worker leaves it: its stored name."""
    return default_storage.save(f"{folder}/stored.pdf", ContentFile(PDF))


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _minutes(world, **fields) -> Minutes:
    return factories.MinutesFactory(meeting__committee=world.committee, **fields)


def _circulated_minutes(world) -> Minutes:
    now = timezone.now()
    return _minutes(
        world,
        status=Minutes.Status.CIRCULATED,
        circulated_at=now,
        comment_deadline=now + datetime.timedelta(days=14),
    )


def _agreement(world):
    agreement = factories.AgreementFactory(committee=world.committee)
    agreement.document.name = stored("agreements")
    agreement.save()
    return agreement, [agreement]


def _evidence(world):
    update = factories.PledgeUpdateFactory(pledge=world.af_pledge, evidence=stored("evidence"))
    return update, [update, update.pledge]


def _approved_pdf(world):
    minutes = _minutes(
        world,
        status=Minutes.Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=world.staff,
        pdf=stored("minutes"),
        pdf_sha256=SHA256,
    )
    return minutes, [minutes]


def _signature_scan(world):
    minutes = _circulated_minutes(world)
    approval = factories.MinutesApprovalFactory(
        circulation__minutes=minutes,
        method=MinutesApproval.Method.PAPER,
        signed_on=timezone.localdate(),
        signed_at="Kabul",
        scan=stored("minutes"),
    )
    return approval, [approval, minutes]


def _superseded_pdf(world):
    reopening = factories.MinutesReopeningFactory(
        minutes=_circulated_minutes(world),
        superseded_pdf=stored("minutes"),
        previous_pdf_sha256=SHA256,
    )
    return reopening, [reopening, reopening.minutes]


@dataclasses.dataclass(frozen=True)
class Case:
    """A stored file: how to make a record holding one, and the records whose admin pages
    show it; where it is downloaded; who may not have it."""

    make: Callable
    download: Callable[[models.Model], str]
    refused: str  # a persona of the world fixture


CASES = {
    (Agreement, "document"): Case(
        _agreement, lambda a: reverse("agreements:document", args=[a.pk]), "outsider"
    ),
    (PledgeUpdate, "evidence"): Case(
        _evidence, lambda u: reverse("pledges:evidence", args=[u.pk]), "outsider"
    ),
    (Minutes, "pdf"): Case(
        _approved_pdf, lambda m: reverse("meetings:minutes_pdf", args=[m.meeting_id]), "outsider"
    ),
    (MinutesApproval, "scan"): Case(
        _signature_scan,
        lambda a: reverse("meetings:minutes_scan", args=[a.minutes.meeting_id, a.pk]),
        "outsider",
    ),
    # An official reads the re-opened minutes, not the record they replaced.
    (MinutesReopening, "superseded_pdf"): Case(
        _superseded_pdf,
        lambda r: reverse("meetings:minutes_superseded_pdf", args=[r.minutes.meeting_id, r.pk]),
        "azizi",
    ),
}
# The PDFs the worker makes are offered by the pages that asked for them, each through its
# own view; the admin lists their state, not the file.
NOT_SHOWN_IN_THE_ADMIN = {(Rendering, "file")}


def _file_fields(*, history: bool = False):
    """The file fields of our models; with history=True, those of their history's events
    (which keep the stored name of each version of a record)."""
    return [
        (model, field.name)
        for app_label in OUR_APPS
        for model in apps.get_app_config(app_label).get_models()
        if (getattr(model, "pgh_tracked_model", None) is not None) == history
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def _label(case_key) -> str:
    model, field = case_key
    return f"{model._meta.label}.{field}"


def _links(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'(?:href|src)="([^"]*)"', page)]


def test_every_stored_file_is_served_only_through_a_checked_view():
    found = _file_fields()
    assert set(found) == set(CASES) | NOT_SHOWN_IN_THE_ADMIN
    for model, name in found:
        assert isinstance(model._meta.get_field(name), CheckedFileField), (model, name)


def test_the_history_names_a_file_without_linking_it():
    # Events are read in the history admin, which describes each change as text: their own
    # admin pages, which would link the stored name, do not exist.
    events = {model for model, _name in _file_fields(history=True)}
    assert events
    for model in events:
        assert not admin.site.is_registered(model), model


def test_a_file_without_a_view_of_its_own_has_no_address(world):
    rendering = factories.RenderingFactory()
    rendering.file.name = stored("renderings")
    with pytest.raises(ValueError, match="no download view"):
        rendering.file.url  # noqa: B018 (the property is what is tested)


@pytest.mark.parametrize("key", CASES, ids=_label)
def test_admin_pages_link_a_file_to_its_checked_view(client, world, key):
    _model, field = key
    case = CASES[key]
    record, pages = case.make(world)
    download = case.download(record)
    assert getattr(record, field).url == download
    world.staff.is_superuser = True
    world.staff.save()
    force_login(client, world.staff)

    for page in pages:
        response = client.get(_change_url(page))
        assert response.status_code == 200
        links = _links(response.text)
        assert download in links, (page, download)
        assert not [link for link in links if "/media/" in link], page
        assert "/media/" not in response.text

    response = client.get(download)
    assert response.status_code == 200
    assert body(response) == PDF


@pytest.mark.parametrize("key", CASES, ids=_label)
def test_a_user_without_permission_is_refused_the_file(client, world, key):
    case = CASES[key]
    record, _pages = case.make(world)
    force_login(client, getattr(world, case.refused))

    response = client.get(case.download(record))

    assert response.status_code == 404
    assert PDF not in body(response)


def test_the_minutes_page_costs_the_same_however_many_files_it_links(client, world):
    """The links of signed scans and superseded PDFs name their meeting: the inline rows read
    it with the rows, not once each."""
    minutes = _circulated_minutes(world)
    circulation = factories.MinutesCirculationFactory(minutes=minutes)
    world.staff.is_superuser = True
    world.staff.save()
    force_login(client, world.staff)

    def queries():
        client.get(_change_url(minutes))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_change_url(minutes)).status_code == 200
        return len(captured)

    def add_rows():
        factories.MinutesApprovalFactory(
            circulation=circulation,
            method=MinutesApproval.Method.PAPER,
            signed_on=timezone.localdate(),
            signed_at="Kabul",
            scan=stored("minutes"),
            withdrawn_at=timezone.now(),  # by a re-opening; one delegation approves again
        )
        factories.MinutesReopeningFactory(
            minutes=minutes, superseded_pdf=stored("minutes"), previous_pdf_sha256=SHA256
        )

    add_rows()
    with_one = queries()
    for _ in range(3):
        add_rows()
    assert queries() == with_one


def test_pledge_page_shows_evidence_of_its_updates_by_the_checked_view(client, world):
    # The portal's own pages link evidence the same way (no regression there).
    update, _pages = _evidence(world)
    force_login(client, world.azizi)
    page = client.get(Pledge.objects.get(pk=update.pledge_id).get_absolute_url()).text
    assert reverse("pledges:evidence", args=[update.pk]) in _links(page)
    assert "/media/" not in page
