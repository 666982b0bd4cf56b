"""What every page says about whose service it is: the committee, its parties, whom to write
to, and which version of the portal answers."""

import functools
from dataclasses import dataclass
from importlib import metadata

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from committee.members import rules
from committee.members.models import Committee, Party


@functools.cache
def portal_version() -> str:
    return metadata.version("joint-committee-portal")


@dataclass(frozen=True)
class Service:
    """The committee a page speaks for (None when the reader sees several, or there is none
    yet), with its parties in the reader's language (modeltranslation)."""

    committee: Committee | None
    parties: tuple[Party, ...]
    version: str


def _service(request: HttpRequest) -> Service:
    # Two at most: one committee names the service; several leave it to the portal's name.
    committees = list(
        rules.committees_named_to(request.user).prefetch_related("parties").order_by("pk")[:2]
    )
    if len(committees) != 1:
        return Service(committee=None, parties=(), version=portal_version())
    committee = committees[0]
    return Service(
        committee=committee,
        parties=tuple(sorted(committee.parties.all(), key=lambda party: party.name)),
        version=portal_version(),
    )


def service(request: HttpRequest) -> dict:
    """`service` in every template, read from the database only by a page that shows it."""
    return {"service": SimpleLazyObject(lambda: _service(request))}
