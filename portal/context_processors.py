"""What every page says about whose service it is: the committee, its parties, whom to write
to, and which version of the portal answers."""

import functools
from dataclasses import dataclass
from importlib import metadata

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, cached_property

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
    version: str

    @cached_property
    def parties(self) -> tuple[Party, ...]:
        # Read only by the header, which a page keeps (portal_header); the footer needs none.
        if self.committee is None:
            return ()
        return tuple(sorted(self.committee.parties.all(), key=lambda party: party.name))


def _service(request: HttpRequest) -> Service:
    return Service(committee=rules.committee_named_to(request.user), version=portal_version())


def _service_of(request: HttpRequest) -> Service:
    # Once per request: the page and its kept header (portal_header) are rendered apart.
    try:
        return request._portal_service
    except AttributeError:
        request._portal_service = _service(request)
        return request._portal_service


def service(request: HttpRequest) -> dict:
    """`service` in every template, read from the database only by a page that shows it."""
    return {"service": SimpleLazyObject(lambda: _service_of(request))}
