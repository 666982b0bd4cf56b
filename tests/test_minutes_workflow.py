"""The minutes workflow: draft → circulated → approved, the lock, and the audited re-open."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from committee.agreements.models import PledgeReview
from committee.agreements.services import implementation_review_add
from committee.meetings import record, services
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes, MinutesReopening
from tests import factories
from tests.conftest import force_login


@pytest.fixture
def session(world):
    meeting = factories.MeetingFactory(committee=world.committee, number=1)
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Trade", decision="Agreed.")
    factories.AttendanceFactory(meeting=meeting, member=world.azizi.memberships.get())
    factories.MinutesFactory(meeting=meeting)
    return meeting


PASSWORD = "correct horse battery staple"  # tests/factories.UserFactory's


def approve(session, world):
    return factories.approve_minutes(session.minutes, world.staff)


def test_approval_records_who_when_and_the_pdf_checksum(session, world):
    minutes = approve(session, world)
    assert minutes.status == Minutes.Status.APPROVED
    heads = record.heads_of_delegation(session)
    approvals = {approval.party_id: approval for approval in minutes.approvals.all()}
    assert set(approvals) == {world.af.pk, world.kz.pk}
    assert {a.signatory for a in approvals.values()} == set(heads.values())
    # The approval completing the record is the last head's.
    assert minutes.approved_by == max(approvals.values(), key=lambda a: a.approved_at).recorded_by
    assert minutes.approved_at is not None
    with minutes.pdf.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == minutes.pdf_sha256


def test_minutes_are_circulated_before_approval(session, world):
    with pytest.raises(ValidationError, match="circulated before they are approved"):
        services.minutes_approve(minutes=session.minutes, user=world.azizi)


@pytest.mark.parametrize(
    "change",
    [
        lambda m: Meeting.objects.filter(pk=m.pk).update(city="Almaty"),
        lambda m: AgendaItem.objects.filter(meeting=m).update(decision_en="Changed."),
        lambda m: AgendaItem.objects.create(meeting=m, position=9, title_en="Late item"),
        lambda m: AgendaItem.objects.filter(meeting=m).delete(),
        lambda m: Attendance.objects.filter(meeting=m).update(status="absent"),
        lambda m: Attendance.objects.filter(meeting=m).delete(),
        lambda m: Minutes.objects.filter(meeting=m).update(next_session="Elsewhere"),
        lambda m: Minutes.objects.filter(meeting=m).update(pdf_sha256="0" * 64),
        lambda m: Minutes.objects.filter(meeting=m).delete(),
        lambda m: Meeting.objects.filter(pk=m.pk).delete(),
    ],
    ids=[
        "meeting",
        "agenda-update",
        "agenda-insert",
        "agenda-delete",
        "attendance-update",
        "attendance-delete",
        "minutes-text",
        "minutes-pdf",
        "minutes-delete",
        "meeting-delete",
    ],
)
def test_approved_minutes_refuse_every_change_at_the_database(session, world, change):
    approve(session, world)
    with pytest.raises(IntegrityError, match=r"(?i)approved"), transaction.atomic():
        change(session)


def test_a_review_of_an_approved_session_is_locked_too(session, world):
    item = implementation_review_add(meeting=session)
    approve(session, world)
    with pytest.raises(IntegrityError, match=r"(?i)approved"), transaction.atomic():
        PledgeReview.objects.filter(agenda_item=item).update(remarks="Later remark")


def test_the_forms_say_why_in_words(session, world):
    approve(session, world)
    item = session.agenda_items.get()
    item.decision = "Changed."
    with pytest.raises(ValidationError, match=r"(?i)re-open the minutes"):
        item.full_clean()


def test_reopening_needs_a_reason_and_leaves_a_trace(session, world):
    minutes = approve(session, world)
    old_sha, old_file = minutes.pdf_sha256, minutes.pdf.name
    with pytest.raises(ValidationError):
        services.minutes_reopen(minutes=minutes, user=world.staff, reason="  ")
    reopening = services.minutes_reopen(
        minutes=minutes, user=world.staff, reason="The venue was misspelt."
    )
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CIRCULATED
    assert minutes.pdf_sha256 == ""
    assert reopening.reopened_by == world.staff
    assert reopening.previous_pdf_sha256 == old_sha
    assert reopening.superseded_pdf.name == old_file
    assert MinutesReopening.objects.filter(minutes=minutes).count() == 1
    # Unlocked again: a correction goes through.
    Meeting.objects.filter(pk=session.pk).update(venue="Presidential Palace")


def seen(response) -> str:
    """The digest a confirmation page carries, from its hidden field."""
    return response.context["form"]["seen"].value()


def test_the_workflow_pages_move_the_minutes(client, sign_in, session, world):
    heads = factories.name_heads_of_delegation(session)
    sign_in(world.staff)
    url = f"/meetings/{session.pk}/minutes/circulate/"
    page = client.get(url)
    assert "What will happen" in page.content.decode()
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(url, {"seen": seen(page), "comment_deadline": deadline}, follow=True)
    assert "Version 1 of the minutes is circulated" in response.content.decode()
    for head in heads.values():
        force_login(client, head.user)
        url = f"/meetings/{session.pk}/minutes/approve/"
        page = client.get(url)
        client.post(url, {"seen": seen(page), "password": PASSWORD})
    minutes = Minutes.objects.get(meeting=session)
    assert minutes.status == Minutes.Status.APPROVED
    sign_in(world.staff)
    page = client.get(session.get_absolute_url()).content.decode()
    assert minutes.pdf_sha256 in page
    url = f"/meetings/{session.pk}/minutes/reopen/"
    page = client.get(url)
    client.post(url, {"seen": seen(page), "reason": "Typo in item 1"})
    assert MinutesReopening.objects.get().reason == "Typo in item 1"


def test_a_reopen_without_reason_is_refused_next_to_the_field(client, sign_in, session, world):
    approve(session, world)
    sign_in(world.staff)
    url = f"/meetings/{session.pk}/minutes/reopen/"
    response = client.post(url, {"seen": seen(client.get(url)), "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Minutes.objects.get(meeting=session).status == Minutes.Status.APPROVED


@pytest.mark.parametrize("persona", ["azizi", "torebayev", "observer"])
@pytest.mark.parametrize("step", ["circulate", "sign", "reopen"])
def test_only_staff_move_the_workflow(client, sign_in, session, world, persona, step):
    sign_in(getattr(world, persona))
    assert client.get(f"/meetings/{session.pk}/minutes/{step}/").status_code == 403
    response = client.post(f"/meetings/{session.pk}/minutes/{step}/", {"reason": "x"})
    assert response.status_code == 403
    assert Minutes.objects.get(meeting=session).status == Minutes.Status.DRAFT


@pytest.mark.parametrize("persona", ["azizi", "observer"])
def test_officials_do_not_see_drafts(client, sign_in, session, world, persona):
    sign_in(getattr(world, persona))
    page = client.get(session.get_absolute_url()).content.decode()
    assert "drafting the minutes" in page
    assert client.get(f"/meetings/{session.pk}/minutes/").status_code == 404
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    assert client.get(f"/meetings/{session.pk}/minutes/").status_code == 200


def test_the_review_item_lists_every_open_pledge_once(session, world):
    item = implementation_review_add(meeting=session)
    assert item.kind == AgendaItem.Kind.IMPLEMENTATION_REVIEW
    assert item.position == 2
    listed = {review.pledge for review in item.pledge_reviews.all()}
    assert listed == {world.af_pledge, world.kz_pledge, world.joint_pledge}
    review = item.pledge_reviews.get(pledge=world.kz_pledge)
    assert review.due_on == world.kz_pledge.due_on
    # Run again after a new pledge: the new one is added, nothing is listed twice.
    new = world.pledge(responsible_party=world.af, days=3, title="New pledge")
    again = implementation_review_add(meeting=session)
    assert again == item
    assert item.pledge_reviews.count() == 4
    assert item.pledge_reviews.filter(pledge=new).exists()


def agenda(meeting) -> list[tuple[int, str]]:
    return list(meeting.agenda_items.order_by("position").values_list("position", "kind"))


REGULAR, REVIEW = AgendaItem.Kind.REGULAR, AgendaItem.Kind.IMPLEMENTATION_REVIEW
OTHER_BUSINESS, NEXT_SESSION = AgendaItem.Kind.OTHER_BUSINESS, AgendaItem.Kind.NEXT_SESSION


def test_the_review_comes_before_any_other_business_and_the_next_session(session, world):
    factories.AgendaItemFactory(meeting=session, position=2, kind=OTHER_BUSINESS)
    closing = factories.AgendaItemFactory(meeting=session, position=3, kind=NEXT_SESSION)
    # A pledge arising under an item that moves is cited by the item's new number.
    arising = factories.PledgeFactory(
        committee=world.committee, agreement=None, agenda_item=closing, number=1
    )
    before = timezone.now()

    item = implementation_review_add(meeting=session)

    assert agenda(session) == [(1, REGULAR), (2, REVIEW), (3, OTHER_BUSINESS), (4, NEXT_SESSION)]
    assert item.position == 2
    taken = set(item.pledge_reviews.values_list("taken_at", flat=True))
    assert len(taken) == 1
    assert before <= taken.pop() <= timezone.now()
    arising.refresh_from_db()
    assert arising.reference == "S1/4.1"


def test_without_closing_items_the_review_ends_the_agenda(session, world):
    assert implementation_review_add(meeting=session).position == 2
    assert agenda(session) == [(1, REGULAR), (2, REVIEW)]


def test_a_review_found_after_the_closing_items_is_moved_before_them(session, world):
    # As the review was placed before it knew of them: last. Numbers need not be contiguous.
    factories.AgendaItemFactory(meeting=session, position=2, kind=OTHER_BUSINESS)
    factories.AgendaItemFactory(meeting=session, position=4, kind=NEXT_SESSION)
    factories.AgendaItemFactory(meeting=session, position=5, kind=REVIEW)

    implementation_review_add(meeting=session)

    assert agenda(session) == [(1, REGULAR), (2, REVIEW), (3, OTHER_BUSINESS), (5, NEXT_SESSION)]
    again = implementation_review_add(meeting=session)
    assert again.position == 2
    assert agenda(session) == [(1, REGULAR), (2, REVIEW), (3, OTHER_BUSINESS), (5, NEXT_SESSION)]


def test_pledges_added_to_the_review_later_are_taken_then(session, world):
    item = implementation_review_add(meeting=session)
    [first] = set(item.pledge_reviews.values_list("taken_at", flat=True))
    new = world.pledge(responsible_party=world.af, days=3, title="New pledge")

    implementation_review_add(meeting=session)

    assert set(item.pledge_reviews.exclude(pledge=new).values_list("taken_at", flat=True)) == {
        first
    }
    assert item.pledge_reviews.get(pledge=new).taken_at > first


def test_staff_add_the_review_from_the_meeting_page(client, sign_in, session, world):
    sign_in(world.staff)
    response = client.post(f"/meetings/{session.pk}/implementation-review", follow=True)
    assert "lists the 3 pledges still open" in response.content.decode()
    assert world.kz_pledge.title in response.content.decode()
    sign_in(world.azizi)
    assert client.post(f"/meetings/{session.pk}/implementation-review").status_code == 403


def test_a_failed_pdf_keeps_the_approval_and_is_prepared_again_by_the_secretariat(
    client, sign_in, session, world, settings, worker
):
    """The approval stands whatever happens to its PDF on the worker: a failure is recorded,
    shown to the secretariat with what went wrong, and prepared again from the meeting page."""
    from django_tasks_db.models import DBTaskResult

    from committee.core.models import Rendering

    heads = factories.name_heads_of_delegation(session)
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    services.minutes_approve(minutes=session.minutes, user=heads[world.af.pk].user)
    force_login(client, heads[world.kz.pk].user)
    url = f"/meetings/{session.pk}/minutes/approve/"
    response = client.post(url, {"seen": seen(client.get(url)), "password": PASSWORD})
    assert response.status_code == 302
    settings.PDF_RENDER_TIMEOUT = 0.001  # far too short: the renderer is stopped
    worker()
    minutes = Minutes.objects.get(meeting=session)
    assert minutes.is_approved
    assert (minutes.pdf.name, minutes.pdf_sha256) == ("", "")
    failed = Rendering.objects.get(kind=Rendering.Kind.MINUTES_RECORD)
    assert failed.status == Rendering.Status.FAILED
    assert "took longer than" in failed.error
    assert failed.finished_at is not None
    assert DBTaskResult.objects.get(task_path__endswith="render_minutes_record").status == "FAILED"

    page = client.get(session.get_absolute_url()).content.decode()
    assert "The sealed PDF could not be prepared." in page
    assert "took longer than" not in page  # what went wrong is for the secretariat
    assert "record/prepare" not in page
    assert client.post(f"/meetings/{session.pk}/minutes/record/prepare/").status_code == 403

    sign_in(world.staff)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "took longer than" in page
    response = client.post(f"/meetings/{session.pk}/minutes/record/prepare/", follow=True)
    assert "The sealed PDF is being prepared again." in response.content.decode()
    assert "The sealed PDF is being prepared." in response.content.decode()
    settings.PDF_RENDER_TIMEOUT = 60
    worker()
    minutes.refresh_from_db()
    assert minutes.pdf_sha256
    again = Rendering.objects.filter(kind=failed.kind).exclude(pk=failed.pk).get()
    assert (again.status, again.sha256, again.requested_by) == (
        Rendering.Status.READY,
        minutes.pdf_sha256,
        world.staff,
    )
    page = client.get(session.get_absolute_url()).content.decode()
    assert minutes.pdf_sha256 in page
    assert "could not be prepared" not in page


def test_the_review_cannot_be_added_to_an_approved_session(client, sign_in, session, world):
    implementation_review_add(meeting=session)
    approve(session, world)
    world.pledge(responsible_party=world.kz, days=9, title="Opened after approval")
    sign_in(world.staff)
    response = client.post(f"/meetings/{session.pk}/implementation-review", follow=True)
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert not PledgeReview.objects.filter(pledge__title_en="Opened after approval").exists()


def test_the_review_is_prepared_while_the_minutes_are_a_draft(client, sign_in, session, world):
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    with pytest.raises(ValidationError, match="while the minutes are a draft"):
        implementation_review_add(meeting=session)
    sign_in(world.staff)
    response = client.post(f"/meetings/{session.pk}/implementation-review", follow=True)
    assert "while the minutes are a draft" in response.content.decode()
    assert not AgendaItem.objects.filter(
        meeting=session, kind=AgendaItem.Kind.IMPLEMENTATION_REVIEW
    ).exists()


# --- What members see of a draft -----------------------------------------------------------

DISCUSSION = "The Kazakh side proposed a tariff-free corridor."
DECISION = "The Parties agreed to study the corridor."
REMARKS = "The Afghan side asked for more time."


@pytest.fixture
def proceedings(session, world):
    AgendaItem.objects.filter(meeting=session).update(
        discussion_en=DISCUSSION, decision_en=DECISION
    )
    item = implementation_review_add(meeting=session)
    PledgeReview.objects.filter(agenda_item=item).update(remarks_en=REMARKS)
    return session


def meeting_page(client, user, meeting):
    force_login(client, user)
    return client.get(f"/meetings/{meeting.pk}/").content.decode()


@pytest.mark.parametrize("persona", ["azizi", "torebayev", "observer"])
def test_members_see_the_agenda_of_a_draft_but_not_what_was_said(
    client, world, proceedings, persona
):
    page = meeting_page(client, getattr(world, persona), proceedings)
    assert "Trade" in page  # the agenda
    for text in (DISCUSSION, DECISION, REMARKS, "Agreed."):
        assert text not in page
    assert "once the secretariat circulates the minutes" in page


def test_the_secretariat_sees_the_draft_in_full(client, world, proceedings):
    page = meeting_page(client, world.staff, proceedings)
    for text in (DISCUSSION, DECISION, REMARKS):
        assert text in page


def test_circulated_minutes_show_what_was_said_marked_as_a_draft(client, world, proceedings):
    services.minutes_circulate(minutes=proceedings.minutes, user=world.staff)
    page = meeting_page(client, world.azizi, proceedings)
    for text in (DISCUSSION, DECISION, REMARKS):
        assert text in page
    assert "Draft for comment" in page
    factories.approve_minutes(Minutes.objects.get(meeting=proceedings), world.staff)
    page = meeting_page(client, world.azizi, proceedings)
    assert DECISION in page
    assert "Draft for comment" not in page


def test_a_meeting_without_minutes_keeps_its_texts_with_the_secretariat(client, world):
    meeting = factories.MeetingFactory(committee=world.committee, number=2)
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Visas", decision="Noted.")
    assert "Noted." not in meeting_page(client, world.azizi, meeting)


@pytest.mark.parametrize("persona", ["azizi", "torebayev", "observer"])
def test_no_surface_shows_a_member_what_was_said_in_a_draft(client, world, proceedings, persona):
    """Every page and file a member can open, with a pledge arising from the drafted item:
    lists, search, exports, the pledge, the report, the calendar feed, the minutes."""
    import io
    import zipfile

    from committee.members.models import CalendarToken

    user = getattr(world, persona)
    item = proceedings.agenda_items.get(position=1)
    pledge = world.pledge(days=30, title="Corridor study", agenda_item=item)
    force_login(client, user)
    urls = [
        "/",
        "/pledges/",
        "/pledges/?q=corridor",
        f"/pledges/{pledge.pk}/",
        "/pledges/export.csv",
        "/reports/implementation/",
        "/meetings/",
        f"/meetings/{proceedings.pk}/",
        f"/meetings/{proceedings.pk}/minutes/",
        f"/meetings/{proceedings.pk}/minutes/comments/",
        f"/meetings/{proceedings.pk}/minutes/changes/",
        "/agreements/",
    ]
    bodies = [client.get(url).getvalue() for url in urls]
    xlsx = client.get("/pledges/export.xlsx").getvalue()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        bodies += [book.read(name) for name in book.namelist()]
    bodies.append(client.get("/meetings.ics", {"token": CalendarToken.issue(user)}).content)
    for body in bodies:
        text = body.decode("utf-8", "replace")
        for said in (DISCUSSION, DECISION, REMARKS):
            assert said not in text
