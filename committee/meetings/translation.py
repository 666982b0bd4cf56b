"""Record texts kept in every content language (settings.CONTENT_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from committee.core import history
from committee.meetings.models import AgendaItem, Meeting, Minutes, Sector


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "discussion", "decision")
    required_languages = ("en",)


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "venue", "city")
    required_languages = ("en",)


@register(Minutes)
class MinutesTranslationOptions(TranslationOptions):
    fields = ("next_session", "done_at")


# Tracked here rather than on the classes: the history keeps each language's column, and
# those exist only once the models are registered above.
history.tracked()(Sector)
for model in (AgendaItem, Meeting, Minutes):
    history.tracked(not_a_change=["version"])(model)
