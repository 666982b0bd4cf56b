"""Record texts kept in every content language (settings.CONTENT_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from committee.meetings.models import AgendaItem


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "discussion", "decision")
    required_languages = ("en",)
