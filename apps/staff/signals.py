"""Receivers of the account flows' hooks (:mod:`apps.accounts.hooks`), connected in ``ready()``."""

from django.dispatch import receiver

from apps.accounts.hooks import invitation_renewal

from .services import renew_invitation


@receiver(invitation_renewal, dispatch_uid="staff_renew_invitation")
def send_new_invitation(sender, *, site, user, **kwargs):
    """Someone invited as staff who never chose a password asked for a link: a new invitation."""
    return renew_invitation(user, site)
