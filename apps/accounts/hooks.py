"""What the account flows leave to the apps above accounts.

``records`` and ``staff`` build on accounts (they import it), so accounts cannot import them.
Two steps of the local account flows are theirs all the same: two Django signals, sent by
:mod:`.services`, whose receivers the app doing the work connects in its ``AppConfig.ready()``
(its ``signals`` module).

``account_signed_up`` (``site``, ``user``, ``role``)
    A local sign-up created an inactive account, inside its transaction: the registrant gets
    their record (:mod:`apps.records.signals`).

``invitation_renewal`` (``site``, ``user``)
    Someone invited as staff with a local account, who never chose a password, asked for a link
    (sign-up, new activation link, password reset): a new invitation is sent instead
    (:mod:`apps.staff.signals`), whose receiver answers True when it sent one.
"""

from django.dispatch import Signal

account_signed_up = Signal()
invitation_renewal = Signal()


def renew_invitation(user, site) -> bool:
    """Whether a new invitation was sent to this person (see ``invitation_renewal``)."""
    return any(answer for _receiver, answer in invitation_renewal.send(sender=None, site=site, user=user))
