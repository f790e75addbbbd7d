"""Receivers of the account flows' hooks (:mod:`apps.accounts.hooks`), connected in ``ready()``."""

from django.dispatch import receiver

from apps.accounts.hooks import account_signed_up

from .services import ensure_record


@receiver(account_signed_up, dispatch_uid="records_record_of_a_new_account")
def give_record(sender, *, site, user, role, **kwargs):
    """A registrant who signs up locally gets their record at once, in the sign-up's transaction."""
    ensure_record(site, user, role)
