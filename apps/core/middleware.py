"""Request middleware: the interface in French first, and no control characters in a request."""

import re

from django.conf import settings
from django.http import UnreadablePostError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not consulted.

    The language is the one chosen with the language switch (its cookie), else the
    site's default (French). Pupils and staff share links and screenshots: everyone
    sees the same French page unless they asked for English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


#: Control characters (C0 and DEL): never part of a real address or of a parameter's name.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: In a query value, tabs and line breaks may come from a form's text area; the other controls may not.
_QUERY_VALUE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: A typed value may hold any pasted text but NUL, which PostgreSQL cannot store.
_POST_VALUE_CONTROL = re.compile(r"\x00")
#: Bodies whose fields Django parses into request.POST (a file's content is never read here).
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_control(data, value_pattern):
    return any(
        _CONTROL.search(key) or any(value_pattern.search(value) for value in values) for key, values in data.lists()
    )


def carries_control_characters(request):
    """Whether the path, the query string or the posted form fields hold control characters.

    PostgreSQL refuses NUL in text (psycopg raises ValueError; SQLite stores it), and Django's
    form fields refuse it but raw query values and path converters do not: such a value
    reaching a query was a 500. Posted files are not read (Django drops NUL from their names).
    """
    if _CONTROL.search(request.path_info) or _CONTROL.search(request.path):
        return True
    if _has_control(request.GET, _QUERY_VALUE_CONTROL):
        return True
    if request.method != "POST" or request.content_type not in _FORM_TYPES:
        return False
    try:
        return _has_control(request.POST, _POST_VALUE_CONTROL)
    except UnreadablePostError:  # the client went away: the view meets it as it did before
        return False


class RejectControlCharactersMiddleware:
    """Answer a 400 page, before any view, to a request that carries control characters.

    Goes after AuthenticationMiddleware (the page is the site's own, with its menu) and before
    everything that reads the path or the parameters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_control_characters(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)


class DropControlCharacterCookiesMiddleware:
    """Forget the cookies whose name or value holds control characters, as if the browser had none.

    A session cookie carrying a NUL (``sessionid="\\000..."`` is one once unquoted) reached the
    session query and PostgreSQL refused it: a 500 on every page for that browser. Goes before
    SessionMiddleware; the person simply gets a new session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookies = request.COOKIES
        if any(_CONTROL.search(name) or _CONTROL.search(value) for name, value in cookies.items()):
            request.COOKIES = {n: v for n, v in cookies.items() if not (_CONTROL.search(n) or _CONTROL.search(v))}
        return self.get_response(request)
