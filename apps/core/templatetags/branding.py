"""Turn a site's branding colours into safe CSS custom properties.

Colours are validated as ``#RRGGBB`` by the model, but validators only run through
forms: the tag re-checks every value and falls back to the defaults, so nothing from
the database is ever written raw into a ``<style>`` element. It also derives, for
each colour, a text colour readable on it and a variant readable on white (WCAG
contrast ratio of at least 4.5:1), so a site may pick a light colour without making
its pages unreadable.
"""

import re

from django import template
from django.utils.html import format_html

register = template.Library()

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_PRIMARY = "#1d4e89"
DEFAULT_SECONDARY = "#f5a623"
WHITE = "#ffffff"
BLACK = "#000000"
MIN_TEXT_CONTRAST = 4.5


def clean_colour(value, default):
    value = str(value or "")
    return value.lower() if HEX_COLOUR.match(value) else default


def _rgb(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _hex(rgb):
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def relative_luminance(colour):
    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(colour):
    """White or black, whichever reads better on ``colour``."""
    return WHITE if contrast_ratio(colour, WHITE) >= contrast_ratio(colour, BLACK) else BLACK


def readable_on_white(colour):
    """``colour`` itself, or the lightest shade of it that reaches 4.5:1 on white."""
    rgb = _rgb(colour)
    for step in range(21):
        shade = _hex(tuple(c * (1 - step / 20) for c in rgb))
        if contrast_ratio(shade, WHITE) >= MIN_TEXT_CONTRAST:
            return shade
    return BLACK


def theme(site):
    primary = clean_colour(getattr(site, "primary_colour", None), DEFAULT_PRIMARY)
    secondary = clean_colour(getattr(site, "secondary_colour", None), DEFAULT_SECONDARY)
    primary_text = readable_on_white(primary)
    return {
        "--ims-primary": primary,
        "--ims-on-primary": text_on(primary),
        "--ims-primary-text": primary_text,
        "--ims-primary-text-rgb": ", ".join(str(c) for c in _rgb(primary_text)),
        "--ims-secondary": secondary,
        "--ims-on-secondary": text_on(secondary),
    }


@register.simple_tag
def site_theme_style(site):
    """The ``:root { ... }`` rule declaring the site's colours (every value re-validated)."""
    declarations = "".join(f"{name}:{value};" for name, value in theme(site).items())
    return format_html(":root{{{}}}", declarations)
