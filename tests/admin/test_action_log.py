"""Writes through the admin leave their action-log rows (``admin.object.*``, with the names of
the fields changed, never their values), in the admin's transaction: a form saved (added or
changed), an inline row, a deletion one by one or from the list, a global row (a person's
account) on the site whose admin was used; a form saved unchanged or refused leaves none. A
charter version goes through the staff service and its own rows."""

from apps.accounts.models import Role, RoleAssignment, User
from apps.audit.models import ActionLog
from apps.referentials.models import EventType
from apps.staff.models import Charter
from apps.tenancy.scoping import for_site

from .helpers import admin_url, form_data, with_values


def _rows_of(site, write):
    with for_site(site):
        last = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = write()
    assert response.status_code in (200, 302)
    with for_site(site):
        return list(ActionLog.objects.filter(pk__gt=last).order_by("pk"))


def test_admin_writes_leave_their_rows(master_client, alpha):
    w, client = alpha, master_client
    with for_site(w.site):
        spare = [EventType.objects.create(site=w.site, label=f"Type {n}") for n in range(3)]

    def change(model, obj, **values):
        url = admin_url(model, "change", obj.pk)
        return lambda: client.post(url, with_values(form_data(client.get(url), model), **values))

    def add_event_type():
        url = admin_url(EventType, "add")
        return client.post(url, with_values(form_data(client.get(url), EventType), label="Forum", position=4))

    def grant_through_the_inline():
        url = admin_url(User, "change", w.visitor.pk)
        data = form_data(client.get(url), User)
        n = int(data["role_assignments-TOTAL_FORMS"][0])
        fields = {"TOTAL_FORMS": n + 1, f"{n}-role": Role.STRUCTURE_REFERENT, f"{n}-structure": w.structure.pk}
        fields[f"{n}-user"] = w.visitor.pk
        return client.post(url, with_values(data, **{f"role_assignments-{k}": v for k, v in fields.items()}))

    def add_charter():
        url = admin_url(Charter, "add")
        return client.post(url, {"version": "3", "text": "Charte 3", "published_at_0": "", "published_at_1": ""})

    def event_type(label):
        with for_site(w.site):
            return EventType.objects.get(label=label)

    def granted():
        with for_site(w.site):
            return RoleAssignment.objects.get(user=w.visitor, role=Role.STRUCTURE_REFERENT)

    def charter():
        with for_site(w.site):
            return Charter.objects.get(version="3")

    cases = [
        (
            "a row changed",
            change(EventType, w.event_type, label="Portes ouvertes", position=7),
            lambda: [
                ("admin.object.changed", "referentials.eventtype", w.event_type.pk, {"fields": ["label", "position"]})
            ],
        ),
        ("saved unchanged", change(EventType, w.event_type), list),
        (
            "a row added",
            add_event_type,
            lambda: [
                (
                    "admin.object.created",
                    "referentials.eventtype",
                    event_type("Forum").pk,
                    {"fields": ["label", "position"]},
                )
            ],
        ),
        (
            "an inline row of a person",
            grant_through_the_inline,
            lambda: [("admin.object.created", "accounts.roleassignment", granted().pk, None)],
        ),
        (
            "deleted",
            lambda: client.post(admin_url(EventType, "delete", spare[0].pk), {"post": "yes"}),
            lambda: [("admin.object.deleted", "referentials.eventtype", spare[0].pk, {})],
        ),
        (
            "deleted from the list",
            lambda: client.post(
                admin_url(EventType),
                {"action": "delete_selected", "_selected_action": [spare[1].pk, spare[2].pk], "post": "yes"},
            ),
            lambda: [("admin.object.deleted", "referentials.eventtype", obj.pk, {}) for obj in spare[1:]],
        ),
        (
            "a charter version, through the staff service",
            add_charter,
            lambda: [("staff.charter.created", "staff.charter", charter().pk, {"version": "3"})],
        ),
        (
            "a person's account (a global row, logged on this site, naming the person)",
            change(User, w.visitor, first_name="Ada"),
            lambda: [("admin.object.changed", "accounts.user", w.visitor.pk, {"fields": ["first_name"]})],
        ),
        ("a refused form", change(EventType, w.event_type, label=""), list),
    ]
    for name, write, expected in cases:
        rows = _rows_of(w.site, write)
        wanted = sorted((action, kind, str(pk), data) for action, kind, pk, data in expected())
        rows = sorted(rows, key=lambda row: (row.action, row.object_type, row.object_id))
        assert [(row.action, row.object_type, row.object_id) for row in rows] == [key[:3] for key in wanted], name
        for row, (*_key, data) in zip(rows, wanted, strict=True):
            assert data is None or row.data == data, (name, row.data)
        assert all(row.actor_id == w.master_referent.pk and row.site_id == w.site.pk for row in rows), name
    with for_site(w.site):
        fields = ActionLog.objects.filter(action="admin.object.created", object_type="accounts.roleassignment").get()
        person = ActionLog.objects.get(action="admin.object.changed", object_type="accounts.user")
    assert set(fields.data["fields"]) >= {"role", "structure"}
    assert person.subject_id == w.visitor.pk
