"""A message is the same whoever causes it: a page, on any host name of the site and in any
language, or a job calling the service with no request. Its links go to the site's primary
host; it is written in its recipient's language."""

import re

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.notifications.models import OutgoingMessage
from apps.notifications.services import site_base_url
from apps.records.models import PupilRecord, RecordStatus
from apps.records.services import reject_record
from apps.registrations.services import cancel_registration, join_waiting_list, register
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_pupil, make_slot, make_user

OTHER_HOST = "alpha.localhost"  # a host name of the site, not its primary one
LINK = re.compile(r"https?://\S+")


def _camille(user):
    """Every recipient has the same first name and reads French: their messages may be compared."""
    User.objects.filter(pk=user.pk).update(first_name="Camille", preferred_language="fr")
    user.refresh_from_db()
    return user


def _pending_record(w):
    person = _camille(make_user())
    grant(person, w.site, Role.PUPIL)
    return PupilRecord.objects.create(
        site=w.site,
        user=person,
        high_school=w.high_school,
        status=RecordStatus.TO_VALIDATE,
        submitted_at=timezone.now(),
    )


def _received(person):
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    (stored,) = OutgoingMessage.objects.filter(recipient=person.email)
    return message.subject, message.body, stored.language


def test_the_same_message_from_a_page_and_from_a_job(world, client, django_capture_on_commit_callbacks):
    w = world
    assert w.site.primary_host != OTHER_HOST
    base = site_base_url(w.site)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages are read in English
    # An offer holds the place until the slot starts (not a time that depends on the clock).
    Site.objects.filter(pk=w.site.pk).update(waiting_list_claim_hours=24 * 365)
    with for_site(w.site):
        # Two identical slots, each full, with someone in line.
        cases = []
        for _ in range(2):
            slot = make_slot(w, w.course, days=10, individual_places=1)
            holder, waiting = _camille(make_pupil(w)), _camille(make_pupil(w))
            registration = register(slot, holder, by=holder)
            join_waiting_list(slot, waiting, by=waiting)
            cases.append((registration, holder, waiting))
        records = [_pending_record(w) for _ in range(2)]
    reason = "The class is missing."

    # Through the pages, on the site's other host name.
    (registration, holder, waiting), record = cases[0], records[0]
    client.force_login(holder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registrations:cancel", args=[registration.pk]), HTTP_HOST=OTHER_HOST)
    assert response.status_code == 302
    client.force_login(w.high_school_referent)
    url = reverse("records:reject", kwargs={"kind": "pupil", "pk": record.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": reason}, HTTP_HOST=OTHER_HOST).status_code == 302
    from_pages = [_received(holder), _received(waiting), _received(record.user)]

    # The same through the services, as a job calls them: no request, no host, no language.
    (registration, holder, waiting), record = cases[1], records[1]
    with for_site(w.site), django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration, by=holder, check=True)
        reject_record(w.site, w.high_school_referent, record, reason)
    from_jobs = [_received(holder), _received(waiting), _received(record.user)]

    assert from_pages == from_jobs
    cancelled, offer, rejected = [body for _subject, body, _language in from_jobs]
    assert "Camille" in offer and reason in rejected
    assert {language for _subject, _body, language in from_jobs} == {"fr"}
    links = LINK.findall(cancelled + offer + rejected)
    assert len(links) == 3 and all(link.startswith(f"{base}/") for link in links), links
    assert OTHER_HOST not in "".join(cancelled + offer + rejected)
