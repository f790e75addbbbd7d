from django.core import mail

from apps.notifications.services import send_message


def test_messages_are_plain_text_never_html_escaped(in_site, django_capture_on_commit_callbacks):
    w = in_site
    w.pupil.first_name = "Zoé <O'Neill> & co"
    send_message(
        "registration_cancelled",
        to=w.pupil,
        site=w.site,
        context={"registration": w.registration, "slot": w.slot, "reason": "Plus d'intérêt"},
    )
    body = mail.outbox[-1].body
    assert "Zoé <O'Neill> & co" in body
    assert "Plus d'intérêt" in body
    assert "&#x27;" not in body and "&amp;" not in body and "&lt;" not in body


def test_messages_follow_the_recipients_language(in_site):
    w = in_site
    w.pupil.preferred_language = "en"
    send_message(
        "registration_cancelled", to=w.pupil, site=w.site, context={"registration": w.registration, "slot": w.slot}
    )
    assert mail.outbox[-1].subject.startswith("Registration cancelled")
    w.pupil.preferred_language = "fr"
    send_message(
        "registration_cancelled", to=w.pupil, site=w.site, context={"registration": w.registration, "slot": w.slot}
    )
    assert not mail.outbox[-1].subject.startswith("Registration cancelled")
