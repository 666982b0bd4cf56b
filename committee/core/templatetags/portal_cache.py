"""{% fresh_cache %}: a part of a page kept rendered until the data it shows changes.

    {% load portal_cache %}
    {% fresh_cache "tracker" data_version request.get_full_path %}
      … what the view's data_version stands for …
    {% endfresh_cache %}

The second argument is the view's `freshness.data_version()`, read before its data; the
reader, the language and the day are part of every key (committee/core/freshness.py), and the
arguments after it are what else the part depends on. Nothing per request may be inside:
no form with a CSRF token, no script with the page's nonce, no messages.
"""

from django import template

from committee.core import freshness

register = template.Library()


class FreshCacheNode(template.Node):
    def __init__(self, nodelist, name: str, version, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.version = version
        self.vary_on = vary_on

    def render(self, context) -> str:
        request = context.get("request")
        user_id = request.user.pk if request is not None else None
        return freshness.cached_fragment(
            self.name,
            self.version.resolve(context),
            user_id,
            [value.resolve(context) for value in self.vary_on],
            lambda: self.nodelist.render(context),
        )


@register.tag("fresh_cache")
def do_fresh_cache(parser, token) -> FreshCacheNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            f"{bits[0]} needs a name and the data version: {{% {bits[0]} 'name' version %}}"
        )
    nodelist = parser.parse(("endfresh_cache",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return FreshCacheNode(
        nodelist, name, parser.compile_filter(bits[2]), [parser.compile_filter(b) for b in bits[3:]]
    )
