"""Record texts kept in every content language (settings.CONTENT_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from committee.agreements.models import Agreement, Pledge


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("en",)


@register(Pledge)
class PledgeTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en",)
