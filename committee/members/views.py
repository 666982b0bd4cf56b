from itertools import groupby

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from committee.members import rules
from committee.members.models import Member


@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    """The directory: every committee the user may read, its members grouped by delegation."""
    committees = rules.committees_visible_to(request.user).prefetch_related(
        Prefetch(
            "members",
            queryset=Member.objects.active()
            .select_related("party", "organization")
            .in_protocol_order(),
            to_attr="active_members",
        )
    )
    directory = []
    for committee in committees:
        # Observers follow the committee's work; they are not of a delegation, so they are
        # listed on their own, whichever side nominated them.
        members = [m for m in committee.active_members if m.role != Member.Role.OBSERVER]
        observers = [m for m in committee.active_members if m.role == Member.Role.OBSERVER]
        delegations = [
            (party, list(rows)) for party, rows in groupby(members, key=lambda m: m.party)
        ]
        directory.append((committee, delegations, observers))
    return render(request, "members/member_list.html", {"directory": directory})
