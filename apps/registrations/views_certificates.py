"""Work in progress (issue 5)."""

from django.http import Http404


def certificate(request, *args, **kwargs):
    raise Http404
