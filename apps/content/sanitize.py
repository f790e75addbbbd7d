"""Rich text typed by staff, reduced to a small safe subset of HTML (nh3, on save).

Kept: paragraphs, line breaks, emphasis, lists, links (http, https and mailto only, with
``rel="noopener noreferrer"``), second- and third-level headings, quotations. Everything
else is dropped: other tags (their text is kept, except for scripts and styles whose
content goes too), every attribute but a link's ``href`` (so no ``style`` nor ``on*``
handler), comments, and ``javascript:`` or ``data:`` URLs.
"""

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(value):
    """The safe subset of ``value`` (a string of HTML); empty for None."""
    if not value:
        return ""
    return nh3.clean(
        str(value),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
