"""The error summary of a refused form, after the GOV.UK design system's pattern.

    {% load portal_forms %}
    {% error_summary form %}                       at the top of the main content
    {% error_summary comment_form answer_form %}   a page with several forms (or formsets)
    {% error_summary form as summary %}            rendered, to place inside an include

The summary lists every error of the forms once: a field's error as a link to its input,
labelled with the field's name (Django's own messages, such as "This field is required.",
do not say which field they are about); an error of the whole form, or of a hidden field,
without a link. The fields keep their own message beside them; the form's errors are shown
only in the summary (templates/bootstrap5/errors.html leaves them out of crispy's forms).

base.html prefixes the page's title with "Error:" through {% error_title_prefix form %};
a page whose forms have other names overrides its `title_prefix` block to name them.

A select written out by hand gets its options, the chosen one marked, from
{% select_options field %}.
"""

import dataclasses
import html
from collections.abc import Iterable

from django import forms, template
from django.forms.widgets import ChoiceWidget, MultiWidget
from django.utils.csp import CONTEXT_KEY as CSP_NONCE
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@dataclasses.dataclass(frozen=True)
class SummaryError:
    message: str
    label: str = ""  # the field's label, empty for the form's own errors
    target: str = ""  # the id of the input to move to, empty when there is none


def input_id(field: forms.BoundField) -> str:
    """The id of the input a summary link moves to: the field's own, or the first of its
    radio buttons, checkboxes or sub-inputs. Worked out from the widget alone: listing the
    options of a choice from the database would cost a query."""
    widget = field.field.widget
    field_id = widget.attrs.get("id") or field.auto_id
    if not field_id:
        return ""
    if isinstance(widget, ChoiceWidget):  # a <select> keeps its id, radios are numbered
        return widget.id_for_label(field_id, "0")
    if isinstance(widget, MultiWidget):
        return f"{field_id}_0"
    return field.id_for_label or field_id


def _form_errors(form: forms.BaseForm) -> Iterable[SummaryError]:
    for message in form.non_field_errors():
        yield SummaryError(str(message))
    for field in form:
        if not field.errors:
            continue
        if field.is_hidden:
            # Only a page kept open too long, or a tampered post, gets a hidden field wrong;
            # "This field is required." about a field nobody sees would help no one.
            yield SummaryError(_("The form was out of date or incomplete: open the page again."))
            continue
        for message in field.errors:
            yield SummaryError(str(message), str(field.label or ""), input_id(field))


def summary_errors(*forms_or_formsets) -> list[SummaryError]:
    """The errors of the forms and formsets given, each once, in the order of the page.
    None and empty values (a form the page does not show) are skipped."""
    errors: list[SummaryError] = []
    for item in forms_or_formsets:
        if isinstance(item, forms.BaseFormSet):
            found = [SummaryError(str(message)) for message in item.non_form_errors()]
            found += summary_errors(*item.forms)
        elif isinstance(item, forms.BaseForm) and item.is_bound:
            found = list(_form_errors(item))
        else:
            continue
        errors += [error for error in found if error not in errors]
    return errors


@register.simple_tag(takes_context=True)
def error_summary(context, *forms_or_formsets) -> str:
    """The summary box (templates/includes/_error_summary.html), or nothing without errors."""
    errors = summary_errors(*forms_or_formsets)
    if not errors:
        return ""
    summary = context.template.engine.get_template("includes/_error_summary.html")
    # The summary's script carries the page's nonce (the Content-Security-Policy).
    return summary.render(context.new({"errors": errors, CSP_NONCE: context.get(CSP_NONCE)}))


@register.simple_tag
def error_title_prefix(*forms_or_formsets) -> str:
    """ "Error: " before the title of a page whose form was refused, as GOV.UK does, so that
    a screen reader says so first."""
    if not summary_errors(*forms_or_formsets):
        return ""
    return _("Error:") + " "


def chosen(field: forms.BoundField) -> str:
    """The value a select field holds, as its <option> writes it. A field read from a list of
    values (django-filter's sort order: ?ordering=-due is ["-due"]) holds them joined by
    commas, as the address writes them."""
    value = field.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def _html(value: object) -> str:
    """conditional_escape() without its SafeString wrapping: hundreds of times a page."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@register.simple_tag
def select_options(field: forms.BoundField) -> str:
    """The <option>s of a select written out by hand, its chosen one marked. In Python rather
    than a template loop, and without format_html() per option: the tracker's agreement
    filter lists hundreds of agreements."""
    value = chosen(field)
    return mark_safe(  # noqa: S308 - every value and label is escaped by _html()
        "".join(
            f'<option value="{_html(option)}"'
            f"{' selected' if str(option) == value else ''}>{_html(label)}</option>"
            for option, label in field.field.choices
        )
    )
