"""How many e-mails a visitor may have sent: per address, and per client IP address.

Sign-up, a new activation link, a password reset and an e-mail change each send a message
to an address typed in a form. Every valid request counts, whether the address has an
account or not (counting only known addresses would tell which ones have one), in two
counters shared by these pages, on the shared cache (django-ratelimit): one for the address,
one for the client. Over either rate, nothing is sent and the form says when to try again.
The rates are ``ACCOUNT_MAIL_RATE_PER_ADDRESS`` and ``ACCOUNT_MAIL_RATE_PER_IP``.
"""

import math

from django.conf import settings
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from .services import normalise_email

ADDRESS_GROUP = "accounts.mail.address"
IP_GROUP = "accounts.mail.ip"


def count_mail_request(request, email):
    """Count one request to send an e-mail to ``email``. Returns the message to show when it
    goes over a rate (then nothing must be sent), else None."""
    address = normalise_email(email)
    usages = [
        get_usage(
            request,
            group=ADDRESS_GROUP,
            key=lambda _group, _request: address,
            rate=settings.ACCOUNT_MAIL_RATE_PER_ADDRESS,
            increment=True,
        ),
        get_usage(request, group=IP_GROUP, key="ip", rate=settings.ACCOUNT_MAIL_RATE_PER_IP, increment=True),
    ]
    refused = [usage for usage in usages if usage and usage["should_limit"]]
    if not refused:
        return None
    seconds = max(usage["time_left"] for usage in refused)
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many requests for this address or from your connection: nothing was sent. "
        "Please try again in %(minutes)d minute.",
        "Too many requests for this address or from your connection: nothing was sent. "
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
