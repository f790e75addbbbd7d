"""A site's own texts of its messages: saved (checked by the editor's form) or reset to the
default, each in one transaction with its row in the action log
(``notifications.messagetemplate.changed`` with the subject and body old → new, or ``.reset``)."""

from django.db import transaction

from apps.audit.services import changes, log_action

from . import registry
from .models import MessageTemplate

FIELDS = ("subject", "body")


def _current(site, spec, language):
    """(the site's own text or None, {subject, body} in force: its own, else the default)."""
    own = MessageTemplate.objects.filter(site=site, key=spec.key, language=language).first()
    if own is not None:
        return own, {"subject": own.subject, "body": own.body}
    subject, body = registry.default_texts(spec, language)
    return None, {"subject": subject, "body": body}


def save_text(site, spec, language, *, subject, body, by):
    """Make (subject, body) the site's own text of message ``spec`` in ``language``. Returns it."""
    with transaction.atomic():
        own, before = _current(site, spec, language)
        if own is None:
            own = MessageTemplate(site=site, key=spec.key, language=language)
        own.subject, own.body, own.updated_by = subject, body, by
        own.save()
        data = changes(before, {"subject": subject, "body": body}, FIELDS)
        if data:
            log_action("notifications.messagetemplate.changed", site=site, actor=by, obj=own, data=data)
    return own


def reset_text(site, spec, language, *, by):
    """Delete the site's own text: the default comes back. Returns whether there was one."""
    with transaction.atomic():
        own = MessageTemplate.objects.filter(site=site, key=spec.key, language=language).first()
        if own is None:
            return False
        default_subject, default_body = registry.default_texts(spec, language)
        after = {"subject": default_subject, "body": default_body}
        data = changes({"subject": own.subject, "body": own.body}, after, FIELDS)
        log_action("notifications.messagetemplate.reset", site=site, actor=by, obj=own, data=data)
        own.delete()
    return True
