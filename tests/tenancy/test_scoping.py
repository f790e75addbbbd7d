"""The wall between sites: fail-closed scoping, declarations, constraints, foreign keys."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django_scopes import ScopeError

from apps.catalogue.models import Course, Slot
from apps.organisations.models import Building, Structure
from apps.registrations.models import Registration
from apps.tenancy.models import CrossSiteReference, SiteOwnedModel
from apps.tenancy.scoping import for_site, platform_job

#: Models of other projects, all global by nature (identity, sessions, audit, schedules...).
THIRD_PARTY_GLOBAL = {
    "admin.logentry",
    "auth.group",
    "auth.permission",
    "contenttypes.contenttype",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "axes.accessattemptexpiration",
    # django-celery-beat: the platform's schedules, for the operator
    "django_celery_beat.solarschedule",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.clockedschedule",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.periodictasks",
    "django_celery_beat.periodictask",
}


def _own_models():
    return [m for m in apps.get_models() if m.__module__.startswith("apps.")]


def test_every_model_is_declared_site_owned_or_global():
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.auto_created:
            # Many-to-many link rows: both ends carry their site; the m2m_changed guard keeps them equal.
            ends = [f.related_model for f in model._meta.concrete_fields if f.is_relation]
            site_owned_end = any(issubclass(end, SiteOwnedModel) for end in ends)
            assert site_owned_end or label.startswith(("auth.", "accounts.")), label
            continue
        if not model.__module__.startswith("apps."):
            assert label in THIRD_PARTY_GLOBAL, f"{label}: declare it site-owned or global"
            continue
        assert getattr(model, "tenancy", None) in ("site", "global"), f"{label} has no tenancy declaration"
        is_site_owned = issubclass(model, SiteOwnedModel)
        assert is_site_owned == (model.tenancy == "site"), label


@pytest.mark.parametrize("model", [m for m in _own_models() if issubclass(m, SiteOwnedModel)], ids=str)
def test_site_owned_models_carry_their_site_and_fail_closed(db, model):
    site_field = model._meta.get_field("site")
    assert site_field.null is False
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()


@pytest.mark.parametrize("model", [m for m in _own_models() if issubclass(m, SiteOwnedModel)], ids=str)
def test_unique_constraints_include_the_site(model):
    for field in model._meta.concrete_fields:
        assert not field.unique or field.primary_key, f"{model.__name__}.{field.name} is unique across sites"
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            assert "site" in constraint.fields, f"{model.__name__}: {constraint.name} ignores the site"
    assert not model._meta.unique_together


def test_two_sites_cannot_see_each_others_rows(world, other_world):
    for model in [m for m in _own_models() if issubclass(m, SiteOwnedModel)]:
        with platform_job():
            total = model.objects.count()
            mine = set(model.objects.filter(site=world.site).values_list("pk", flat=True))
            theirs = set(model.objects.filter(site=other_world.site).values_list("pk", flat=True))
        with for_site(world.site):
            assert set(model.objects.values_list("pk", flat=True)) == mine, model
        with for_site(other_world.site):
            assert set(model.objects.values_list("pk", flat=True)) == theirs, model
        assert len(mine) + len(theirs) == total
    with for_site(world.site):
        assert not Slot.objects.filter(pk=other_world.slot.pk).exists()
        assert not Course.objects.filter(training__structure=other_world.structure).exists()


def test_platform_jobs_see_every_site_explicitly(world, other_world):
    with platform_job():
        assert Slot.objects.filter(site__in=[world.site, other_world.site]).count() == Slot.objects.count()


def test_for_site_refuses_none():
    with pytest.raises(ValueError):
        for_site(None)


def test_a_foreign_key_never_points_into_another_site(world, other_world):
    with for_site(world.site):
        structure = Structure(site=world.site, establishment=other_world.master, code="X", label="Intrus")
        with pytest.raises(CrossSiteReference):
            structure.save()
        with pytest.raises(ValidationError) as error:
            structure.full_clean()
        assert "establishment" in error.value.message_dict
        # Not loaded: only the id is set (as a form or an API would do).
        building = Building(site=world.site, campus_id=other_world.campus.pk, label="Intrus")
        with pytest.raises(CrossSiteReference):
            building.save()
        registration = Registration(site=world.site, slot=other_world.slot, person=world.pupil)
        with pytest.raises(CrossSiteReference):
            registration.save()
    with platform_job():
        assert not Structure.objects.filter(code="X").exists()
        assert not Building.objects.filter(label="Intrus").exists()


def test_many_to_many_links_never_cross_sites(world, other_world):
    with for_site(world.site):
        # Django adds links without a savepoint: the refusal aborts the surrounding transaction.
        with pytest.raises(CrossSiteReference), transaction.atomic():
            world.slot.allowed_high_schools.add(other_world.high_school)
        with pytest.raises(CrossSiteReference), transaction.atomic():
            world.training.subdomains.add(other_world.subdomain.pk)
        world.slot.allowed_high_schools.add(world.high_school)
        assert list(world.slot.allowed_high_schools.all()) == [world.high_school]


def test_a_row_without_site_is_refused(world):
    with for_site(world.site), pytest.raises(CrossSiteReference):
        Structure(establishment=world.master, code="Y", label="Sans site").save()


def test_a_site_can_be_deleted_with_everything_it_owns(world, other_world):
    from apps.tenancy.models import Site

    with platform_job():
        before = {
            m: m.objects.filter(site=other_world.site).count() for m in _own_models() if issubclass(m, SiteOwnedModel)
        }
        Site.objects.filter(pk=world.site.pk).delete()
        for model in before:
            assert not model.objects.filter(site_id=world.site.pk).exists()
            assert model.objects.filter(site=other_world.site).count() == before[model]


def test_reference_data_in_use_cannot_be_deleted(in_site):
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError), transaction.atomic():
        in_site.subdomain.domain.delete()
