"""The public pages of the texts: per site, published only, no account needed."""

import pytest
from django.urls import reverse

from apps.content.models import AccompanyingDocument, FaqEntry, PublicPage
from apps.tenancy.scoping import for_site
from tests.backoffice.reference_support import PDF_BYTES, add_content

PAGE_URLS = {
    "procedure": "content:procedure",
    "legal-notices": "content:legal_notices",
    "accessibility": "content:accessibility",
    "privacy": "content:privacy",
}


@pytest.fixture
def sites(world, other_world, private_media):
    for w in (world, other_world):
        with for_site(w.site):
            add_content(w)
    return world, other_world


@pytest.mark.parametrize("slug", list(PAGE_URLS))
def test_each_page_when_published_and_only_then(client, world, slug):
    with for_site(world.site):
        page = PublicPage.objects.create(site=world.site, slug=slug, title=f"Title {slug}", body="<p>Body text</p>")
    path = reverse(PAGE_URLS[slug])
    assert path == f"/{slug}/"
    assert client.get(path).status_code == 404
    page.published = True
    page.save()
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<h1 id="page-title">Title {slug}</h1>' in body and "<p>Body text</p>" in body


def test_a_site_never_sees_another_sites_pages(client, sites):
    _alpha, beta = sites
    assert "Procedure alpha" in client.get("/procedure/").content.decode()
    response = client.get("/procedure/", HTTP_HOST="beta.localhost")
    assert "Procedure beta" in response.content.decode() and "alpha" not in response.content.decode()
    with for_site(beta.site):
        PublicPage.objects.filter(site=beta.site).update(published=False)
    assert client.get("/procedure/", HTTP_HOST="beta.localhost").status_code == 404
    assert client.get("/procedure/").status_code == 200


def test_faq(client, sites):
    alpha, _beta = sites
    body = client.get("/faq/").content.decode()
    assert "Why alpha?" in body and "Why beta?" not in body
    with for_site(alpha.site):
        FaqEntry.objects.filter(site=alpha.site).update(published=False)
    assert client.get("/faq/").status_code == 404
    with for_site(alpha.site):
        PublicPage.objects.create(site=alpha.site, slug="faq", title="Questions", body="<p>Intro</p>", published=True)
    body = client.get("/faq/").content.decode()
    assert "Questions" in body and "Why alpha?" not in body


def test_resources_and_their_files(client, sites):
    alpha, beta = sites
    body = client.get("/resources/").content.decode()
    assert "Guide alpha" in body and "Guide beta" not in body
    response = client.get(reverse("content:resource_file", args=[alpha.document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    # Consuming the stream through the test client closes the file (and never the DB connection).
    assert b"".join(response.streaming_content) == PDF_BYTES
    # Another site's document, or an unpublished one: not found.
    assert client.get(reverse("content:resource_file", args=[beta.document.pk])).status_code == 404
    with for_site(alpha.site):
        AccompanyingDocument.objects.filter(pk=alpha.document.pk).update(published=False)
    assert client.get(reverse("content:resource_file", args=[alpha.document.pk])).status_code == 404
    assert client.get("/resources/").status_code == 404


def test_resources_grouped_by_audience(client, sites):
    alpha, _beta = sites
    with for_site(alpha.site):
        AccompanyingDocument.objects.filter(pk=alpha.document.pk).update(audience="high_school_staff")
    body = client.get("/resources/").content.decode()
    assert "High-school staff" in body


def test_pages_need_no_account_and_only_get(client, sites):
    assert client.post("/procedure/").status_code == 405
    assert client.get("/procedure/").status_code == 200


def test_footer_links_tag(rf, sites):
    from django.template import Context, Template

    alpha, _beta = sites
    request = rf.get("/")
    request.site = alpha.site
    with for_site(alpha.site):
        html = Template("{% load public_texts %}{% public_text_links %}").render(Context({"request": request}))
    assert 'href="/procedure/"' in html and 'href="/resources/"' in html and "/privacy/" not in html
