"""The work behind the pages that start from an e-mail address: sign-up, new activation link,
password reset.

The page validates the form, counts the request (:mod:`.limits`), queues one of these tasks
with the address and answers: the same work, whatever the address. Whether it has an account,
the token and the message are the task's business. With a broker, a worker runs it once the
page's transaction has committed; without one (``CELERY_TASK_ALWAYS_EAGER``), the process's
background thread does (:mod:`apps.core.background`): either way the page answers without it,
so its time tells nothing about the address.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from apps.core import background
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site

from . import services

logger = logging.getLogger(__name__)


def _enqueue(task, *args):
    if settings.CELERY_TASK_ALWAYS_EAGER:
        background.run_later(task, *args)
        return

    def hand_over():
        try:
            task.delay(*args)
        except Exception:  # the broker is down: do it here rather than lose it
            logger.exception("task %s not handed to a worker: run in the request", task.name)
            task(*args)

    transaction.on_commit(hand_over)


def _run(site_id, work):
    site = Site.objects.filter(pk=site_id).first()
    if site is None:  # deleted in the meantime
        return False
    with for_site(site):
        return work(site)


# --- What the pages call ------------------------------------------------------------------


def queue_sign_up(site, *, population, email, first_name, last_name, password):
    # Hashed here, for every address alike; the task never sees the password itself.
    data = {
        "population": population,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "password_hash": make_password(password),
        "language": services.current_language(),
    }
    _enqueue(sign_up, site.pk, data)


def queue_activation_link(site, email):
    _enqueue(resend_activation, site.pk, email)


def queue_password_reset(site, email):
    _enqueue(password_reset, site.pk, email)


# --- The tasks ----------------------------------------------------------------------------
# The links of their messages are built from the site. ``_origin``: the scheme and host that
# tasks queued by an earlier version carried; ignored, so that those still run.


@shared_task
def sign_up(site_id, data, _origin=None):
    return _run(site_id, lambda site: services.sign_up(site, **data) is not None)


@shared_task
def resend_activation(site_id, email, _origin=None):
    return _run(site_id, lambda site: services.resend_activation(site, email))


@shared_task
def password_reset(site_id, email, _origin=None):
    return _run(site_id, lambda site: services.request_password_reset(site, email))
