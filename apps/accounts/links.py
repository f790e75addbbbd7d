"""Pages behind a link from an e-mail: the token leaves the address before any form is shown.

The link (``.../<token>/``) checks its token, keeps it in the session and redirects to a
fixed address (what Django's ``PasswordResetConfirmView`` does). The page there shows the
form and posts it to itself: neither the form's POST, the browser's history, nor any
``Referer`` carries the token. These pages need no referrer policy of their own — the
site's ``same-origin`` keeps every address away from other sites — and must not have one
stricter than that: under ``no-referrer`` a browser posts forms with ``Origin: null``,
which the CSRF check refuses.

Opening a link uses nothing up (mail scanners follow links): only the form's POST does.
"""

from django.shortcuts import redirect

SESSION_KEY = "link-token:%s"


def follow(request, purpose, raw, form_url):
    """Keep the link's (valid) token in the session, and go to the page with the form."""
    request.session[SESSION_KEY % purpose] = raw
    return redirect(form_url)


def kept(request, purpose):
    """The token of the link opened in this browser for this purpose, or ""."""
    raw = request.session.get(SESSION_KEY % purpose, "")
    return raw if isinstance(raw, str) else ""


def forget(request, purpose):
    request.session.pop(SESSION_KEY % purpose, None)
