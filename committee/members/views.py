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
    directory = [
        (
            committee,
            [
                (party, list(rows))
                for party, rows in groupby(committee.active_members, key=lambda m: m.party)
            ],
        )
        for committee in committees
    ]
    return render(request, "members/member_list.html", {"directory": directory})
