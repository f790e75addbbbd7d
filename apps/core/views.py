from django.conf import settings
from django.views.static import serve


def public_media(request, path):
    """Public uploads (logos). Private files live elsewhere and are never reachable here."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
