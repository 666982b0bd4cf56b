"""The pledge tracker's filters. The same filter set drives the page, the exports and the
implementation report, so an export holds exactly what the page lists."""

import datetime
import functools
import operator
import re

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.agreements.models import Agreement, DueWindow, Pledge
from committee.meetings.models import Sector
from committee.members import rules
from committee.members.models import Party

SEARCHED_FIELDS = [
    f"{field}_{code}"
    for field in ("title", "description")
    for code, _name in settings.CONTENT_LANGUAGES
]


# A pledge's reference as Pledge.reference writes it: "AF-KZ/JIWC/1 §9" (an agreement's
# reference and the pledge's number), "S1/5.1" (session 1, agenda item 5, pledge 1).
AGREEMENT_REFERENCE = re.compile(r"^(?P<agreement>.+?)\s*§\s*(?P<number>\d+)$")
SESSION_REFERENCE = re.compile(r"^S(?P<meeting>\d+)/(?P<item>\d+)\.(?P<number>\d+)$", re.IGNORECASE)


def reference_query(value: str) -> Q | None:
    """The pledge a search names by its reference, or None when the search is words."""
    value = value.strip()
    if match := SESSION_REFERENCE.match(value):
        return Q(
            agenda_item__meeting__number=int(match["meeting"]),
            agenda_item__position=int(match["item"]),
            number=int(match["number"]),
        )
    if match := AGREEMENT_REFERENCE.match(value):
        return Q(agreement__reference__iexact=match["agreement"], number=int(match["number"]))
    return None


# "Responsible party": the joint pledges alone (the other options are parties' ids).
JOINT_ONLY = "joint"


def party_options(parties) -> dict[str, tuple[str, Q]]:
    """What "Responsible party" offers, each option saying what it lists: a party's pledges
    with the joint ones (a joint pledge is every party's; ?responsible_party=<id> has always
    meant this), a party's pledges alone, or the joint pledges alone. Value: (label, filter)."""
    joint = Q(responsible_party__isnull=True)
    options = {}
    for party in parties:
        own = Q(responsible_party=party.pk)
        names = {"party": party.name}
        options[str(party.pk)] = (gettext("%(party)s, with joint pledges") % names, own | joint)
        options[f"{party.pk}-only"] = (gettext("%(party)s only") % names, own)
    options[JOINT_ONLY] = (gettext("Joint pledges only"), joint)
    return options


class PledgeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"), queryset=None, empty_label=_("Any")
    )
    responsible_party = django_filters.ChoiceFilter(
        label=_("Responsible party"), method="filter_party", empty_label=_("Any")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("Any")
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Pledge.Status.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"), choices=DueWindow.choices, method="filter_due", empty_label=_("Any time")
    )
    agreement = django_filters.ModelChoiceFilter(
        label=_("Agreement"), queryset=None, empty_label=_("Any")
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Due date, earliest first"),
        fields=[
            ("due_on", "due"),
            ("status", "status"),
            ("progress", "progress"),
            ("responsible_party__name", "party"),
            ("sector__name", "sector"),
            ("updated_at", "updated"),
            ("number", "number"),
        ],
        field_labels={
            "due": _("Due date"),
            "status": _("Status"),
            "progress": _("Progress"),
            "party": _("Responsible party"),
            "sector": _("Sector"),
            "updated": _("Last changed"),
            "number": _("Number"),
        },
    )

    class Meta:
        model = Pledge
        fields = ["q", "committee", "responsible_party", "sector", "status", "due", "agreement"]

    def __init__(self, data=None, *args, user, today: datetime.date | None = None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.today = today or timezone.localdate()
        committees = rules.committees_visible_to(user)
        self.filters["committee"].queryset = committees
        self.party_options = party_options(
            Party.objects.filter(committees__in=committees).distinct()
        )
        self.filters["responsible_party"].extra["choices"] = [
            (value, label) for value, (label, _query) in self.party_options.items()
        ]
        self.filters["agreement"].queryset = rules.scope_to_committees(
            Agreement.objects.all(), user
        )

    def search(self, queryset, name, value):
        by_reference = reference_query(value)
        if by_reference is not None:
            return queryset.filter(by_reference)
        terms = value.split()[:10]
        for term in terms:
            queryset = queryset.filter(
                functools.reduce(
                    operator.or_, (Q(**{f"{field}__icontains": term}) for field in SEARCHED_FIELDS)
                )
            )
        return queryset

    def filter_party(self, queryset, name, value):
        return queryset.filter(self.party_options[value][1])

    def filter_due(self, queryset, name, value):
        return queryset.in_due_window(value, self.today)
