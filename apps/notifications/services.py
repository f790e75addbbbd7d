"""The one function every message of the platform goes through.

``send_message("account_activation", to=..., site=..., context={...})`` renders the message
in the recipient's language — the site's own text when it has one (``MessageTemplate``),
else the default declared in the message's :mod:`registry` entry — stores it in the outbox
(``OutgoingMessage``) and has it delivered by :mod:`.delivery`, once the caller's transaction
has committed and outside the caller: by a Celery worker when a broker is configured, by the
process's sender thread otherwise. Callers never build or send e-mails themselves. The
single-use links the message holds are recorded with it (:mod:`.masking`), to be masked in
the stored copy once it is sent. Its links are built from the site (:func:`site_base_url`),
never from a request: a page, a job and a command send the same message.

``dedup_key`` makes a message once-only per site: a scheduled job that runs twice, or catches
up after a downtime, sends each reminder once.
"""

import functools
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template import Context, Engine, engines
from django.utils import translation

from apps.tenancy.scoping import for_site

from . import masking, registry
from .dispatch import dispatch
from .models import MessageTemplate, OutgoingMessage

logger = logging.getLogger(__name__)


def site_base_url(site):
    """Absolute base URL of a site (scheme and primary host), for links in messages.

    Built from the site alone, never from a request: a message sent by a page, a job or a
    command holds the same links, on the site's primary host, over HTTPS unless
    ``settings.HTTPS`` is off.
    """
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


def _render_file(name, context):
    return _text_engine().get_template(name).render(Context(context, autoescape=False))


def site_texts(site, key, language):
    """The site's own (subject, body) of a message in a language, or None."""
    if site is None:
        return None
    with for_site(site):  # a message may be sent after its transaction, outside any scope
        return (
            MessageTemplate.objects.filter(site_id=site.pk, key=key, language=language)
            .values_list("subject", "body")
            .first()
        )


def _render(key, *, site, context, language):
    """(subject, body, secrets): the message rendered, and the secrets its texts hold."""
    base_url = site_base_url(site)
    full_context = {"site": site, "base_url": base_url, **(context or {})}
    spec = registry.get(key)
    with translation.override(language):
        if spec is None:  # a message still written as template files
            subject = _render_file(f"notifications/{key}.subject.txt", full_context).strip()
            body = _render_file(f"notifications/{key}.body.txt", full_context)
            values = {}
        else:
            values = {"site_name": site.name if site else "ImmerSup", "site_url": base_url}
            values.update(
                {name: "" if value is None else str(value) for name, value in spec.build(full_context).items()}
            )
            own = site_texts(site, key, language)
            subject_text, body_text = own if own else (spec.subject, spec.body)
            subject = registry.render_text(subject_text, values).strip()
            body = registry.render_text(body_text, values)
    subject = " ".join(subject.split())
    secrets = masking.secrets_in((subject, body), masking.find_secrets(values.values(), context))
    return subject, body, secrets


def render_message(key, *, site, context=None, language=None):
    """(subject, body) of a message, rendered in ``language`` (French by default)."""
    subject, body, _secrets = _render(key, site=site, context=context, language=language or settings.LANGUAGE_CODE)
    return subject, body


def _existing_user(to):
    """The recipient's account, when ``to`` is one that still exists (a message may be sent after
    its recipient's account was deleted, e.g. the cancellations of an account deletion)."""
    from django.contrib.auth import get_user_model

    if not hasattr(to, "email") or getattr(to, "pk", None) is None:
        return None
    return to if get_user_model().objects.filter(pk=to.pk).exists() else None


def send_message(key, *, to, site, context=None, language=None, dedup_key=""):
    """Render one message to one recipient (an address or a user), queue it and have it delivered.

    Returns the ``OutgoingMessage``, or None when ``dedup_key`` says it was already queued.
    """
    address = getattr(to, "email", to)
    if language is None and hasattr(to, "preferred_language"):
        language = to.preferred_language or None
    language = language or settings.LANGUAGE_CODE
    if dedup_key and OutgoingMessage.objects.filter(site=site, dedup_key=dedup_key).exists():
        return None
    subject, body, secrets = _render(key, site=site, context=context, language=language)
    sender = settings.DEFAULT_FROM_EMAIL
    if site is not None and site.sender_email:
        sender = f"{site.name} <{site.sender_email}>"
    try:
        with transaction.atomic():
            message = OutgoingMessage.objects.create(
                site=site,
                key=key,
                user=_existing_user(to),
                recipient=address,
                from_email=sender,
                language=language,
                subject=subject[:255],
                body=body,
                secrets=secrets,
                dedup_key=dedup_key or "",
            )
    except IntegrityError:
        if dedup_key:  # another run queued it in the meantime
            return None
        raise
    dispatch(message)
    logger.info("message %s queued for user %s", key, getattr(to, "pk", "(address)"))
    return message
