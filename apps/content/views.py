"""The public pages of a site's texts: no account needed; unpublished means 404."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .models import PublicPage


def _page_view(slug):
    @require_GET
    def view(request):
        page = selectors.published_page(request.site, slug)
        if page is None:
            raise Http404
        return render(request, "content/page.html", {"page": page})

    view.__name__ = f"page_{slug.replace('-', '_')}"
    return view


procedure = _page_view(PublicPage.Slug.PROCEDURE)
legal_notices = _page_view(PublicPage.Slug.LEGAL_NOTICES)
accessibility = _page_view(PublicPage.Slug.ACCESSIBILITY)
privacy = _page_view(PublicPage.Slug.PRIVACY)


@require_GET
def faq(request):
    """The FAQ: its page (introduction) and the published entries; 404 when neither is published."""
    page = selectors.published_page(request.site, PublicPage.Slug.FAQ)
    entries = selectors.published_faq(request.site)
    if page is None and not entries:
        raise Http404
    return render(request, "content/faq.html", {"page": page, "entries": entries})


@require_GET
def resources(request):
    groups = selectors.published_documents(request.site)
    if not groups:
        raise Http404
    return render(request, "content/resources.html", {"groups": groups})


@require_GET
def resource_file(request, pk):
    document = selectors.published_document(request.site, pk)
    if document is None or not document.file:
        raise Http404
    return document_response(document)


def document_response(document):
    """The stored PDF of ``document`` as a download (also used by the back office)."""
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=document.download_name(), content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
