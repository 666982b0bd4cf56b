"""Record texts kept in every content language (settings.CONTENT_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from committee.core import history
from committee.meetings.models import AgendaItem


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "discussion", "decision")
    required_languages = ("en",)


# Tracked here rather than on the class: the history keeps each language's column, and those
# exist only once the model is registered above.
history.tracked(not_a_change=["version"])(AgendaItem)
