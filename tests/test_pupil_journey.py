"""The whole of issue 3's promise, through HTTP only: a pupil signs up, activates, fills the
record, is validated by their high school's referent, and sees it."""

from django.conf import settings
from django.core import mail
from django.urls import reverse

from apps.accounts.models import User
from apps.records.models import PupilRecord, RecordStatus
from apps.tenancy.scoping import for_site
from tests.accounts.local_helpers import PASSWORD, link_to, signup_data
from tests.records.conftest import make_references, pupil_post


def test_sign_up_activate_fill_the_record_be_validated(client, world, django_capture_on_commit_callbacks):
    refs = make_references(world.site)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # Sign up: an inactive account and an activation e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), signup_data(email="lea@example.org"))
    assert response.status_code == 302
    pupil = User.objects.get(email="lea@example.org")
    assert not pupil.is_active
    activation = link_to(mail.outbox[-1], "accounts:activate")

    # Activate: the link opens a page (without the token in its address), the button signs the pupil in.
    page = client.get(activation, follow=True)
    assert page.status_code == 200
    response = client.post(page.redirect_chain[-1][0], follow=True)
    assert response.status_code == 200
    assert client.session.get("_auth_user_id") == str(pupil.pk)
    assert response.redirect_chain[-1][0] == reverse("records:home")

    # Fill the record: it waits for the high school's referent.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("records:edit"), pupil_post(refs, world.high_school)).status_code == 302
    with for_site(world.site):
        record = PupilRecord.objects.get(user=pupil)
    assert record.status == RecordStatus.TO_VALIDATE

    # The referent of that high school validates it from the pending list.
    client.force_login(world.high_school_referent)
    assert f"/{record.pk}/" in client.get(reverse("records:pending")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("records:validate", args=["pupil", record.pk]))
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["lea@example.org"]

    # The pupil signs in with the password and sees the record validated.
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accounts:login"), {"email": "lea@example.org", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("records:home")
    assert 'data-status="validated"' in response.content.decode()


def test_another_high_schools_referent_cannot_validate_that_pupil(client, world):
    from apps.staff.models import CharterSignature

    record = world.other_pupil_record
    client.force_login(world.host_high_school_referent)
    # Their host high school has not signed the charter yet: the back office sends them to it.
    response = client.post(reverse("records:validate", args=["pupil", record.pk]))
    assert response.status_code == 302 and response.url == reverse("staff:charter")
    with for_site(world.site):
        CharterSignature.objects.create(
            site=world.site,
            charter=world.charter,
            high_school=world.host_high_school,
            signed_by=world.host_high_school_referent,
        )
    # Signed: still not their pupil.
    response = client.post(reverse("records:validate", args=["pupil", record.pk]))
    assert response.status_code in (403, 404)
    with for_site(world.site):
        assert PupilRecord.objects.get(pk=record.pk).status == RecordStatus.TO_VALIDATE
