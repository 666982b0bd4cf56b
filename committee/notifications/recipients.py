"""Who hears about a pledge: the focal points of the side that must act, and the heads of
delegation above them."""

from committee.agreements.models import Pledge
from committee.members.models import Member, User


def co_chairs_by_party(committee_id: int) -> dict[int, User]:
    """Each party's co-chair on a committee who can sign in, by party id: the head of its
    delegation between sessions (at a session, the head named in the attendance approves the
    minutes: meetings.record.heads_of_delegation)."""
    heads = (
        Member.objects.active()
        .filter(committee_id=committee_id, role=Member.Role.CO_CHAIR, user__isnull=False)
        .select_related("user")
        .order_by("party_id", "pk")
    )
    found: dict[int, User] = {}
    for member in heads:
        found.setdefault(member.party_id, member.user)
    return found


def _logins(*members: Member | None) -> list[User]:
    users = {}
    for member in members:
        if (
            member is not None
            and member.is_active
            and member.user is not None
            and member.user.is_active
        ):
            users[member.user.pk] = member.user
    return list(users.values())


def focal_points(pledge: Pledge) -> list[User]:
    """Who is reminded: the focal point of the responsible side, and for a joint pledge the
    counterpart's too. A side with no focal point who can sign in is reminded through its
    head of delegation, so that no reminder is decided for nobody."""
    members = [pledge.focal_point]
    if pledge.is_joint:
        members.append(pledge.counterpart_focal_point)
    users = _logins(*members)
    # Each side on its own: a joint pledge's focal point on one side reaches no one on the other.
    reached = {member.party_id for member in members if _logins(member)}
    heads = co_chairs_by_party(pledge.committee_id)
    parties = heads.keys() if pledge.is_joint else [pledge.responsible_party_id]
    for party in parties:
        if party not in reached and party in heads and heads[party] not in users:
            users.append(heads[party])
    return users


def escalation_to(pledge: Pledge) -> list[User]:
    """The heads of delegation of the side (both sides of a joint pledge) that must act."""
    heads = co_chairs_by_party(pledge.committee_id)
    if pledge.is_joint:
        chosen = list(heads.values())
    else:
        head = heads.get(pledge.responsible_party_id)
        chosen = [head] if head else []
    # A head who is the pledge's own focal point has had its reminders: the escalation is
    # for those above the person who acts.
    acting = {
        member.user_id for member in (pledge.focal_point, pledge.counterpart_focal_point) if member
    }
    return [user for user in chosen if user.pk not in acting]


def counterparts(pledge: Pledge, author_party_id: int | None) -> list[User]:
    """Who hears of an update: the focal points on the pledge who are not on the author's
    side, when the pledge is joint or another side depends on it (it names a counterpart)."""
    depends = pledge.counterpart_organization_id or pledge.counterpart_focal_point_id
    if not (pledge.is_joint or depends):
        return []
    others = [
        member
        for member in (pledge.focal_point, pledge.counterpart_focal_point)
        if member is not None and member.party_id != author_party_id
    ]
    return _logins(*others)
