"""The pledge tracker's filters. The same filter set drives the page, the exports and the
implementation report, so an export holds exactly what the page lists."""

import datetime
import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case, CharField, F, OrderBy, Q, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, NullIf
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from committee.agreements.models import Agreement, DueWindow, Pledge
from committee.core.translations import localized
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


def _status_rank() -> Expression:
    """Statuses in their working order (not started … cancelled), not by their codes."""
    return Case(*(When(status=s, then=Value(n)) for n, s in enumerate(Pledge.Status.values)))


def _focal_point_name() -> Expression:
    """The focal point's name in the reader's language (as Member.__str__ gives it, without the
    honorific), or the position of a member known only by it."""
    return Coalesce(
        NullIf(localized("focal_point__full_name"), Value("")),
        localized("focal_point__position"),
        output_field=CharField(),
    )


# What each sort order of the tracker sorts by. Callables: a name is read in the language active
# when the list is asked for (the English name standing in for an untranslated one).
SORT_ORDERS: dict[str, tuple[str, Callable[[], list[Expression]]]] = {
    "due": (_("Due date"), lambda: [F("due_on")]),
    "status": (_("Status"), lambda: [_status_rank()]),
    "progress": (_("Progress"), lambda: [F("progress")]),
    "party": (
        _("Responsible party"),
        lambda: [localized("responsible_party__name"), localized("lead_organization__name")],
    ),
    "organization": (_("Lead organization"), lambda: [localized("lead_organization__name")]),
    "focal_point": (_("Focal point"), lambda: [_focal_point_name()]),
    "sector": (_("Sector"), lambda: [localized("sector__name")]),
    # The queryset is Pledge.objects.for_listing(), which annotates last_update_at.
    "last_update": (_("Last update"), lambda: [F("last_update_at")]),
    "updated": (_("Last changed"), lambda: [F("updated_at")]),
    # The order of the agreement's text, or of the session's agenda: what a reference cites.
    "number": (
        _("Reference"),
        lambda: [
            F("agreement__reference"),
            F("agenda_item__meeting__number"),
            F("agenda_item__position"),
            F("number"),
        ],
    ),
}
# Without ?ordering= the list is in Pledge.Meta.ordering: by due date, earliest first.
DEFAULT_ORDERING = "due"
# Equal keys keep one order from page to page.
TIE_BREAKERS = (F("due_on").asc(nulls_last=True), F("pk").asc())


def sort_expressions(param: str) -> list[OrderBy]:
    """What a sort order as ?ordering= names it ("due", "-progress") sorts by, what is empty
    last whichever the direction."""
    descending = param.startswith("-")
    return [
        key.desc(nulls_last=True) if descending else key.asc(nulls_last=True)
        for key in SORT_ORDERS[param.removeprefix("-")][1]()
    ]


def _descending(label: str) -> str:
    return gettext("%(order)s (descending)") % {"order": label}


descending_label = lazy(_descending, str)


class PledgeOrdering(django_filters.OrderingFilter):
    """The tracker's sort orders (SORT_ORDERS), each one or more expressions rather than a
    field: names sort in the reader's language, statuses in their working order, and what is
    empty (no due date, a joint pledge's party, no focal point) comes last either way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, fields=[(param, param) for param in SORT_ORDERS], **kwargs)

    def build_choices(self, fields, labels):
        # Labels stay lazy: the filter is made once, at import, and read in every language.
        return [
            choice
            for param, (label, _keys) in SORT_ORDERS.items()
            for choice in ((param, label), (f"-{param}", descending_label(label)))
        ]

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [key for param in filter(None, value) for key in sort_expressions(param)]
        return qs.order_by(*ordering, *TIE_BREAKERS)


@dataclass(frozen=True)
class SortLink:
    """A column header's link: the address that sorts the list by the column, the other filters
    kept and back to the first page; and how the list is sorted by that column now:
    "ascending", "descending" (the values of aria-sort) or "" when it is not."""

    url: str
    direction: str


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


def agreement_choices(user) -> list[tuple[str, str]]:
    """The agreements `user` reads, each labelled as str(agreement) writes it (the reference,
    the title in the reader's language), in the agreements' order. Read as values, not as
    agreements: a large committee has hundreds, listed on every page of the tracker."""
    rows = (
        rules.scope_to_committees(Agreement.objects.all(), user)
        .annotate(label=localized("title"))
        .values_list("pk", "reference", "label")
    )
    return [
        (str(pk), f"{reference} {title}" if reference else title) for pk, reference, title in rows
    ]


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
    agreement = django_filters.ChoiceFilter(
        label=_("Agreement"), method="filter_agreement", empty_label=_("Any")
    )
    ordering = PledgeOrdering(label=_("Sort by"), empty_label=_("Due date, earliest first"))

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
        # Read when the list is shown or a choice checked, not for an export.
        self.filters["agreement"].extra["choices"] = functools.partial(agreement_choices, user)

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

    def filter_agreement(self, queryset, name, value):
        return queryset.filter(agreement=value)

    def filter_party(self, queryset, name, value):
        return queryset.filter(self.party_options[value][1])

    def filter_due(self, queryset, name, value):
        return queryset.in_due_window(value, self.today)

    def sorted_by(self) -> str:
        """The sort order in effect, as ?ordering= names it ("due", "-progress"): the first
        one asked for, else the default. A sort order that is not one is ignored, as by qs."""
        if self.is_bound:
            self.form.is_valid()  # cleaned_data then holds each valid field, whatever the others
            if asked := self.form.cleaned_data.get("ordering"):
                return asked[0]
        return DEFAULT_ORDERING

    def sort_links(self) -> dict[str, SortLink]:
        """For each sort order, the link of its column's header: sort by that column (the
        other way round when the list is already sorted by it), keep the other filters and
        go back to the first page."""
        current = self.sorted_by()
        descending = current.startswith("-")
        current = current.removeprefix("-")
        query = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        query.pop("page", None)
        links = {}
        for param in SORT_ORDERS:
            if param == current:
                direction = "descending" if descending else "ascending"
                query["ordering"] = param if descending else f"-{param}"
            else:
                direction = ""
                query["ordering"] = param
            links[param] = SortLink(f"?{query.urlencode()}", direction)
        return links
