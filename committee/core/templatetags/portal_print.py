"""Tags of print pages and their PDFs.

{% load portal_print %}{% page_footer %}
"""

from django import template
from django.utils.safestring import SafeString

from committee.core import pdf

register = template.Library()


@register.simple_tag
def page_footer() -> SafeString:
    """ "Page X of Y" in the active language, for print.css to run in each PDF page's footer."""
    return pdf.page_footer()
