"""Write side of establishments, high schools, structures, places and trainings.

One function per use case, each in one transaction. The caller passes the site (the row
is put in it, or must already belong to it) and has checked the policy; these functions
enforce the business rules and raise ``ValidationError`` with a translated message, in
which case nothing is changed. Each write leaves its row in the action log, in its transaction,
named after the model (``organisations.establishment.created``, ``catalogue.training.changed``...),
with ``actor`` the person acting: what a new row holds, an edit's fields old → new.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from apps.accounts.models import RoleAssignment
from apps.audit.services import changes, json_value, log_action, snapshot
from apps.catalogue.models import Training
from apps.directories.models import HigherEducationInstitution, SchoolDirectoryEntry

from .models import Building, Campus, Establishment, HighSchool, Structure

ESTABLISHMENT_FIELDS = (
    "is_master",
    "code",
    "label",
    "uai",
    "address",
    "zip_code",
    "city",
    "email",
    "phone",
    "website",
    "is_active",
)
HIGH_SCHOOL_FIELDS = (
    "uai",
    "label",
    "address",
    "zip_code",
    "city",
    "email",
    "phone",
    "agreement_start",
    "agreement_end",
    "hosts_post_bac_trainings",
    "accepts_individual_immersions",
    "is_active",
)
STRUCTURE_FIELDS = ("establishment", "code", "label", "email", "is_active")
CAMPUS_FIELDS = ("establishment", "label", "address", "zip_code", "city", "is_active")
BUILDING_FIELDS = ("campus", "label", "map_url", "is_active")
TRAINING_FIELDS = ("label", "structure", "high_school", "url", "is_active")


def _log(site, verb, instance, actor, data=None):
    owner = {}
    if isinstance(instance, Building):  # owned through its campus
        owner["establishment_id"] = instance.campus.establishment_id
    action = f"{instance._meta.label_lower}.{verb}"
    log_action(action, site=site, actor=actor, obj=instance, data=data, **owner)


def _created(site, instance, actor, fields):
    _log(site, "created", instance, actor, snapshot(instance, fields))
    return instance


def _changed(site, before, instance, actor, fields, extra=None):
    data = changes(before, instance, fields)
    if extra:
        data = {"changed": {**data.get("changed", {}), **extra}}
    if data:
        _log(site, "changed", instance, actor, data)
    return instance


def _apply(instance, fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _save(site, instance):
    """Put a new row in the site (or check an existing one is there), validate, save."""
    if instance.pk is None:
        instance.site = site
    elif instance.site_id != site.pk:
        raise ValidationError(_("This belongs to another site."))
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(_("This conflicts with an existing entry.")) from error
    return instance


def _unique(queryset, instance, field, message):
    if queryset.exclude(pk=instance.pk).exists():
        raise ValidationError({field: message})


def _delete(site, instance, message, actor, roles=None):
    """Delete unless something still uses the row (restricted links, or people's roles on it)."""
    if roles is not None and RoleAssignment.objects.filter(site=instance.site, **roles).exists():
        raise ValidationError(message)
    try:
        with transaction.atomic():
            _log(site, "deleted", instance, actor)
            instance.delete()
    except (ProtectedError, RestrictedError, IntegrityError) as error:
        raise ValidationError(message) from error


def _deactivate(site, instance, actor):
    if instance.is_active:
        instance.is_active = False
        instance.save(update_fields=["is_active"])
        _log(site, "deactivated", instance, actor)
    return instance


# --- Establishments -------------------------------------------------------------------------


def _link_institution(establishment):
    """Link the national directory entry of the UAI; fill an empty name and city from it."""
    entry = HigherEducationInstitution.objects.filter(uai=establishment.uai).first() if establishment.uai else None
    establishment.institution = entry
    if entry is not None:
        establishment.label = establishment.label or entry.label
        establishment.city = establishment.city or entry.city
        establishment.zip_code = establishment.zip_code or entry.zip_code


def _check_establishment(site, establishment, was_master):
    if was_master and not establishment.is_master:
        raise ValidationError({"is_master": _("The master establishment keeps its flag.")})
    others = Establishment.objects.filter(site=site, is_master=True).exclude(pk=establishment.pk)
    if establishment.is_master and not was_master and others.exists():
        raise ValidationError({"is_master": _("This site already has a master establishment.")})
    if establishment.is_master and not establishment.is_active:
        raise ValidationError({"is_active": _("The master establishment cannot be deactivated.")})
    same_site = Establishment.objects.filter(site=site)
    _unique(
        same_site.filter(code=establishment.code),
        establishment,
        "code",
        _("Another establishment has this short name."),
    )
    if establishment.uai:
        _unique(same_site.filter(uai=establishment.uai), establishment, "uai", _("Another establishment has this UAI."))


@transaction.atomic
def create_establishment(site, *, actor=None, **fields):
    """A host establishment (never a second master), linked to the national directory by its UAI."""
    establishment = Establishment(is_master=False)
    _apply(establishment, fields, ESTABLISHMENT_FIELDS)
    _link_institution(establishment)
    _check_establishment(site, establishment, was_master=False)
    return _created(site, _save(site, establishment), actor, ESTABLISHMENT_FIELDS)


@transaction.atomic
def update_establishment(site, establishment, *, actor=None, **fields):
    was_master, old_uai = establishment.is_master, establishment.uai
    before = snapshot(establishment, ESTABLISHMENT_FIELDS)
    _apply(establishment, fields, ESTABLISHMENT_FIELDS)
    if establishment.uai != old_uai or (establishment.uai and establishment.institution_id is None):
        _link_institution(establishment)
    _check_establishment(site, establishment, was_master)
    return _changed(site, before, _save(site, establishment), actor, ESTABLISHMENT_FIELDS)


@transaction.atomic
def deactivate_establishment(site, establishment, *, actor=None):
    if establishment.is_master:
        raise ValidationError(_("The master establishment cannot be deactivated."))
    return _deactivate(site, establishment, actor)


@transaction.atomic
def delete_establishment(site, establishment, *, actor=None):
    if establishment.is_master:
        raise ValidationError(_("The master establishment cannot be deleted."))
    _delete(
        site,
        establishment,
        _("This establishment is in use (structures, campuses, events or people's roles): deactivate it instead."),
        actor,
        roles={"establishment": establishment},
    )


# --- High schools ---------------------------------------------------------------------------


def _link_school(high_school):
    entry = SchoolDirectoryEntry.objects.filter(uai=high_school.uai).first() if high_school.uai else None
    high_school.directory_entry = entry
    if entry is not None:
        high_school.label = high_school.label or entry.label
        high_school.city = high_school.city or entry.city


def check_agreement(start, end):
    """The agreement dates' rules, keyed by field (shared with the form)."""
    if end and not start:
        raise ValidationError({"agreement_start": _("An agreement with an end needs a start.")})
    if start and end and end < start:
        raise ValidationError({"agreement_end": _("The agreement cannot end before it starts.")})


def _has_active_trainings(site, high_school):
    return Training.objects.filter(site=site, high_school=high_school, is_active=True).exists()


def _check_high_school(site, high_school):
    check_agreement(high_school.agreement_start, high_school.agreement_end)
    _unique(
        HighSchool.objects.filter(site=site, uai=high_school.uai),
        high_school,
        "uai",
        _("Another high school has this UAI."),
    )
    if high_school.pk and not high_school.hosts_post_bac_trainings and _has_active_trainings(site, high_school):
        raise ValidationError(
            {"hosts_post_bac_trainings": _("This high school still has active trainings: deactivate them first.")}
        )


@transaction.atomic
def create_high_school(site, *, actor=None, **fields):
    """A high school, from the UAI directory (name and city filled from it) or typed by hand."""
    high_school = HighSchool()
    _apply(high_school, fields, HIGH_SCHOOL_FIELDS)
    _link_school(high_school)
    _check_high_school(site, high_school)
    return _created(site, _save(site, high_school), actor, HIGH_SCHOOL_FIELDS)


@transaction.atomic
def update_high_school(site, high_school, *, actor=None, **fields):
    old_uai = high_school.uai
    before = snapshot(high_school, HIGH_SCHOOL_FIELDS)
    _apply(high_school, fields, HIGH_SCHOOL_FIELDS)
    if high_school.uai != old_uai:
        _link_school(high_school)
    _check_high_school(site, high_school)
    return _changed(site, before, _save(site, high_school), actor, HIGH_SCHOOL_FIELDS)


@transaction.atomic
def deactivate_high_school(site, high_school, *, actor=None):
    return _deactivate(site, high_school, actor)


# --- Structures, campuses, buildings ------------------------------------------------------------


def _check_structure(site, structure):
    _unique(
        Structure.objects.filter(site=site, establishment=structure.establishment, code=structure.code),
        structure,
        "code",
        _("Another structure of this establishment has this short name."),
    )


@transaction.atomic
def create_structure(site, *, actor=None, **fields):
    structure = Structure()
    _apply(structure, fields, STRUCTURE_FIELDS)
    _check_structure(site, structure)
    return _created(site, _save(site, structure), actor, STRUCTURE_FIELDS)


@transaction.atomic
def update_structure(site, structure, *, actor=None, **fields):
    before = snapshot(structure, STRUCTURE_FIELDS)
    _apply(structure, fields, STRUCTURE_FIELDS)
    _check_structure(site, structure)
    return _changed(site, before, _save(site, structure), actor, STRUCTURE_FIELDS)


@transaction.atomic
def deactivate_structure(site, structure, *, actor=None):
    return _deactivate(site, structure, actor)


@transaction.atomic
def delete_structure(site, structure, *, actor=None):
    _delete(
        site,
        structure,
        _("This structure is in use (trainings, events or people's roles): deactivate it instead."),
        actor,
        roles={"structure": structure},
    )


def _check_campus(site, campus):
    _unique(
        Campus.objects.filter(site=site, establishment=campus.establishment, label=campus.label),
        campus,
        "label",
        _("Another campus of this establishment has this name."),
    )


@transaction.atomic
def create_campus(site, *, actor=None, **fields):
    campus = Campus()
    _apply(campus, fields, CAMPUS_FIELDS)
    _check_campus(site, campus)
    return _created(site, _save(site, campus), actor, CAMPUS_FIELDS)


@transaction.atomic
def update_campus(site, campus, *, actor=None, **fields):
    moves = "establishment" in fields and fields["establishment"].pk != campus.establishment_id
    if moves and campus.buildings.exists():
        raise ValidationError({"establishment": _("A campus with buildings stays in its establishment.")})
    before = snapshot(campus, CAMPUS_FIELDS)
    _apply(campus, fields, CAMPUS_FIELDS)
    _check_campus(site, campus)
    return _changed(site, before, _save(site, campus), actor, CAMPUS_FIELDS)


@transaction.atomic
def deactivate_campus(site, campus, *, actor=None):
    return _deactivate(site, campus, actor)


@transaction.atomic
def delete_campus(site, campus, *, actor=None):
    _delete(site, campus, _("This campus is in use (buildings or slots): deactivate it instead."), actor)


def _check_building(site, building):
    _unique(
        Building.objects.filter(site=site, campus=building.campus, label=building.label),
        building,
        "label",
        _("Another building of this campus has this name."),
    )


@transaction.atomic
def create_building(site, *, actor=None, **fields):
    building = Building()
    _apply(building, fields, BUILDING_FIELDS)
    _check_building(site, building)
    return _created(site, _save(site, building), actor, BUILDING_FIELDS)


@transaction.atomic
def update_building(site, building, *, actor=None, **fields):
    before = snapshot(building, BUILDING_FIELDS)
    _apply(building, fields, BUILDING_FIELDS)
    _check_building(site, building)
    return _changed(site, before, _save(site, building), actor, BUILDING_FIELDS)


@transaction.atomic
def deactivate_building(site, building, *, actor=None):
    return _deactivate(site, building, actor)


@transaction.atomic
def delete_building(site, building, *, actor=None):
    _delete(site, building, _("This building is in use (slots): deactivate it instead."), actor)


# --- Trainings -------------------------------------------------------------------------------


def _check_training(site, training):
    if bool(training.structure_id) == bool(training.high_school_id):
        raise ValidationError(_("A training belongs to a structure or to a host high school, not both."))
    if training.high_school_id and not training.high_school.hosts_post_bac_trainings:
        raise ValidationError({"high_school": _("This high school does not host post-bac trainings.")})
    owner = {"structure": training.structure} if training.structure_id else {"high_school": training.high_school}
    _unique(
        Training.objects.filter(site=site, label=training.label, **owner),
        training,
        "label",
        _("This owner already has a training with this name."),
    )


def _set_subdomains(site, training, subdomains) -> dict:
    """Set the training's subdomains (as ``set()`` would); ``{"subdomains": [old, new]}`` if they changed."""
    subdomains = {subdomain.pk: subdomain for subdomain in subdomains}
    if any(s.site_id != site.pk for s in subdomains.values()):
        raise ValidationError({"subdomains": _("This choice belongs to another site.")})
    old = {subdomain.pk: subdomain for subdomain in training.subdomains.all()}
    if set(old) - set(subdomains):
        training.subdomains.remove(*(set(old) - set(subdomains)))
    if set(subdomains) - set(old):
        training.subdomains.add(*(set(subdomains) - set(old)))
    if set(old) == set(subdomains):
        return {}
    return {"subdomains": [json_value(sorted(old.values(), key=str)), json_value(sorted(subdomains.values(), key=str))]}


@transaction.atomic
def create_training(site, *, subdomains=(), actor=None, **fields):
    training = Training()
    _apply(training, fields, TRAINING_FIELDS)
    _check_training(site, training)
    _save(site, training)
    lists = _set_subdomains(site, training, subdomains)
    data = snapshot(training, TRAINING_FIELDS)
    if lists:
        data["subdomains"] = lists["subdomains"][1]
    _log(site, "created", training, actor, data)
    return training


@transaction.atomic
def update_training(site, training, *, subdomains=None, actor=None, **fields):
    before = snapshot(training, TRAINING_FIELDS)
    _apply(training, fields, TRAINING_FIELDS)
    _check_training(site, training)
    _save(site, training)
    lists = _set_subdomains(site, training, subdomains) if subdomains is not None else {}
    return _changed(site, before, training, actor, TRAINING_FIELDS, lists)


@transaction.atomic
def deactivate_training(site, training, *, actor=None):
    return _deactivate(site, training, actor)


@transaction.atomic
def delete_training(site, training, *, actor=None):
    _delete(site, training, _("This training has courses: deactivate it instead."), actor)
