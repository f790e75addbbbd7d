"""Every write of apps.organisations.services leaves its action-log row, written by the service:
establishments, high schools, structures, campuses, buildings and trainings created (their
values), changed (old → new), deactivated, deleted (the row logged before it goes); a refused
write leaves none."""

import pytest
from django.core.exceptions import ValidationError

from apps.audit import context
from apps.audit.models import ActionLog
from apps.organisations import services

pytestmark = pytest.mark.django_db


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _rows_of(write):
    last = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with context.origin(ip="192.0.2.20"):
        result = write()
    return result, list(ActionLog.objects.filter(pk__gt=last).order_by("pk"))


def test_each_service_leaves_its_row(in_site):
    w = in_site
    by = w.master_referent
    site = w.site
    made = {}

    def keep(name, write):
        def run():
            made[name] = write()
            made[f"{name}_pk"] = made[name].pk
            return made[name]

        return run

    def new(name):
        return lambda: made[name]

    cases = [
        # (name, write, action, object: () -> obj, establishment id the row is filed under, data check)
        (
            "create an establishment",
            keep("establishment", lambda: services.create_establishment(site, actor=by, code="NEW", label="Nouvelle")),
            "organisations.establishment.created",
            new("establishment"),
            lambda: made["establishment"].pk,
            lambda data: data["code"] == "NEW" and data["label"] == "Nouvelle",
        ),
        (
            "change it",
            lambda: services.update_establishment(site, made["establishment"], actor=by, label="Renommée", city="Metz"),
            "organisations.establishment.changed",
            new("establishment"),
            lambda: made["establishment"].pk,
            lambda data: data == {"changed": {"label": ["Nouvelle", "Renommée"], "city": ["", "Metz"]}},
        ),
        (
            "deactivate it",
            lambda: services.deactivate_establishment(site, made["establishment"], actor=by),
            "organisations.establishment.deactivated",
            new("establishment"),
            lambda: made["establishment"].pk,
            None,
        ),
        (
            "create a structure",
            keep(
                "structure",
                lambda: services.create_structure(site, actor=by, establishment=w.host, code="MAT", label="Maths"),
            ),
            "organisations.structure.created",
            new("structure"),
            lambda: w.host.pk,
            lambda data: data["establishment"] == w.host.pk,
        ),
        (
            "change a structure",
            lambda: services.update_structure(site, made["structure"], actor=by, email="maths@example.org"),
            "organisations.structure.changed",
            new("structure"),
            lambda: w.host.pk,
            lambda data: data == {"changed": {"email": ["", "maths@example.org"]}},
        ),
        (
            "create a campus",
            keep("campus", lambda: services.create_campus(site, actor=by, establishment=w.host, label="Nord")),
            "organisations.campus.created",
            new("campus"),
            lambda: w.host.pk,
            None,
        ),
        (
            "create a building (filed under its campus's establishment)",
            keep("building", lambda: services.create_building(site, actor=by, campus=made["campus"], label="B1")),
            "organisations.building.created",
            new("building"),
            lambda: w.host.pk,
            None,
        ),
        (
            "change a building",
            lambda: services.update_building(site, made["building"], actor=by, label="B2"),
            "organisations.building.changed",
            new("building"),
            lambda: w.host.pk,
            lambda data: data == {"changed": {"label": ["B1", "B2"]}},
        ),
        (
            "deactivate a building",
            lambda: services.deactivate_building(site, made["building"], actor=by),
            "organisations.building.deactivated",
            new("building"),
            lambda: w.host.pk,
            None,
        ),
        (
            "delete a building",
            lambda: services.delete_building(site, made["building"], actor=by),
            "organisations.building.deleted",
            lambda: type("Gone", (), {"pk": made["building_pk"]}),
            lambda: w.host.pk,
            None,
        ),
        (
            "change a campus",
            lambda: services.update_campus(site, made["campus"], actor=by, city="Lille"),
            "organisations.campus.changed",
            new("campus"),
            lambda: w.host.pk,
            None,
        ),
        (
            "deactivate a campus",
            lambda: services.deactivate_campus(site, made["campus"], actor=by),
            "organisations.campus.deactivated",
            new("campus"),
            lambda: w.host.pk,
            None,
        ),
        (
            "delete a campus",
            lambda: services.delete_campus(site, made["campus"], actor=by),
            "organisations.campus.deleted",
            lambda: type("Gone", (), {"pk": made["campus_pk"]}),
            lambda: w.host.pk,
            None,
        ),
        (
            "create a training",
            keep(
                "training",
                lambda: services.create_training(
                    site, actor=by, subdomains=[w.subdomain], label="Master Maths", structure=made["structure"]
                ),
            ),
            "catalogue.training.created",
            new("training"),
            lambda: w.host.pk,
            lambda data: data["subdomains"] == [{"id": w.subdomain.pk, "label": str(w.subdomain)}],
        ),
        (
            "change a training and its subdomains",
            lambda: services.update_training(
                site, made["training"], actor=by, subdomains=[], url="https://example.org"
            ),
            "catalogue.training.changed",
            new("training"),
            lambda: w.host.pk,
            lambda data: (
                data["changed"]["url"] == ["", "https://example.org"] and data["changed"]["subdomains"][1] == []
            ),
        ),
        (
            "deactivate a training",
            lambda: services.deactivate_training(site, made["training"], actor=by),
            "catalogue.training.deactivated",
            new("training"),
            lambda: w.host.pk,
            None,
        ),
        (
            "delete a training",
            lambda: services.delete_training(site, made["training"], actor=by),
            "catalogue.training.deleted",
            lambda: type("Gone", (), {"pk": made["training_pk"]}),
            lambda: w.host.pk,
            None,
        ),
        (
            "deactivate and delete a structure",
            lambda: (
                services.deactivate_structure(site, made["structure"], actor=by),
                services.delete_structure(site, made["structure"], actor=by),
            ),
            "organisations.structure.deleted",
            lambda: type("Gone", (), {"pk": made["structure_pk"]}),
            lambda: w.host.pk,
            None,
        ),
        (
            "delete the establishment",
            lambda: services.delete_establishment(site, made["establishment"], actor=by),
            "organisations.establishment.deleted",
            lambda: type("Gone", (), {"pk": made["establishment_pk"]}),
            lambda: made["establishment_pk"],
            None,
        ),
        (
            "create a high school",
            keep(
                "high_school",
                lambda: services.create_high_school(
                    site, actor=by, uai="0680001A", label="Lycée Bartholdi", city="Colmar"
                ),
            ),
            "organisations.highschool.created",
            new("high_school"),
            lambda: None,
            lambda data: data["uai"] == "0680001A",
        ),
        (
            "change a high school",
            lambda: services.update_high_school(site, made["high_school"], actor=by, phone="0389000000"),
            "organisations.highschool.changed",
            new("high_school"),
            lambda: None,
            lambda data: data == {"changed": {"phone": ["", "0389000000"]}},
        ),
        (
            "deactivate a high school",
            lambda: services.deactivate_high_school(site, made["high_school"], actor=by),
            "organisations.highschool.deactivated",
            new("high_school"),
            lambda: None,
            None,
        ),
    ]
    for name, write, action, obj, establishment_id, check in cases:
        _result, rows = _rows_of(write)
        last = rows[-1] if rows else None
        assert last is not None and last.action == action, (name, [row.action for row in rows])
        assert last.object_id == str(obj().pk), name
        assert last.actor_id == by.pk and last.ip == "192.0.2.20", name
        assert last.establishment_id == establishment_id(), name
        assert check is None or check(last.data), (name, last.data)
    high_school_rows = ActionLog.objects.filter(object_type="organisations.highschool")
    assert set(high_school_rows.values_list("high_school_id", flat=True)) == {made["high_school_pk"]}

    # Nothing changed, or a refused write: no row.
    refused = [
        lambda: services.update_structure(site, w.structure, actor=by, label=w.structure.label),  # no change
        lambda: services.deactivate_high_school(site, made["high_school"], actor=by),  # already inactive
    ]
    for write in refused:
        assert _rows_of(write)[1] == []
    errors = [
        lambda: services.update_establishment(site, fresh(w.master), actor=by, is_master=False),
        lambda: services.delete_structure(site, w.structure, actor=by),  # in use
        lambda: services.delete_establishment(site, w.host, actor=by),  # in use
        lambda: services.create_structure(site, actor=by, establishment=w.master, code="SCI", label="Twin"),
        lambda: services.deactivate_establishment(site, fresh(w.master), actor=by),
    ]
    for write in errors:
        with pytest.raises(ValidationError):
            _rows_of(write)

    untouched = {"organisations.structure": w.structure.pk, "organisations.establishment": w.master.pk}
    for object_type, pk in untouched.items():
        assert not ActionLog.objects.filter(object_type=object_type, object_id=str(pk)).exists(), object_type
    assert not ActionLog.objects.filter(object_type="organisations.establishment", object_id=str(w.host.pk)).exists()
