"""Record texts kept in every content language (settings.CONTENT_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from committee.agreements.models import Agreement, Pledge, PledgeReview
from committee.core import history


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "signed_at")
    required_languages = ("en",)


@register(Pledge)
class PledgeTranslationOptions(TranslationOptions):
    fields = ("title", "description", "indicator", "indicator_unit")
    required_languages = ("en",)


@register(PledgeReview)
class PledgeReviewTranslationOptions(TranslationOptions):
    fields = ("remarks",)


# Tracked here rather than on the classes: the history keeps each language's column, and
# those exist only once the models are registered above.
history.tracked()(Agreement)
history.tracked(not_a_change=["version"])(Pledge)
history.tracked()(PledgeReview)
