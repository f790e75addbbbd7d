"""Reads of the public texts: only published rows of the given site, fixed query counts."""

from django.utils.translation import gettext

from .models import AccompanyingDocument, FaqEntry, PublicPage

#: Public URL name of each page slug (the FAQ has its own view).
PAGE_URL_NAMES = {
    PublicPage.Slug.PROCEDURE: "content:procedure",
    PublicPage.Slug.LEGAL_NOTICES: "content:legal_notices",
    PublicPage.Slug.ACCESSIBILITY: "content:accessibility",
    PublicPage.Slug.PRIVACY: "content:privacy",
    PublicPage.Slug.FAQ: "content:faq",
}


def published_page(site, slug):
    """The published page ``slug`` of ``site``, or None (one query)."""
    return PublicPage.objects.filter(site=site, slug=slug, published=True).first()


def published_faq(site):
    """The published FAQ entries of ``site``, in order (one query)."""
    return list(FaqEntry.objects.filter(site=site, published=True).order_by("position", "pk"))


def published_documents(site):
    """[(audience label, [documents])] of the published documents of ``site`` (one query)."""
    groups = {}
    for document in AccompanyingDocument.objects.filter(site=site, published=True).order_by("position", "title"):
        groups.setdefault(document.audience, []).append(document)
    return [(label, groups[value]) for value, label in AccompanyingDocument.Audience.choices if value in groups]


def published_document(site, pk):
    return AccompanyingDocument.objects.filter(site=site, pk=pk, published=True).first()


def public_links(site):
    """[(title, url name)] of the site's published pages, plus the documents (two queries)."""
    pages = PublicPage.objects.filter(site=site, published=True).values_list("slug", "title")
    links = [(title, PAGE_URL_NAMES[slug]) for slug, title in pages if slug in PAGE_URL_NAMES]
    if AccompanyingDocument.objects.filter(site=site, published=True).exists():
        links.append((gettext("Documents to download"), "content:resources"))
    return links
