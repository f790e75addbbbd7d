"""The one function every message of the platform goes through.

``send_message("account_activation", to=..., site=..., context={...})`` renders
``notifications/<key>.subject.txt`` and ``notifications/<key>.body.txt`` in the
recipient's language, with the site's branding and sender, and sends it. Callers never
build or send e-mails themselves, so that messages can later become editable templates
per site and go through a queue without touching any caller.
"""

import functools
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context, Engine, engines
from django.utils import translation

logger = logging.getLogger(__name__)


def site_base_url(site, request=None):
    """Absolute base URL of a site (scheme and primary host), for links in messages."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    scheme = "https" if settings.HTTPS else "http"
    host = site.primary_host if site is not None else None
    return f"{scheme}://{host or 'localhost'}"


@functools.cache
def _text_engine():
    """The project's template engine, without HTML autoescaping: messages are plain text."""
    html = engines["django"].engine
    return Engine(
        dirs=html.dirs,
        app_dirs=html.app_dirs,
        libraries=html.libraries,
        debug=html.debug,
        string_if_invalid=html.string_if_invalid,
        autoescape=False,
    )


def _render_text(name, context):
    return _text_engine().get_template(name).render(Context(context, autoescape=False))


def render_message(key, *, site, context=None, language=None, request=None):
    """(subject, body) of a message, rendered in ``language`` (French by default)."""
    language = language or settings.LANGUAGE_CODE
    full_context = {"site": site, "base_url": site_base_url(site, request), **(context or {})}
    with translation.override(language):
        subject = _render_text(f"notifications/{key}.subject.txt", full_context).strip()
        body = _render_text(f"notifications/{key}.body.txt", full_context)
    return " ".join(subject.split()), body


def send_message(key, *, to, site, context=None, language=None, request=None):
    """Render and send one message to one recipient (an address or a user). Returns the message."""
    address = getattr(to, "email", to)
    if language is None and hasattr(to, "preferred_language"):
        language = to.preferred_language
    subject, body = render_message(key, site=site, context=context, language=language, request=request)
    sender = settings.DEFAULT_FROM_EMAIL
    if site is not None and site.sender_email:
        sender = f"{site.name} <{site.sender_email}>"
    message = EmailMessage(subject=subject, body=body, from_email=sender, to=[address])
    message.send()
    logger.info("message %s sent to user %s", key, getattr(to, "pk", "(address)"))
    return message
