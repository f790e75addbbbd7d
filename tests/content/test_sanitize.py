"""Rich text is reduced to a small safe subset of HTML, on save."""

import pytest

from apps.content.models import FaqEntry, PublicPage
from apps.content.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hello<script>alert(1)</script></p>", "<p>Hello</p>"),
        ('<img src="x" onerror="alert(1)">', ""),
        ('<p onclick="steal()" style="color:red">Text</p>', "<p>Text</p>"),
        ('<a href="javascript:alert(1)">link</a>', '<a rel="noopener noreferrer">link</a>'),
        ('<a href="data:text/html,x">link</a>', '<a rel="noopener noreferrer">link</a>'),
        (
            '<a href="https://example.org" target="_blank" onmouseover="x()">ok</a>',
            '<a href="https://example.org" rel="noopener noreferrer">ok</a>',
        ),
        (
            '<a href="mailto:contact@example.org">mail</a>',
            '<a href="mailto:contact@example.org" rel="noopener noreferrer">mail</a>',
        ),
        ("<style>p{}</style><iframe src='x'></iframe><div>kept text</div>", "kept text"),
        ("<!-- comment --><h1>Title</h1>", "Title"),
        ("<svg onload=alert(1)><circle/></svg>x", "x"),
    ],
)
def test_dangerous_html_is_removed(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_allowed_tags_are_kept():
    html = (
        "<h2>Steps</h2><h3>First</h3><p>One<br>two <strong>bold</strong> <em>it</em></p>"
        "<ul><li>a</li></ul><ol><li>b</li></ol><blockquote>quote</blockquote>"
        '<a href="http://example.org">x</a>'
    )
    cleaned = sanitize_html(html)
    for tag in ("<h2>", "<h3>", "<p>", "<br>", "<strong>", "<em>", "<ul>", "<ol>", "<li>", "<blockquote>"):
        assert tag in cleaned
    assert '<a href="http://example.org" rel="noopener noreferrer">x</a>' in cleaned


def test_empty_values():
    assert sanitize_html(None) == ""
    assert sanitize_html("") == ""


def test_models_sanitise_on_save(in_site):
    w = in_site
    page = PublicPage.objects.create(
        site=w.site, slug="privacy", title="Privacy", body='<p style="x">a</p><script>b</script>'
    )
    assert page.body == "<p>a</p>"
    page.body = '<a href="javascript:void(0)" onclick="x">y</a>'
    page.save()
    page.refresh_from_db()
    assert page.body == '<a rel="noopener noreferrer">y</a>'
    entry = FaqEntry.objects.create(site=w.site, question="Q", answer="<p>A</p><object data=x></object>")
    assert entry.answer == "<p>A</p>"
