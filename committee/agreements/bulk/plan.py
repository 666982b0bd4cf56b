"""How big the bulk data set is: every count follows the number of pledges.

At the default of 10,000 pledges: 3 committees, 60 sessions, 3,000 agenda items, 300
agreements, 100,000 updates and 600 members with logins, as a committee that has met for
twenty years with two sectoral sub-committees would hold. Fewer pledges scale everything down
in proportion, down to the least that still has every kind of record (a session of each
state per committee, both delegations with a co-chair and an official).
"""

import dataclasses

DEFAULT_PLEDGES = 10_000
COMMITTEES = 3
PARTIES = 2
UPDATES_PER_PLEDGE = 10
# Per 10,000 pledges.
MEETINGS = 60
AGENDA_ITEMS = 3_000
AGREEMENTS = 300
MEMBERS = 600
# Each committee has a session long ago whose minutes are approved, a recent one whose
# minutes are a draft, and a planned one.
LEAST_MEETINGS_PER_COMMITTEE = 3
# Each delegation on each committee has its co-chair and at least one official.
LEAST_MEMBERS_PER_DELEGATION = 2
# Pledges of agreements; the others arise from agenda items.
SHARE_OF_AGREEMENTS = 0.7


@dataclasses.dataclass(frozen=True)
class Plan:
    pledges: int

    def __post_init__(self):
        if self.pledges < 1:
            raise ValueError("at least one pledge")

    def _scaled(self, per_default: int, least: int) -> int:
        return max(least, round(per_default * self.pledges / DEFAULT_PLEDGES))

    @property
    def committees(self) -> int:
        return COMMITTEES

    @property
    def meetings(self) -> int:
        return self._scaled(MEETINGS, COMMITTEES * LEAST_MEETINGS_PER_COMMITTEE)

    @property
    def agenda_items(self) -> int:
        # Every session has at least two items: its business and the next session.
        return self._scaled(AGENDA_ITEMS, 2 * self.meetings)

    @property
    def agreements(self) -> int:
        return self._scaled(AGREEMENTS, COMMITTEES)

    @property
    def members(self) -> int:
        least = COMMITTEES * PARTIES * LEAST_MEMBERS_PER_DELEGATION
        return self._scaled(MEMBERS, least)

    @property
    def updates(self) -> int:
        return UPDATES_PER_PLEDGE * self.pledges

    @property
    def pledges_of_agreements(self) -> int:
        return round(self.pledges * SHARE_OF_AGREEMENTS)

    @property
    def pledges_of_agenda_items(self) -> int:
        return self.pledges - self.pledges_of_agreements

    def counts(self) -> dict[str, int]:
        return {
            "committees": self.committees,
            "meetings": self.meetings,
            "agenda items": self.agenda_items,
            "agreements": self.agreements,
            "pledges": self.pledges,
            "updates": self.updates,
            "members": self.members,
        }


def spread(total: int, parts: int) -> list[int]:
    """`total` in `parts` shares that differ by one at most, the larger first."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def weighted(total: int, weights: list[float], least: int = 1) -> list[int]:
    """`total` in shares after `weights`, each at least `least`, summing to `total` exactly
    (largest remainders)."""
    if total < least * len(weights):
        raise ValueError("too few to give each its least")
    free = total - least * len(weights)
    whole = sum(weights)
    exact = [free * weight / whole for weight in weights]
    shares = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for index in order[: free - sum(shares)]:
        shares[index] += 1
    return [share + least for share in shares]
