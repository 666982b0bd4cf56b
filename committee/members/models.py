"""Membership: committees, the parties (delegations) on them, their organizations and people.

This app knows nothing of sessions or pledges; the other apps build on it.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.core import freshness
from committee.core.text import (
    MultiLineField,
    OneLineField,
    in_every_language,
    plain_texts_constraint,
)
from committee.core.translations import localized

# Every column of a login but last_login (tests/test_reader_kept.py checks the list).
READER_COLUMNS = (
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "language",
)


class User(AbstractUser):
    """A login. Whom it represents on which committee is said by its Member rows."""

    # Django's, as lines of typed text (committee/core/text.py); the username's own
    # validator allows letters, digits and @.+-_ only.
    first_name = OneLineField(_("first name"), max_length=150, blank=True)
    last_name = OneLineField(_("last name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the pages and mails this person gets, on every device. Empty: "
            "the language of their browser."
        ),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
        # A login is kept, as a signed-in reader, between requests (members/backends.py) and
        # shown by its name: every change of it counts but that of its last sign-in's time,
        # which each sign-in writes.
        triggers = [freshness.data_changed(*READER_COLUMNS)]
        constraints = [
            models.CheckConstraint(
                condition=Q(language="")
                | Q(language__in=[code for code, _n in settings.LANGUAGES]),
                name="user_language_known",
                violation_error_message=_("Choose one of the portal's languages."),
            ),
            plain_texts_constraint("user_texts_plain", one_line=["first_name", "last_name"]),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class Party(models.Model):
    """A delegation on a committee: a state or an international organisation."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        ORGANISATION = "organisation", _("International organisation")

    name = OneLineField(_("name"), max_length=200, unique=True)
    short_name = OneLineField(_("short name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.STATE)
    country_code = OneLineField(
        _("ISO country code"),
        max_length=2,
        blank=True,
        help_text=_("Two capital letters (ISO 3166-1 alpha-2), e.g. AF or KZ."),
    )
    government_name = OneLineField(
        _("name in signature blocks"),
        max_length=300,
        blank=True,
        help_text=_('Completes "For …" above the signature, e.g. "the Government of …".'),
    )

    class Meta:
        triggers = [freshness.data_changed()]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country_code="") | Q(country_code__regex=r"^[A-Z]{2}$"),
                name="party_country_code_two_capitals",
                violation_error_message=_("The country code must be two capital letters."),
            ),
            models.UniqueConstraint(
                fields=["country_code"],
                condition=~Q(country_code=""),
                name="party_country_code_unique",
                violation_error_message=_("Another party already has this country code."),
            ),
            plain_texts_constraint(
                "party_texts_plain",
                one_line=[
                    *in_every_language("name", "short_name", "government_name"),
                    "country_code",
                ],
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def signature_name(self) -> str:
        return self.government_name or self.name


INTERNATIONAL_PHONE = r"^\+[0-9][0-9 ()-]{4,38}$"
PHONE_MESSAGE = _("Enter the number as dialled from abroad: + and the country code first.")


class Committee(models.Model):
    name = OneLineField(_("name"), max_length=300, unique=True)
    short_name = OneLineField(_("short name"), max_length=50, unique=True)
    parties = models.ManyToManyField(Party, related_name="committees", verbose_name=_("parties"))
    established_on = models.DateField(_("established on"), null=True, blank=True)
    mandate = MultiLineField(_("mandate"), blank=True)
    # Shown in every page's footer: whom an official writes to when something is wrong.
    secretariat_email = models.EmailField(_("secretariat's e-mail address"), blank=True)
    secretariat_phone = OneLineField(
        _("secretariat's telephone"),
        max_length=40,
        blank=True,
        help_text=_("As it is dialled from abroad, e.g. +93 20 210 0000."),
        validators=[RegexValidator(INTERNATIONAL_PHONE, PHONE_MESSAGE)],
    )

    class Meta:
        triggers = [freshness.data_changed()]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(secretariat_phone="") | Q(secretariat_phone__regex=INTERNATIONAL_PHONE),
                name="committee_secretariat_phone_international",
                violation_error_message=PHONE_MESSAGE,
            ),
            plain_texts_constraint(
                "committee_texts_plain",
                one_line=[*in_every_language("name"), "short_name", "secretariat_phone"],
                multi_line=in_every_language("mandate"),
            ),
        ]

    def __str__(self):
        return self.short_name


class Organization(models.Model):
    """A ministry, agency or other body of a party."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency or authority")
        STATE_COMPANY = "state_company", _("State company")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", _("Other")

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("party")
    )
    name = OneLineField(_("name"), max_length=300)
    acronym = OneLineField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MINISTRY)

    class Meta:
        triggers = [freshness.data_changed()]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["party__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "name"],
                name="organization_name_unique_per_party",
                violation_error_message=_("This party already has an organization of this name."),
            ),
            plain_texts_constraint(
                "organization_texts_plain", one_line=[*in_every_language("name"), "acronym"]
            ),
        ]

    def __str__(self):
        return self.name


class MemberQuerySet(models.QuerySet):
    def active(self) -> "MemberQuerySet":
        return self.filter(is_active=True)

    def in_protocol_order(self) -> "MemberQuerySet":
        """By delegation, then co-chair first and observers last, as minutes list them."""
        rank = models.Case(
            *(models.When(role=role, then=index) for index, role in enumerate(Member.Role.values)),
            output_field=models.IntegerField(),
        )
        # The party's name in the reader's language (modeltranslation would sort by that
        # language's column alone, mixing delegations whose name is not yet translated), and
        # its id, so that each delegation stays in one block.
        return self.alias(role_rank=rank, party_label=localized("party__name")).order_by(
            "party_label", "party_id", "role_rank", "full_name"
        )


class Member(models.Model):
    """A person on a committee, for one party, in one role."""

    class Role(models.TextChoices):
        CO_CHAIR = "co_chair", _("Co-chair")
        DEPUTY_CO_CHAIR = "deputy_co_chair", _("Deputy co-chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")
        EXPERT = "expert", _("Expert")
        OBSERVER = "observer", _("Observer")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="members", verbose_name=_("party")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        verbose_name=_("organization"),
    )
    honorific = OneLineField(
        _("honorific"), max_length=50, blank=True, help_text=_("e.g. H.E., Dr., Alhaj")
    )
    full_name = OneLineField(
        _("full name"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when the record names only the position."),
    )
    position = OneLineField(_("position"), max_length=300, blank=True)
    role = models.CharField(_("committee role"), max_length=20, choices=Role, default=Role.MEMBER)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = OneLineField(_("phone"), max_length=50, blank=True)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("login"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        triggers = [freshness.data_changed()]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["committee", "party__name", "role", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(full_name="") | ~Q(position=""),
                name="member_has_name_or_position",
                violation_error_message=_("Give the member's name or at least the position."),
            ),
            models.UniqueConstraint(
                fields=["committee", "user"],
                name="member_one_login_per_committee",
                violation_error_message=_(
                    "This login already belongs to a member of this committee."
                ),
            ),
            plain_texts_constraint(
                "member_texts_plain",
                one_line=[*in_every_language("honorific", "full_name", "position"), "phone"],
            ),
        ]

    def __str__(self):
        name = " ".join(part for part in (self.honorific, self.full_name) if part)
        return name or self.position

    def get_absolute_url(self):
        return reverse("members:list") + f"#member-{self.pk}"

    def clean(self):
        errors = {}
        if self.organization_id and self.party_id and self.organization.party_id != self.party_id:
            errors["organization"] = _("The organization belongs to another party.")
        if (
            self.committee_id
            and self.party_id
            and not self.committee.parties.filter(pk=self.party_id).exists()
        ):
            errors["party"] = _("This party is not on the committee.")
        if errors:
            raise ValidationError(errors)


class CalendarTokenQuerySet(models.QuerySet):
    def for_raw_token(self, raw: str) -> "CalendarTokenQuerySet":
        """The token matching a secret from a feed address, if its user may still log in."""
        return self.filter(token_hash=CalendarToken.hash_token(raw), user__is_active=True)


class CalendarToken(models.Model):
    """The secret in a user's personal calendar feed address (calendar programs cannot log in).

    Only a SHA-256 of the secret is stored, so a copy of the database holds no working feed
    address. The secret has 256 random bits, so an unsalted fast hash is enough: there is
    nothing to guess. Renewing replaces the hash, which retires the old address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    # unique already gives the index the feed looks tokens up by.
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a pattern)
                name="calendar_token_hash_sha256_hex",
                violation_error_message=_(
                    "The token hash must be 64 lowercase hexadecimal digits."
                ),
            ),
        ]

    def __str__(self):
        return _("Calendar feed of %(user)s") % {"user": self.user}

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> str:
        """Give the user a new feed secret, replacing any earlier one, and return it.

        The returned secret is stored nowhere: show it to the user now or never.
        """
        raw = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            user=user,
            defaults={
                "token_hash": cls.hash_token(raw),
                "created_at": timezone.now(),
                "last_used_at": None,
            },
        )
        return raw
