"""The host's referents hear of a registrant who declared a disability (``notify_disability``)."""

from django.core import mail

from apps.accounts.models import Role
from apps.notifications.models import OutgoingMessage
from apps.records.models import PupilRecord
from apps.registrations.messages import notify_disability
from apps.registrations.models import Registration
from tests.factories import grant, make_pupil, make_user


def _registration(w, slot, **record):
    pupil = make_pupil(w, **record)
    return Registration.objects.create(site=w.site, slot=slot, person=pupil)


def test_the_referents_of_the_slots_host_are_told(in_site, django_capture_on_commit_callbacks):
    w = in_site
    registration = _registration(w, w.slot, has_disability=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_disability(registration) == 1
    # w.slot: a course of the structure "Sciences" of the master establishment: its establishment's
    # referents only (see tests/registrations/test_disability_recipients.py).
    assert [m.to[0] for m in mail.outbox] == [w.establishment_referent.email]
    message = mail.outbox[0]
    assert "Algorithmique" in message.subject
    assert registration.person.get_full_name() in message.body and registration.person.email in message.body
    assert "Lycée Kléber" in message.body
    assert f"/back-office/slots/{w.slot.pk}/registrants/" in message.body


def test_a_host_high_school_slot_goes_to_its_referents(in_site, django_capture_on_commit_callbacks):
    w = in_site
    registration = _registration(w, w.bts_slot, has_disability=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify_disability(registration)
    assert [m.to for m in mail.outbox] == [[w.host_high_school_referent.email]]


def test_a_host_establishment_slot_goes_to_its_referents(in_site, django_capture_on_commit_callbacks):
    w = in_site
    other = make_user()
    grant(other, w.site, Role.STRUCTURE_REFERENT, structure=w.other_structure)  # not the host: not told
    registration = _registration(w, w.host_slot, has_disability=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify_disability(registration)
    assert [m.to for m in mail.outbox] == [[w.host_referent.email]]


def test_nothing_without_a_declared_disability(in_site, django_capture_on_commit_callbacks):
    w = in_site
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_disability(_registration(w, w.slot)) == 0
        assert notify_disability(w.registration) == 0  # the world's pupil: no disability either
    assert mail.outbox == []
    PupilRecord.objects.filter(user=w.pupil).update(has_disability=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_disability(w.registration) == 1


def test_told_once_per_registration(in_site, django_capture_on_commit_callbacks):
    w = in_site
    registration = _registration(w, w.slot, has_disability=True)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify_disability(registration)
    assert len(mail.outbox) == 1
    assert OutgoingMessage.objects.filter(key="registration_disability_notice").count() == 1


def test_registering_sends_the_notice_once_committed(in_site, django_capture_on_commit_callbacks):
    """Needs the hook in ``apps.registrations.services.register``."""
    from apps.registrations.services import register

    w = in_site
    pupil = make_pupil(w, has_disability=True)
    with django_capture_on_commit_callbacks(execute=True):
        register(w.slot, pupil, by=pupil)
    notices = OutgoingMessage.objects.filter(key="registration_disability_notice")
    assert list(notices.values_list("recipient", flat=True)) == [w.establishment_referent.email]
    assert [m.to for m in mail.outbox if m.to == [pupil.email]] == [[pupil.email]]  # the confirmation
