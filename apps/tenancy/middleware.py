"""Resolve the site from the Host header and activate its scope for the request."""

from django.shortcuts import render
from django_scopes import scope

from .selectors import site_for_host


class SiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = site_for_host(request.get_host())
        if site is None:
            request.site = None
            return render(request, "tenancy/unknown_site.html", {"host": request.get_host()}, status=404)
        request.site = site
        with scope(site=site):
            return self.get_response(request)
