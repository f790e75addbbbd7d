import itertools
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from apps.core.templatetags import branding

SAMPLE = [f"#{r}{g}{b}" for r, g, b in itertools.product(("00", "33", "77", "aa", "dd", "ff"), repeat=3)]


def test_derived_text_colours_are_readable():
    unreadable = [
        colour
        for colour in SAMPLE
        if branding.contrast_ratio(colour, branding.text_on(colour)) < branding.MIN_TEXT_CONTRAST
        or branding.contrast_ratio(branding.readable_on_white(colour), branding.WHITE) < branding.MIN_TEXT_CONTRAST
    ]
    assert not unreadable


def test_contrast_ratio_matches_wcag():
    assert branding.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert branding.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_dark_colours_are_kept_as_they_are():
    assert branding.readable_on_white("#1d4e89") == "#1d4e89"
    assert branding.text_on("#1d4e89") == branding.WHITE
    assert branding.text_on("#f5a623") == branding.BLACK


@pytest.mark.parametrize("value", ["", None, "red", "#12345", "#1234567", "#gggggg", "#000000;x:y", "</style>"])
def test_invalid_colours_fall_back_to_the_default(value):
    assert branding.clean_colour(value, "#1d4e89") == "#1d4e89"


def test_tag_writes_only_validated_values():
    site = SimpleNamespace(primary_colour="#ABCDEF", secondary_colour="}</style><script>")

    css = Template("{% load branding %}{% site_theme_style site %}").render(Context({"site": site}))

    assert css.startswith(":root{--ims-primary:#abcdef;")
    assert "--ims-secondary:#f5a623;" in css
    assert "<" not in css and "}" not in css[:-1]


def test_tag_works_without_a_site():
    css = Template("{% load branding %}{% site_theme_style site %}").render(Context({"site": None}))

    assert "--ims-primary:#1d4e89;" in css
