"""The ``process_waiting_lists`` command: every site, idempotent."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.registrations.models import WaitingListEntry, WaitingStatus
from apps.registrations.services import cancel_registration, join_waiting_list, register
from apps.tenancy.scoping import for_site
from tests.factories import make_pupil, make_slot

new_pupil = make_pupil


def line_with_an_expired_offer(w):
    """A full slot; two people in line; the first one's offer has expired."""
    with for_site(w.site):
        slot = make_slot(w, w.course, days=10, individual_places=1)
        holder = new_pupil(w)
        registration = register(slot, holder, by=holder)
        entries = []
        for _ in range(2):
            person = new_pupil(w)
            entries.append(join_waiting_list(slot, person, by=person))
        cancel_registration(registration, by=holder)
        WaitingListEntry.objects.filter(pk=entries[0].pk).update(
            offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    return slot, entries


def run(*args):
    out = StringIO()
    call_command("process_waiting_lists", *args, stdout=out)
    return out.getvalue()


def status(w, entry):
    with for_site(w.site):
        return WaitingListEntry.objects.get(pk=entry.pk).status


def test_the_command_serves_every_site_once(world, other_world):
    _slot, entries = line_with_an_expired_offer(world)
    _other_slot, other_entries = line_with_an_expired_offer(other_world)
    output = run()
    assert "alpha: 1" in output and "beta: 1" in output and "2 waiting-list place(s)" in output
    assert [status(world, e) for e in entries] == [WaitingStatus.EXPIRED, WaitingStatus.OFFERED]
    assert [status(other_world, e) for e in other_entries] == [WaitingStatus.EXPIRED, WaitingStatus.OFFERED]
    assert "0 waiting-list place(s)" in run()  # a second run does nothing
    assert [status(world, e) for e in entries] == [WaitingStatus.EXPIRED, WaitingStatus.OFFERED]


def test_the_command_for_one_site(world, other_world):
    _slot, entries = line_with_an_expired_offer(world)
    _other_slot, other_entries = line_with_an_expired_offer(other_world)
    assert "1 waiting-list place(s)" in run("--site", "beta")
    assert status(world, entries[0]) == WaitingStatus.OFFERED  # untouched (expired, not yet processed)
    assert status(other_world, other_entries[1]) == WaitingStatus.OFFERED
    with pytest.raises(CommandError):
        run("--site", "nowhere")


def test_past_slots_are_left_alone(world):
    slot, entries = line_with_an_expired_offer(world)
    with for_site(world.site):
        Slot.objects.filter(pk=slot.pk).update(date=timezone.localdate() - dt.timedelta(days=1))
    assert "0 waiting-list place(s)" in run()
    assert status(world, entries[1]) == WaitingStatus.WAITING
