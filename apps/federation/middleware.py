"""Pupils who came from EduConnect without an e-mail address give and confirm one first."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from .services import has_placeholder_email

#: Pages open to a person who has not given their address yet.
EXEMPT_VIEWS = frozenset(
    {
        "federation:give_email",
        "federation:confirm_email",
        "federation:confirm_email_form",
        "federation:logout",
        "federation:saml_ls",
        "accounts:logout",
        "set_language",
    }
)
EXEMPT_PREFIXES = ("/i18n/",)


def is_exempt(path):
    if path.startswith(tuple(p for p in (settings.STATIC_URL, *EXEMPT_PREFIXES) if p)):
        return True
    try:
        return resolve(path).view_name in EXEMPT_VIEWS
    except Resolver404:
        return False


class EmailGateMiddleware:
    """Redirect every page to federation:give_email while the account has a placeholder address.

    Goes after AuthenticationMiddleware (it reads ``request.user``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and has_placeholder_email(user) and not is_exempt(request.path):
            target = reverse("federation:give_email")
            if request.headers.get("HX-Request"):
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return redirect(target)
        return self.get_response(request)
