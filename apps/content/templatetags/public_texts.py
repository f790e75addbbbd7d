"""``{% public_text_links %}``: footer links to the site's published public texts."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join

from apps.content.selectors import public_links

register = template.Library()


@register.simple_tag(takes_context=True)
def public_text_links(context):
    request = context.get("request")
    site = getattr(request, "site", None)
    if site is None:
        return ""
    cache = request.__dict__.setdefault("_public_text_links", {})
    if site.pk not in cache:
        rows = []
        for title, url_name in public_links(site):
            try:
                rows.append((reverse(url_name), title))
            except NoReverseMatch:
                continue
        cache[site.pk] = rows
    return format_html_join("", '<li><a href="{}">{}</a></li>', cache[site.pk])
