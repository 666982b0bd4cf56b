"""The permission rules of the portal, in one place.

Views, services and the admin all ask these functions; templates get their answers from the
views (e.g. `may_post` on the pledge page).

| action                                         | observer | official | secretariat |
| ---------------------------------------------- | -------- | -------- | ----------- |
| read pages of committees they belong to        | yes      | yes      | all         |
| post an update on own delegation's/joint pledge | no       | yes      | yes         |
| post an update on the other delegation's pledge | no       | no (403) | yes         |
| see another committee's data                   | no (404) | no (404) | yes         |
| edit in the admin; circulate, re-open minutes  | no       | no       | yes         |
| read discussions and decisions of a draft      | no       | no       | yes         |
| comment on circulated minutes (until deadline) | no       | yes      | no (answers)|
| read comments on minutes                       | own side | own side | all         |
| approve minutes for a delegation               | no       | its head | no          |
| download a PDF made of the report              | its reach| its reach| yes         |
| read the superseded PDF of re-opened minutes   | no       | no       | yes         |
| issue an enrolment link (second factor)        | no       | no       | others' only|

"Its reach": a PDF of the report holds the pledges of the committees its asker reads; it is
handed to whoever reads every one of them (can_read_all_of).

Enrolment links: a staff member sets up an authenticator app only with a link another member
of the secretariat issued (committee/accounts/enrolment.py), never one of their own: their
password alone must not be enough. Links are for active staff, who pass the second factor.

Comments: a delegation reads its own and, once the secretariat has answered them, the other
side's. "Its head": the head of delegation named on the session (record.heads_of_delegation).

"Secretariat" is Django's `is_staff`. An official is a user linked to an active Member of the
committee in any role but observer; the Member's party is the user's delegation there.
Memberships are read once per request and cached on the user object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from committee.members.models import Committee, Member

if TYPE_CHECKING:
    from committee.members.models import User

_CACHE_ATTRIBUTE = "_portal_memberships"


def is_secretariat(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def memberships(user: User) -> dict[int, Member]:
    """The user's active memberships by committee id (one query per request at most)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = {
            member.committee_id: member
            for member in Member.objects.active()
            .filter(user=user)
            .select_related("party", "committee")
            # By committee, not the members' own order (committee and party names): sorting
            # by names that no caller needs cost every page a join's worth of compiling.
            .order_by("committee_id")
        }
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def reader_key(user: User) -> tuple:
    """What every rule here decides by, as a value: a page part kept for one reader
    (committee/core/freshness.py) is kept under it, so that memberships read before a change
    and the part read after it can never be served together again."""
    return (
        is_secretariat(user),
        tuple(
            (committee_id, member.party_id, member.role)
            for committee_id, member in sorted(memberships(user).items())
        ),
    )


def visible_committee_ids(user: User) -> list[int] | None:
    """Ids of the committees the user may read; None means all of them (secretariat)."""
    if is_secretariat(user):
        return None
    return list(memberships(user))


def committees_visible_to(user: User) -> QuerySet[Committee]:
    ids = visible_committee_ids(user)
    return Committee.objects.all() if ids is None else Committee.objects.filter(pk__in=ids)


def committees_named_to(user: User) -> QuerySet[Committee]:
    """The committees a page's header may name: those the user reads. A visitor not yet signed
    in sees every committee's name and its secretariat's contact, as a service's name is
    public (the sign-in page says whose service it is and whom to ask for help)."""
    if not user.is_authenticated:
        return Committee.objects.all()
    return committees_visible_to(user)


def committee_named_to(user: User) -> Committee | None:
    """The one committee of committees_named_to(user), or None when there are several or none:
    a page's header names the service after it. A member's is known from their memberships,
    without a query."""
    if user.is_authenticated and not is_secretariat(user):
        mine = memberships(user)
        return next(iter(mine.values())).committee if len(mine) == 1 else None
    committees = list(committees_named_to(user).order_by("pk")[:2])
    return committees[0] if len(committees) == 1 else None


def scope_to_committees(queryset: QuerySet, user: User, field: str = "committee") -> QuerySet:
    """Limit any queryset to the committees the user may read, through `field`."""
    ids = visible_committee_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def can_view_committee(user: User, committee_id: int) -> bool:
    ids = visible_committee_ids(user)
    return ids is None or committee_id in ids


def can_read_all_of(user: User, committee_ids: list[int] | None) -> bool:
    """Whether the user reads every one of these committees (None: every committee there is):
    a PDF of a report made for someone with that reach may be handed to them."""
    ids = visible_committee_ids(user)
    if ids is None:
        return True
    return committee_ids is not None and set(committee_ids) <= set(ids)


def delegation(user: User, committee_id: int):
    """The party the user speaks for on a committee, or None (secretariat, outsiders)."""
    member = memberships(user).get(committee_id)
    return member.party if member else None


def is_observer(user: User, committee_id: int) -> bool:
    member = memberships(user).get(committee_id)
    return member is not None and member.role == Member.Role.OBSERVER


def can_post_update(user: User, pledge) -> bool:
    """Officials report on their own delegation's pledges and on joint ones; staff on all."""
    if is_secretariat(user):
        return True
    member = memberships(user).get(pledge.committee_id)
    if member is None or member.role == Member.Role.OBSERVER:
        return False
    return pledge.responsible_party_id is None or pledge.responsible_party_id == member.party_id


def can_edit_records(user: User) -> bool:
    """Editing in the admin and moving minutes through their workflow."""
    return is_secretariat(user)


def can_read_superseded_records(user: User) -> bool:
    """The sealed PDF that a re-opening of the minutes replaced is kept for the audit trail:
    the secretariat reads it; /verify/ tells anyone whether a copy of it is intact."""
    return is_secretariat(user)


def can_view_minutes(user: User, minutes) -> bool:
    """Drafts are the secretariat's; members read minutes once circulated or approved."""
    if not can_view_committee(user, minutes.meeting.committee_id):
        return False
    return is_secretariat(user) or not minutes.is_draft


def can_read_proceedings(user: User, minutes) -> bool:
    """The discussion and decision texts of a session (and what was said of each pledge
    reviewed): the secretariat's while the minutes are a draft or not yet begun; everyone's
    who reads the committee once they are circulated."""
    return is_secretariat(user) or (minutes is not None and not minutes.is_draft)


def can_comment_on_minutes(user: User, minutes) -> bool:
    """Officials of a delegation (not observers, not the secretariat, who answer)."""
    if is_secretariat(user):
        return False
    member = memberships(user).get(minutes.meeting.committee_id)
    return member is not None and member.role != Member.Role.OBSERVER


def comments_visible_condition(user: User, committee_field: str) -> Q:
    """Which comments on minutes a reader sees: all for the secretariat; for a delegation, in
    its committees, its own and the answered others. A condition on comments that reach their
    committee through `committee_field`, so that a page can count them inside another query."""
    if is_secretariat(user):
        return Q()
    mine = memberships(user)
    condition = Q(**{f"{committee_field}__in": list(mine)}) & ~Q(answer="")
    for committee_id, member in mine.items():
        condition |= Q(**{committee_field: committee_id, "party": member.party_id})
    return condition


def comments_visible_to(user: User, comments: QuerySet) -> QuerySet:
    """The comments on minutes that `user` sees (comments_visible_condition)."""
    return comments.filter(comments_visible_condition(user, "minutes__meeting__committee"))


def head_of_delegation(user: User, heads: dict[int, Member]) -> Member | None:
    """The delegation `user` heads at a session (heads by party id), if any: who approves its
    minutes in the portal."""
    if not user.is_authenticated:
        return None
    return next((member for member in heads.values() if member.user_id == user.pk), None)


def can_issue_enrolment_link(issuer: User, account: User) -> bool:
    """Another member of the secretariat, never the account's owner: an enrolment link lets its
    holder, with the password, bind an authenticator app to a staff account."""
    return (
        is_secretariat(issuer)
        and account.is_active
        and (account.is_staff or account.is_superuser)
        and account.pk != issuer.pk
    )
