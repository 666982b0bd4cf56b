"""The record as the delegations negotiate it: its texts at each circulation, what changed
between two versions, who heads each delegation, and what an authentic language still lacks.

The texts of a version are kept as plain data (`snapshot`), so a later edit of the draft
cannot change what was circulated; their SHA-256 (`digest`) is the version a confirmation
page carries: an approval or a circulation is refused when the texts changed after the page
was shown.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from difflib import SequenceMatcher

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from committee.core.translations import is_rtl, language_names
from committee.meetings.models import AgendaItem, Attendance, Meeting, Minutes, MinutesCirculation
from committee.members.models import Member

RECORD_FIELDS = ("title", "discussion", "decision")
MINUTES_FIELDS = ("next_session", "done_at")


def _languages() -> list[str]:
    return list(settings.MODELTRANSLATION_LANGUAGES)


def _in_every_language(obj, name: str) -> dict[str, str]:
    return {code: (getattr(obj, f"{name}_{code}", "") or "").strip() for code in _languages()}


def snapshot(minutes: Minutes) -> dict:
    """What the minutes print, in every language: the agenda items with what was said and
    decided and the remarks on each pledge reviewed, who attended and who headed each
    delegation (who signs), the session's place and dates, and the closing formula's facts.
    A change to any of them is a new version, circulated before it is approved."""
    meeting = Meeting.objects.get(pk=minutes.meeting_id)
    items = (
        AgendaItem.objects.filter(meeting_id=minutes.meeting_id)
        .prefetch_related("pledge_reviews")
        .order_by("position")
    )
    attendance = Attendance.objects.filter(meeting_id=minutes.meeting_id).order_by("member_id")
    return {
        "items": [
            {
                "id": item.pk,
                "position": item.position,
                "kind": item.kind,
                "outcome": item.outcome,
                **{name: _in_every_language(item, name) for name in RECORD_FIELDS},
                "reviews": [
                    {"id": review.pk, "remarks": _in_every_language(review, "remarks")}
                    for review in sorted(item.pledge_reviews.all(), key=lambda r: r.pk)
                ],
            }
            for item in items
        ],
        "attendance": [[row.member_id, row.status, row.heads_delegation] for row in attendance],
        "session": {
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "time_zone": meeting.time_zone,
            **{name: _in_every_language(meeting, name) for name in ("venue", "city")},
        },
        **{name: _in_every_language(minutes, name) for name in MINUTES_FIELDS},
        "done_on": minutes.done_on.isoformat() if minutes.done_on else "",
        "original_count": minutes.original_count,
        "authentic_languages": list(minutes.authentic_languages),
        "prevailing_language": minutes.prevailing_language,
    }


def digest(texts: dict) -> str:
    encoded = json.dumps(texts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def current_digest(minutes: Minutes) -> str:
    return digest(snapshot(minutes))


# --- What changed between two versions -----------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclasses.dataclass(frozen=True)
class Piece:
    text: str
    change: str  # "", "added" or "removed"


@dataclasses.dataclass(frozen=True)
class TextChange:
    label: str  # "Item 3, decision"
    language: str  # its name
    lang: str  # its code, for lang= and dir=
    pieces: list[Piece]

    @property
    def dir(self) -> str:
        return "rtl" if is_rtl(self.lang) else "ltr"


def word_diff(old: str, new: str) -> list[Piece]:
    """`new` against `old`, word by word: kept, removed and added runs in reading order."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("".join(before[i1:i2]), ""))
            continue
        if i2 > i1:
            pieces.append(Piece("".join(before[i1:i2]), "removed"))
        if j2 > j1:
            pieces.append(Piece("".join(after[j1:j2]), "added"))
    return pieces


def changes(old: dict, new: dict) -> list[TextChange]:
    """The texts that differ between two snapshots, item by item, in every language."""
    names = language_names()
    labels = {
        "title": _("title"),
        "discussion": _("discussion"),
        "decision": _("decision"),
        "next_session": _("next session"),
        "done_at": _("place of signature"),
    }
    found: list[TextChange] = []

    def compare(label: str, before: dict[str, str], after: dict[str, str]) -> None:
        for code in _languages():
            if before.get(code, "") != after.get(code, ""):
                found.append(
                    TextChange(
                        label=label,
                        language=names.get(code, code),
                        lang=code,
                        pieces=word_diff(before.get(code, ""), after.get(code, "")),
                    )
                )

    old_items = {item["id"]: item for item in old.get("items", [])}
    empty = {name: {} for name in RECORD_FIELDS}
    for item in new.get("items", []):
        previous = old_items.pop(item["id"], None)
        for name in RECORD_FIELDS:
            label = _("Item %(number)s, %(part)s") % {
                "number": item["position"],
                "part": labels[name],
            }
            compare(label, (previous or empty)[name], item[name])
    for item in old_items.values():  # removed from the agenda
        for name in RECORD_FIELDS:
            label = _("Item %(number)s (removed), %(part)s") % {
                "number": item["position"],
                "part": labels[name],
            }
            compare(label, item[name], {})
    for name in MINUTES_FIELDS:
        compare(str(labels[name]).capitalize(), old.get(name, {}), new.get(name, {}))
    return found


# --- Who approves ------------------------------------------------------------------------------


def heads_of_delegation(meeting: Meeting, rows=None) -> dict[int, Member]:
    """Each party's head of delegation at the session, by party id: the attendee marked as
    such, else the party's co-chair who attended (in person or remotely). A party with
    neither has none yet.
    `rows`: the session's attendance already read with their members (printing has them)."""
    if rows is None:
        rows = Attendance.objects.filter(meeting=meeting).select_related(
            "member__party", "member__user", "member__organization"
        )
    present = [row for row in rows if row.status in Attendance.PRESENT_STATUSES]
    ordered = sorted(
        present, key=lambda row: (not row.heads_delegation, row.member.full_name, row.member.pk)
    )
    heads: dict[int, Member] = {}
    for row in ordered:
        member = row.member
        if member.party_id not in heads and (
            row.heads_delegation or member.role == Member.Role.CO_CHAIR
        ):
            heads[member.party_id] = member
    return heads


def parties_of(meeting: Meeting) -> list:
    return list(meeting.committee.parties.order_by("name", "pk"))


def latest_circulation(minutes: Minutes) -> MinutesCirculation | None:
    return minutes.circulations.order_by("-number").first()


def workflow_state(
    minutes: Minutes, *, for_confirmation: bool = True, heads: dict[int, Member] | None = None
) -> dict:
    """Where the minutes stand: version, heads of delegation (`heads`, where the caller has
    read them) and approvals; with `for_confirmation`, also the texts and the digest a
    confirmation carries, the comments' counts and what the texts lack (which reads the whole
    record, so the meeting page goes without)."""
    meeting = minutes.meeting
    parties = parties_of(meeting)
    if heads is None:
        heads = heads_of_delegation(meeting)
    approvals = {
        approval.party_id: approval
        for approval in minutes.approvals.filter(withdrawn_at__isnull=True).select_related(
            "signatory", "recorded_by", "circulation"
        )
    }
    counts = (
        minutes.comments.aggregate(total=Count("pk"), unanswered=Count("pk", filter=Q(answer="")))
        if for_confirmation
        else {"total": None, "unanswered": None}
    )
    latest = latest_circulation(minutes)
    texts = snapshot(minutes) if for_confirmation else None
    current = digest(texts) if for_confirmation else None
    return {
        "minutes": minutes,
        "meeting": meeting,
        "texts": texts,
        "seen": current,
        "circulation": latest,
        "unsent_changes": for_confirmation and latest is not None and latest.digest != current,
        "delegations": [
            {"party": party, "head": heads.get(party.pk), "approval": approvals.get(party.pk)}
            for party in parties
        ],
        "heads_missing": [party for party in parties if party.pk not in heads],
        "approved_parties": set(approvals),
        "missing_texts": missing_texts(meeting) if for_confirmation else [],
        "comment_count": counts["total"],
        "unanswered_count": counts["unanswered"],
    }


# --- What an authentic language lacks ----------------------------------------------------------


def missing_texts(meeting: Meeting) -> list[tuple[str, list[str]]]:
    """For each authentic language (the record language when none is set), what the minutes
    print that has no text in it: (language name, [what, …]), only languages that lack any."""
    from committee.meetings import printing

    minutes = meeting.minutes
    languages = list(minutes.authentic_languages) or [printing.record_language()]
    full = printing.minutes_queryset().get(pk=meeting.pk)
    names = dict(settings.CONTENT_LANGUAGES)  # in the reader's language
    missing = []
    for code in languages:
        if lacking := printing.column(full, code).missing():
            missing.append((str(names.get(code, code)), lacking))
    return missing


def show_as_circulated(
    minutes: Minutes | None, user, items: list, *, latest: MinutesCirculation | None = ...
) -> list:
    """The agenda items as the delegations were sent them. While minutes are circulated the
    secretariat may already be editing the next version: members read the latest circulated
    texts (items, decisions, remarks on reviewed pledges, next session), not the work in
    progress. The instances are changed in place; items added since are left out.
    `latest`: the latest circulation (or None), where the caller has read it."""
    from committee.members import rules

    if minutes is None or not minutes.is_circulated or rules.is_secretariat(user):
        return items
    if latest is ...:
        latest = latest_circulation(minutes)
    return as_circulated(minutes, items, latest)


def as_circulated(minutes: Minutes, items: list, latest: MinutesCirculation | None) -> list:
    """The agenda items and minutes with the texts of circulated version `latest` (as they
    are, where no version was kept), as every delegation reads them; see show_as_circulated.
    The stored PDFs of circulated minutes print these, whoever asks first."""
    if latest is None:
        return items
    texts = latest.texts
    sent = {item["id"]: item for item in texts.get("items", [])}
    shown = []
    for item in items:
        version = sent.get(item.pk)
        if version is None:
            continue
        item.position, item.outcome = version["position"], version["outcome"]
        _overlay(item, version, RECORD_FIELDS)
        remarks = {review["id"]: review for review in version.get("reviews", [])}
        reviews = getattr(item, "review_list", None)
        for review in reviews if reviews is not None else item.pledge_reviews.all():
            if review.pk in remarks:
                _overlay(review, remarks[review.pk], ("remarks",))
        shown.append(item)
    _overlay(minutes, texts, MINUTES_FIELDS)
    return sorted(shown, key=lambda item: item.position)


def _overlay(obj, texts: dict, names) -> None:
    for name in names:
        for code, value in texts.get(name, {}).items():
            setattr(obj, f"{name}_{code}", value)


def changed_in_some_languages(
    minutes: Minutes, latest: MinutesCirculation | None, texts: dict
) -> list[str]:
    """Texts of the draft (`texts`, its snapshot) changed since the last circulated version in
    some authentic languages but not in the others: "Item 3, decision: changed in English,
    not in Dari, Russian".
    A correction made in one language only leaves equally authentic texts saying different
    things."""
    if latest is None:
        return []
    authentic = list(minutes.authentic_languages)
    if len(authentic) < 2:
        return []
    names = dict(settings.CONTENT_LANGUAGES)
    by_label: dict[str, set[str]] = {}
    for change in changes(latest.texts, texts):
        by_label.setdefault(change.label, set()).add(change.lang)
    found = []
    for label, langs in by_label.items():
        changed = [code for code in authentic if code in langs]
        unchanged = [code for code in authentic if code not in langs]
        if changed and unchanged:
            found.append(
                _("%(text)s: changed in %(changed)s, not in %(unchanged)s")
                % {
                    "text": label,
                    "changed": ", ".join(str(names[code]) for code in changed),
                    "unchanged": ", ".join(str(names[code]) for code in unchanged),
                }
            )
    return found
