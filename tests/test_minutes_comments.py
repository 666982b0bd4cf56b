"""The negotiation of the minutes on the portal's pages: the delegations' comments with the
secretariat's answers (/meetings/<id>/minutes/comments/) and what changed between the
circulated versions (/meetings/<id>/minutes/changes/), as each persona meets them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committee.core import history
from committee.meetings import services
from committee.meetings.models import AgendaItem, Minutes, MinutesComment
from tests import factories

STUDY = "The Parties agreed to study a tariff-free corridor."
BUILD = "The Parties agreed to build a tariff-free corridor."


@pytest.fixture
def session(world):
    meeting = factories.MeetingFactory(committee=world.committee, number=1)
    factories.AgendaItemFactory(meeting=meeting, position=1, title="Trade", decision=STUDY)
    factories.AgendaItemFactory(meeting=meeting, position=2, title="Transport", decision="Noted.")
    factories.AttendanceFactory(meeting=meeting, member=world.azizi.memberships.get())
    factories.MinutesFactory(meeting=meeting)
    return meeting


@pytest.fixture
def circulated(session, world):
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    session.minutes.refresh_from_db()
    return session


def comments_url(meeting) -> str:
    return reverse("meetings:minutes_comments", args=[meeting.pk])


def changes_url(meeting) -> str:
    return reverse("meetings:minutes_changes", args=[meeting.pk])


def answer_url(comment) -> str:
    return reverse("meetings:minutes_comment_answer", args=[comment.minutes.meeting_id, comment.pk])


def item(meeting, position: int) -> AgendaItem:
    return meeting.agenda_items.get(position=position)


def comment(meeting, user, text="Please add the date of the next session.", **kwargs):
    return services.minutes_comment(minutes=meeting.minutes, user=user, text=text, **kwargs)


def field_error(page: str, field_id: str) -> str:
    """The error shown by a field (its element id="<field id>_error"), or ""."""
    match = re.search(rf'<div id="{re.escape(field_id)}_error"[^>]*>(.*?)</div>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()) if match else ""


def events_of(obj):
    return type(obj).pgh_event_model.objects.filter(pgh_obj_id=obj.pk).order_by("pgh_id")


# --- Who sees what ----------------------------------------------------------------------------

COMMENT_FORM = 'id="comment-form-heading"'
ANSWER_FORM = "/answer"


@pytest.mark.parametrize(
    ("persona", "status", "may_comment"),
    [
        ("azizi", 200, True),
        ("torebayev", 200, True),
        ("observer", 200, False),
        ("staff", 200, False),
        ("outsider", 404, False),
    ],
)
def test_each_persona_on_both_pages(
    client, sign_in, world, circulated, persona, status, may_comment
):
    sign_in(getattr(world, persona))
    response = client.get(comments_url(circulated))
    assert response.status_code == status
    assert client.get(changes_url(circulated)).status_code == status
    if status != 200:
        return
    page = response.content.decode()
    assert re.search(r"<h1[^>]*>Comments on the minutes", page)
    assert (COMMENT_FORM in page) == may_comment
    assert ('name="text"' in page) == may_comment
    assert "Version 1, circulated on" in page


def test_nobody_signed_out_reads_them(client, circulated):
    for url in (comments_url(circulated), changes_url(circulated)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["azizi", "torebayev", "observer"])
def test_a_draft_is_404_for_members(client, sign_in, world, session, persona):
    sign_in(getattr(world, persona))
    assert client.get(comments_url(session)).status_code == 404
    assert client.get(changes_url(session)).status_code == 404
    assert client.post(comments_url(session), {"text": "Early"}).status_code == 404
    assert not MinutesComment.objects.exists()


def test_the_secretariat_opens_a_drafts_pages(client, sign_in, world, session):
    sign_in(world.staff)
    page = client.get(comments_url(session)).content.decode()
    assert "Not circulated yet" in page
    assert COMMENT_FORM not in page
    page = client.get(changes_url(session)).content.decode()
    assert "have not been circulated yet" in page


def test_a_meeting_without_minutes_has_no_such_pages(client, sign_in, world):
    meeting = factories.MeetingFactory(committee=world.committee, number=7)
    sign_in(world.staff)
    assert client.get(comments_url(meeting)).status_code == 404
    assert client.get(changes_url(meeting)).status_code == 404


# --- Commenting -------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "party"), [("azizi", "af"), ("torebayev", "kz")])
def test_an_official_sends_a_comment(client, sign_in, world, circulated, persona, party):
    user = sign_in(getattr(world, persona))
    trade = item(circulated, 1)
    response = client.post(
        comments_url(circulated),
        {"agenda_item": trade.pk, "paragraph": " 3.2 ", "text": "Say «study», not «build»."},
    )
    stored = MinutesComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{comments_url(circulated)}#comment-{stored.pk}"
    assert (stored.author, stored.party, stored.agenda_item) == (user, getattr(world, party), trade)
    assert (stored.paragraph, stored.circulation.number) == ("3.2", 1)

    page = client.get(response["Location"]).content.decode()
    assert "Your comment is sent to the secretariat." in page
    assert "Say «study», not «build»." in page
    assert f'id="comment-{stored.pk}"' in page
    assert "Not answered yet" in page


def test_a_comment_on_the_minutes_as_a_whole(client, sign_in, world, circulated):
    sign_in(world.azizi)
    page = client.get(comments_url(circulated)).content.decode()
    assert '<option value="" selected>The minutes as a whole</option>' in page
    client.post(comments_url(circulated), {"agenda_item": "", "text": "Add the venue."})
    assert MinutesComment.objects.get().agenda_item is None


def test_comments_are_grouped_by_agenda_item_the_whole_first(client, sign_in, world, circulated):
    comment(circulated, world.azizi, "On transport.", agenda_item=item(circulated, 2))
    comment(circulated, world.azizi, "On trade.", agenda_item=item(circulated, 1))
    comment(circulated, world.azizi, "On everything.")
    sign_in(world.azizi)
    page = client.get(comments_url(circulated)).content.decode()
    order = [page.index(text) for text in ("On everything.", "On trade.", "On transport.")]
    assert order == sorted(order)
    headings = re.findall(r'<h3 id="([\w-]+)" class="h6">', page)
    assert headings == ["on-the-whole", "on-item-1", "on-item-2"]


def test_a_comment_is_shown_as_typed_and_escaped(client, sign_in, world, circulated):
    sign_in(world.torebayev)
    text = "<script>alert(1)</script> first line\nsecond line\u202e reversed"
    client.post(comments_url(circulated), {"text": text})
    assert MinutesComment.objects.get().text == (
        "<script>alert(1)</script> first line\nsecond line reversed"
    )
    page = client.get(comments_url(circulated)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; first line<br>second line reversed" in page
    assert "<script>alert(1)" not in page


def test_a_comment_without_text_is_refused_next_to_the_field(client, sign_in, world, circulated):
    sign_in(world.azizi)
    response = client.post(comments_url(circulated), {"paragraph": "2", "text": "  \u2066 "})
    assert response.status_code == 200
    page = response.content.decode()
    assert field_error(page, "id_text") == "Write the comment."
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="id_text"', page)
    assert 'value="2"' in page  # what was typed stays
    assert not MinutesComment.objects.exists()


def test_an_agenda_item_of_another_session_is_refused(client, sign_in, world, circulated):
    other = factories.AgendaItemFactory(
        meeting=factories.MeetingFactory(committee=world.committee, number=2), position=1
    )
    sign_in(world.azizi)
    response = client.post(comments_url(circulated), {"agenda_item": other.pk, "text": "Hm."})
    assert "Select a valid choice" in field_error(response.content.decode(), "id_agenda_item")
    assert not MinutesComment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("observer", 403), ("staff", 403), ("outsider", 404)]
)
def test_others_cannot_comment(client, sign_in, world, circulated, persona, status):
    sign_in(getattr(world, persona))
    assert client.post(comments_url(circulated), {"text": "Me too."}).status_code == status
    assert not MinutesComment.objects.exists()


def test_an_observer_is_told_why_there_is_no_form(client, sign_in, world, circulated):
    sign_in(world.observer)
    page = client.get(comments_url(circulated)).content.decode()
    assert "Observers read the comments; they do not send them." in page


def test_after_the_deadline_the_form_is_gone_and_a_post_refused(client, sign_in, world, circulated):
    Minutes.objects.filter(pk=circulated.minutes.pk).update(
        comment_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    sign_in(world.azizi)
    page = client.get(comments_url(circulated)).content.decode()
    assert COMMENT_FORM not in page
    assert '<span class="badge text-bg-secondary">closed</span>' in page
    assert "The deadline for comments has passed." in page

    response = client.post(comments_url(circulated), {"text": "Too late?"}, follow=True)
    assert response.redirect_chain == [(comments_url(circulated), 302)]
    assert 'role="alert">The deadline for comments has passed.</div>' in response.content.decode()
    assert not MinutesComment.objects.exists()


def test_the_deadline_is_shown_with_its_time_and_zone(client, sign_in, world, circulated):
    deadline = datetime.datetime(2036, 5, 4, 9, 0, tzinfo=datetime.UTC)
    Minutes.objects.filter(pk=circulated.minutes.pk).update(comment_deadline=deadline)
    sign_in(world.azizi)
    page = client.get(comments_url(circulated)).content.decode()
    # 09:00 UTC is 13:30 in Kabul, the venue's zone.
    assert '4 May 2036, 13:30</time> <span class="text-body-secondary">(Asia/Kabul)' in page
    assert COMMENT_FORM in page


def test_approved_minutes_take_no_more_comments(client, sign_in, world, circulated):
    factories.approve_minutes(circulated.minutes, world.staff)
    sign_in(world.azizi)
    assert COMMENT_FORM not in client.get(comments_url(circulated)).content.decode()
    response = client.post(comments_url(circulated), {"text": "After approval"}, follow=True)
    assert "The minutes are approved: comments are closed." in response.content.decode()
    assert not MinutesComment.objects.exists()


# --- Who reads which comments, and the answers -------------------------------------------------


def test_the_other_delegation_reads_a_comment_once_answered(client, sign_in, world, circulated):
    afghan = comment(circulated, world.azizi, "Afghan remark on the corridor.")
    for persona in ("torebayev", "observer"):
        sign_in(getattr(world, persona))
        assert "Afghan remark" not in client.get(comments_url(circulated)).content.decode()
        assert "Comments (0)" in client.get(circulated.get_absolute_url()).content.decode()
    sign_in(world.azizi)
    assert "Afghan remark" in client.get(comments_url(circulated)).content.decode()
    assert "Comments (1)" in client.get(circulated.get_absolute_url()).content.decode()

    services.comment_answer(comment=afghan, user=world.staff, answer="accepted")

    for persona in ("torebayev", "observer"):
        sign_in(getattr(world, persona))
        page = client.get(comments_url(circulated)).content.decode()
        assert "Afghan remark on the corridor." in page
        assert '<span class="badge answer-accepted">Accepted</span>' in page
        assert "Comments (1)" in client.get(circulated.get_absolute_url()).content.decode()


def test_the_secretariat_reads_every_comment_with_an_answer_form(
    client, sign_in, world, circulated
):
    afghan = comment(circulated, world.azizi, "Afghan remark.")
    kazakh = comment(circulated, world.torebayev, "Kazakh remark.")
    sign_in(world.staff)
    page = client.get(comments_url(circulated)).content.decode()
    assert "Afghan remark." in page
    assert "Kazakh remark." in page
    for remark in (afghan, kazakh):
        assert f'action="{answer_url(remark)}#comment-{remark.pk}"' in page
    # The answers are a group of radio buttons under one legend, the reason labelled.
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>\s*Answer", page)
    assert re.search(rf'<label\s+for="id_answer-{afghan.pk}-answer_reason"', page)
    assert page.count('name="csrfmiddlewaretoken"') == page.count('method="post"')
    assert "Comments (2)" in client.get(circulated.get_absolute_url()).content.decode()


def test_a_decline_without_reason_is_refused_next_to_the_field(client, sign_in, world, circulated):
    remark = comment(circulated, world.azizi)
    sign_in(world.staff)
    prefix = f"answer-{remark.pk}"
    response = client.post(answer_url(remark), {f"{prefix}-answer": "declined"})
    assert response.status_code == 200
    page = response.content.decode()
    assert field_error(page, f"id_{prefix}-answer_reason") == (
        "Give the reason when a comment is declined or accepted with changes."
    )
    assert re.search(r'value="declined"[^>]* checked>', page)  # the choice stays
    remark.refresh_from_db()
    assert remark.answer == ""

    response = client.post(answer_url(remark), {f"{prefix}-answer_reason": "Why?"})
    assert field_error(response.content.decode(), f"id_{prefix}-answer") == "Choose an answer."


def test_the_secretariat_answers_and_may_change_the_answer(client, sign_in, world, circulated):
    remark = comment(circulated, world.torebayev)
    sign_in(world.staff)
    prefix = f"answer-{remark.pk}"
    response = client.post(
        answer_url(remark),
        {f"{prefix}-answer": "accepted_with_changes", f"{prefix}-answer_reason": "Reworded."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{comments_url(circulated)}#comment-{remark.pk}"
    remark.refresh_from_db()
    assert (remark.answer, remark.answer_reason, remark.answered_by) == (
        "accepted_with_changes",
        "Reworded.",
        world.staff,
    )
    page = client.get(comments_url(circulated)).content.decode()
    assert "The answer is recorded." in page
    assert "Change the answer" in page

    client.post(
        answer_url(remark),
        {f"{prefix}-answer": "declined", f"{prefix}-answer_reason": "The text stands."},
    )
    remark.refresh_from_db()
    assert (remark.answer, remark.answer_reason) == ("declined", "The text stands.")
    sign_in(world.torebayev)
    page = client.get(comments_url(circulated)).content.decode()
    assert '<span class="badge answer-declined">Declined</span>' in page
    assert "The text stands." in page
    assert ANSWER_FORM not in page


@pytest.mark.parametrize(
    ("persona", "status"), [("azizi", 403), ("observer", 403), ("outsider", 404)]
)
def test_only_the_secretariat_answers(client, sign_in, world, circulated, persona, status):
    remark = comment(circulated, world.azizi)
    sign_in(getattr(world, persona))
    prefix = f"answer-{remark.pk}"
    response = client.post(answer_url(remark), {f"{prefix}-answer": "accepted"})
    assert response.status_code == status
    remark.refresh_from_db()
    assert remark.answer == ""


def test_a_comment_of_another_session_is_not_answered_here(client, sign_in, world, circulated):
    remark = comment(circulated, world.azizi)
    other = factories.MinutesFactory(
        meeting=factories.MeetingFactory(committee=world.committee, number=3)
    )
    sign_in(world.staff)
    url = reverse("meetings:minutes_comment_answer", args=[other.meeting_id, remark.pk])
    assert client.post(url, {f"answer-{remark.pk}-answer": "accepted"}).status_code == 404


def test_answers_close_with_the_approval(client, sign_in, world, circulated):
    remark = comment(circulated, world.azizi)
    factories.approve_minutes(circulated.minutes, world.staff)
    sign_in(world.staff)
    assert ANSWER_FORM not in client.get(comments_url(circulated)).content.decode()
    response = client.post(
        answer_url(remark), {f"answer-{remark.pk}-answer": "accepted"}, follow=True
    )
    assert "Approved minutes are re-opened before they change." in response.content.decode()
    remark.refresh_from_db()
    assert remark.answer == ""


def test_the_comment_and_its_answer_are_in_the_history(client, sign_in, world, circulated):
    sign_in(world.azizi)
    client.post(comments_url(circulated), {"text": "Name the port."})
    remark = MinutesComment.objects.get()
    sign_in(world.staff)
    prefix = f"answer-{remark.pk}"
    client.post(
        answer_url(remark),
        {f"{prefix}-answer": "declined", f"{prefix}-answer_reason": "Named in item 1."},
    )

    sent, answered = events_of(remark)
    assert (sent.pgh_label, sent.text, sent.answer) == ("insert", "Name the port.", "")
    assert sent.pgh_context.metadata == {"user": world.azizi.pk, "url": comments_url(circulated)}
    assert (answered.pgh_label, answered.answer) == ("update", "declined")
    assert answered.pgh_context.metadata == {"user": world.staff.pk, "url": answer_url(remark)}

    entries, older = history.recent_changes(remark, limit=10)
    assert not older
    assert [entry.label for entry in entries] == ["update", "insert"]
    assert entries[0].who == "secretariat"
    assert entries[1].who == "Nooruddin Azizi"
    changes = {change.field: (change.old, change.new) for change in entries[0].changes}
    assert changes["Answer"] == ("—", "Declined")
    assert changes["Reason"] == ("—", "Named in item 1.")
    assert changes["Answered by"] == ("—", "secretariat")


# --- What changed between versions -------------------------------------------------------------


def edit_decision(meeting, **texts):
    AgendaItem.objects.filter(meeting=meeting, position=1).update(**texts)


def test_a_recirculated_edit_shows_on_the_changes_page(client, sign_in, world, circulated):
    edit_decision(circulated, decision_en=BUILD, decision_fa="طرفین موافقت کردند دهلیز بسازند.")
    services.minutes_circulate(minutes=circulated.minutes, user=world.staff)
    sign_in(world.azizi)
    page = client.get(changes_url(circulated)).content.decode()
    assert "From version 1 to version 2" in page
    assert "Item 1, decision" in page
    english = re.search(r'<p class="text-diff mb-0" lang="en" dir="ltr">(.*?)</p>', page, re.S)
    assert english, page
    assert re.search(r"<del>(<span[^>]*>removed: </span>)?study</del>", english.group(1))
    assert re.search(r"<ins>(<span[^>]*>added: </span>)?build</ins>", english.group(1))
    assert "The Parties agreed to " in english.group(1)
    dari = re.search(r'<p class="text-diff mb-0" lang="fa" dir="rtl">(.*?)</p>', page, re.S)
    assert dari, page
    assert "<ins>" in dari.group(1)
    assert "<del>" not in dari.group(1)  # there was no Dari text before


def test_the_secretariat_sees_its_edits_before_circulating_them(client, sign_in, world, circulated):
    sign_in(world.staff)
    page = client.get(f"{changes_url(circulated)}?to=draft").content.decode()
    assert "From version 1 to the current text, not yet circulated" in page
    assert "No changes: the texts are the same in every language." in page

    edit_decision(circulated, decision_en=BUILD)
    page = client.get(f"{changes_url(circulated)}?to=draft").content.decode()
    assert "<del>" in page
    assert "<ins>" in page
    assert '<option value="draft" selected>' in page
    # A delegation is never shown the secretariat's unsent edits.
    sign_in(world.azizi)
    page = client.get(f"{changes_url(circulated)}?to=draft").content.decode()
    assert "not yet circulated" not in page
    assert "<ins>" not in page
    assert BUILD not in page


def test_the_first_version_has_nothing_before_it(client, sign_in, world, circulated):
    sign_in(world.torebayev)
    page = client.get(changes_url(circulated)).content.decode()
    assert "Version 1 is the first circulated version" in page
    assert "<del>" not in page


@pytest.mark.parametrize(
    "query",
    ["?from=abc&to=xyz", "?from=99&to=-1", "?from=2&to=1", "?from=&to=", "?from=1.5", "?to=draft"],
)
def test_versions_that_do_not_exist_fall_back(client, sign_in, world, circulated, query):
    edit_decision(circulated, decision_en=BUILD)
    services.minutes_circulate(minutes=circulated.minutes, user=world.staff)
    sign_in(world.azizi)
    response = client.get(changes_url(circulated) + query)
    assert response.status_code == 200
    assert "From version 1 to version 2" in response.content.decode()


def test_any_two_versions_are_compared(client, sign_in, world, circulated):
    for text in (BUILD, "The Parties agreed to fund a corridor."):
        edit_decision(circulated, decision_en=text)
        services.minutes_circulate(minutes=circulated.minutes, user=world.staff)
    sign_in(world.torebayev)
    page = client.get(f"{changes_url(circulated)}?from=1&to=3").content.decode()
    assert "From version 1 to version 3" in page
    assert re.search(r"<del>(<span[^>]*>[^<]*</span>)?study</del>", page)
    assert re.search(r"<ins>(<span[^>]*>[^<]*</span>)?fund</ins>", page)


# --- The meeting page links to them -------------------------------------------------------------


def test_the_meeting_page_links_once_circulated(client, sign_in, world, session):
    sign_in(world.staff)
    page = client.get(session.get_absolute_url()).content.decode()
    assert comments_url(session) not in page
    services.minutes_circulate(minutes=session.minutes, user=world.staff)
    comment(session, world.azizi)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f'<a href="{comments_url(session)}">Comments (1)</a>' in page
    assert f'<a href="{changes_url(session)}">Changes between versions</a>' in page


# --- Queries ------------------------------------------------------------------------------------

_grown = iter(range(1, 10_000))


def grow_comments(world, meeting, size: int) -> None:
    """`size` comments more, from officials of both delegations, on the whole and on each
    item, half of them answered by one of two secretaries: each row names other people,
    delegations and items than its neighbour."""
    batch = next(_grown)
    second_staff = factories.UserFactory(username=f"secretary-{batch}", is_staff=True)
    officials = [world.azizi, world.torebayev]
    for n, party in enumerate([world.af, world.kz]):
        user = factories.UserFactory(username=f"official-{batch}-{n}", first_name=f"Official {n}")
        factories.MemberFactory(committee=world.committee, party=party, user=user)
        officials.append(user)
    items = [None, *meeting.agenda_items.order_by("position")]
    for n in range(size):
        remark = services.minutes_comment(
            minutes=meeting.minutes,
            user=officials[n % len(officials)],
            text=f"Remark {batch}.{n}",
            agenda_item=items[n % len(items)],
            paragraph=str(n) if n % 3 else "",
        )
        if n % 2:
            services.comment_answer(
                comment=remark,
                user=[world.staff, second_staff][n % 4 // 2],
                answer=["accepted", "declined"][n % 3 % 2],
                reason="Because." if n % 3 % 2 else "",
            )


def grow_versions(world, meeting, size: int) -> None:
    """`size` versions more, each circulated by another secretary."""
    minutes = Minutes.objects.get(meeting=meeting)
    for _n in range(size):
        staff = factories.UserFactory(username=f"circulator-{next(_grown)}", is_staff=True)
        AgendaItem.objects.filter(meeting=meeting, position=1).update(decision_en=f"Text {staff}")
        services.minutes_circulate(minutes=minutes, user=staff)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("persona", ["azizi", "staff"])
def test_the_pages_run_a_fixed_number_of_queries(client, sign_in, world, circulated, persona):
    sign_in(getattr(world, persona))
    urls = [
        comments_url(circulated),
        changes_url(circulated),
        f"{changes_url(circulated)}?to=draft",
        circulated.get_absolute_url(),
    ]
    grow_comments(world, circulated, 2)
    grow_versions(world, circulated, 1)
    small = {url: count_queries(client, url) for url in urls}

    grow_comments(world, circulated, 30)
    grow_versions(world, circulated, 6)
    large = {url: count_queries(client, url) for url in urls}

    # The pages measured list many times more rows than the first time.
    page = client.get(comments_url(circulated)).content.decode()
    assert page.count('<li class="card mb-2" id="comment-') > 20
    assert circulated.minutes.circulations.count() == 8
    assert large == small
