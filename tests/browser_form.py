"""What a browser sends when a form is submitted as the page shows it: every named input,
select and textarea of the form, with the values the page gave them.

Tests post this instead of writing out a form's fields by hand, so that a hidden field the
page renders (the version of a record, a formset's management form) is sent as a person's
browser would send it, and a field the page forgets to render is missed as it would be.
"""

from html.parser import HTMLParser

# Inputs a browser does not send when a form is submitted by its main button.
NOT_SENT = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.data: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            self.found = self.found or self.inside
            return
        name = attributes.get("name")
        if not self.inside or "disabled" in attributes:
            return
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in NOT_SENT:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    value = attributes.get("value")
                    self._add(name, "on" if value is None else value)
                return
            self._add(name, attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((attributes.get("value") or "", "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]  # a single select sends its first option
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that starts a textarea's content.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)


def form_as_sent(html: str, form_id: str) -> dict[str, list[str]]:
    """The fields of the form with this id, as its page would submit it (for client.post)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    assert reader.found, f"no form with id {form_id!r} on the page"
    return reader.data
