"""Write side of registrations. Places are counted on the slot row, under a row lock.

The full registration engine (eligibility, quotas, waiting list) builds on these
functions; every change of a registration's status goes through this module so that
``Slot.individual_places_taken`` always equals the number of active registrations.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.notifications.services import send_message

from .models import Registration, Status


@transaction.atomic
def cancel_registration(registration, *, by=None, reason=None, notify=True, request=None):
    """Cancel an active registration and free its place. Idempotent: cancelling twice does nothing.

    Returns True when this call cancelled it.
    """
    # Lock the slot first, then the registration: the same order as registering, so no deadlock.
    Slot.objects.select_for_update().filter(pk=registration.slot_id).values_list("pk", flat=True).first()
    updated = Registration.objects.filter(pk=registration.pk, status=Status.ACTIVE).update(
        status=Status.CANCELLED, cancelled_at=timezone.now(), cancelled_by=by, cancellation_reason=reason
    )
    if not updated:
        return False
    Slot.objects.filter(pk=registration.slot_id, individual_places_taken__gt=0).update(
        individual_places_taken=F("individual_places_taken") - 1
    )
    registration.refresh_from_db()
    if notify:
        slot = registration.slot
        transaction.on_commit(
            lambda: send_message(
                "registration_cancelled",
                to=registration.person,
                site=registration.site,
                context={"registration": registration, "slot": slot, "reason": reason},
                request=request,
            )
        )
    return True
