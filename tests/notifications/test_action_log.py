"""A site's own message texts, saved or reset, leave their action-log rows (written by
apps.notifications.texts): the subject and body old → new (the default text being the old one
of a first save); saving the same text again, or resetting a default, leaves none. Sending a
message is not logged."""

from django.urls import reverse

from apps.audit.models import ActionLog
from apps.notifications import registry, texts
from apps.notifications.services import send_message
from apps.tenancy.scoping import for_site

KEY = "registration_cancelled"


def _rows_of(site, write):
    with for_site(site):
        last = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        write()
        return list(ActionLog.objects.filter(pk__gt=last).order_by("pk"))


def test_saving_and_resetting_a_text_are_logged(client, world):
    w = world
    spec = registry.get(KEY)
    default_subject, default_body = registry.default_texts(spec, "fr")
    client.force_login(w.master_referent)
    edit = reverse("notifications:message_edit", args=[KEY, "fr"])
    reset = reverse("notifications:message_reset", args=[KEY, "fr"])
    own = {"fr-subject": "Annulation — {{ slot_label }}", "fr-body": "Bonjour {{ first_name }}, c'est annulé.\n"}

    def save(subject, body):
        return lambda: texts.save_text(w.site, spec, "fr", subject=subject, body=body, by=w.master_referent)

    cases = [
        (
            "a first text, from the page",
            lambda: client.post(edit, {**own, "save": "1"}),
            "notifications.messagetemplate.changed",
            {
                "subject": [default_subject, own["fr-subject"]],
                "body": [default_body, own["fr-body"]],
            },
        ),
        ("the same text again", save(own["fr-subject"], own["fr-body"]), None, None),
        (
            "a new subject",
            save("Annulé : {{ slot_label }}", own["fr-body"]),
            "notifications.messagetemplate.changed",
            {"subject": [own["fr-subject"], "Annulé : {{ slot_label }}"]},
        ),
        (
            "sending it",
            lambda: send_message(
                KEY, to=w.pupil, site=w.site, context={"registration": w.registration, "slot": w.slot}
            ),
            None,
            None,
        ),
        (
            "reset, from the page",
            lambda: client.post(reset),
            "notifications.messagetemplate.reset",
            {
                "subject": ["Annulé : {{ slot_label }}", default_subject],
                "body": [own["fr-body"], default_body],
            },
        ),
        (
            "reset again: the default already",
            lambda: texts.reset_text(w.site, spec, "fr", by=w.master_referent),
            None,
            None,
        ),
    ]
    for name, write, action, changed in cases:
        rows = _rows_of(w.site, write)
        if action is None:
            assert rows == [], name
            continue
        assert [(row.action, row.actor_id, row.object_label) for row in rows] == [
            (action, w.master_referent.pk, f"{KEY} (fr)")
        ], name
        assert rows[0].data == {"changed": changed}, name
    with for_site(w.site):
        assert (
            len({row.object_id for row in ActionLog.objects.filter(object_type="notifications.messagetemplate")}) == 1
        )
