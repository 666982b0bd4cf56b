"""Texts of membership kept in every content language (settings.CONTENT_LANGUAGES): a Dari or
Kazakh original of the minutes names the delegations, their ministries and their people in
that language."""

from modeltranslation.translator import TranslationOptions, register

from committee.core import history
from committee.members.models import Committee, Member, Organization, Party


@register(Party)
class PartyTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "government_name")
    required_languages = ("en",)


@register(Committee)
class CommitteeTranslationOptions(TranslationOptions):
    fields = ("name", "mandate")
    required_languages = ("en",)


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Member)
class MemberTranslationOptions(TranslationOptions):
    fields = ("honorific", "full_name", "position")


# Tracked here rather than on the classes: the history keeps each language's column, and
# those exist only once the models are registered above.
for model in (Party, Committee, Organization, Member):
    history.tracked()(model)
