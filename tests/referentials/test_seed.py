import pytest

from apps.referentials import models as ref
from apps.referentials.services import bachelor_kind, load_reference_lists, seed_reference_data, series_code
from apps.tenancy.scoping import for_site, platform_job
from tests.factories import make_site

MODELS = [
    ref.HighSchoolLevel,
    ref.PostBachelorLevel,
    ref.StudentLevel,
    ref.BachelorType,
    ref.TechnologicalSeries,
    ref.GeneralSpeciality,
    ref.TrainingDomain,
    ref.TrainingSubdomain,
    ref.CourseType,
    ref.CancellationReason,
    ref.PublicType,
    ref.EventType,
]


@pytest.fixture
def site(db):
    with platform_job():
        return make_site("seeded", hosts=("seeded.localhost",))


def counts(site):
    with for_site(site):
        return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_creates_every_list_then_changes_nothing(site):
    data = load_reference_lists()
    first = seed_reference_data(site)
    assert first["student_levels"] == {"created": len(data["student_levels"]), "updated": 0, "unchanged": 0}
    assert first["training_subdomains"]["created"] == sum(len(subs) for subs in data["training_domains"].values())
    before = counts(site)
    assert before["CancellationReason"] == len(data["cancellation_reasons"])  # the system reason is in the file

    second = seed_reference_data(site)
    assert all(bucket["created"] == bucket["updated"] == 0 for bucket in second.values())
    assert counts(site) == before


def test_seeded_values(site):
    seed_reference_data(site)
    with for_site(site):
        levels = list(ref.HighSchoolLevel.objects.order_by("position"))
        assert [level.label for level in levels] == ["Seconde", "Première", "Terminale", "Post-bac"]
        assert [level.position for level in levels] == [1, 2, 3, 4]
        assert [level.is_post_bachelor for level in levels] == [False, False, False, True]
        assert [level.requires_speciality for level in levels] == [False, True, True, False]
        assert dict(ref.BachelorType.objects.values_list("label", "kind")) == {
            "Général": "general",
            "Technologique": "technological",
            "Professionnel": "professional",
        }
        sti2d = ref.TechnologicalSeries.objects.get(code="STI2D")
        assert sti2d.label.startswith("STI2D - Sciences et technologies de l'industrie")
        assert list(ref.CourseType.objects.order_by("position").values_list("code", flat=True)) == [
            "CM",
            "TD",
            "TP",
            "CI",
        ]
        informatique = ref.TrainingSubdomain.objects.get(label="Informatique")
        assert informatique.domain.label == "Sciences & Technologies"
        assert informatique.position == 1

        system = ref.CancellationReason.objects.get(label="Pièce justificative manquante ou expirée")
        assert system.usable_by_system and not system.usable_by_registrants
        others = ref.CancellationReason.objects.exclude(pk=system.pk)
        assert others.count() == 4
        assert all(r.usable_by_registrants and r.usable_by_managers and not r.usable_by_system for r in others)
        assert ref.EventType.objects.filter(label="Visite dans un lycée").exists()
        assert ref.PublicType.objects.count() == 4


def test_sites_get_their_own_rows(site):
    with platform_job():
        other = make_site("other-seeded", hosts=("other-seeded.localhost",))
    seed_reference_data(site)
    seed_reference_data(other)
    assert counts(site) == counts(other)
    with platform_job():
        for model in MODELS:
            rows = model.objects.all()
            assert rows.filter(site=site).count() == rows.filter(site=other).count() > 0
        subdomains = ref.TrainingSubdomain.objects.select_related("domain")
        assert all(sub.domain.site_id == sub.site_id for sub in subdomains)


def test_existing_rows_are_realigned_not_duplicated(world):
    """The test world already has a CM course type and an 'Informatique' subdomain."""
    with for_site(world.site):
        world.course_type.position = 9
        world.course_type.save()
        speciality = ref.GeneralSpeciality.objects.create(site=world.site, label="Arts", position=5, is_active=False)
    summary = seed_reference_data(world.site)
    assert summary["course_types"] == {"created": 3, "updated": 1, "unchanged": 0}
    with for_site(world.site):
        assert ref.CourseType.objects.filter(code="CM").count() == 1
        assert ref.CourseType.objects.get(code="CM").position == 1
        assert ref.TrainingSubdomain.objects.filter(label="Informatique").count() == 1
        speciality.refresh_from_db()
        assert speciality.position == 1
        assert speciality.is_active is False  # left as the site set it


def test_callable_inside_the_site_scope_only(site):
    with for_site(site):
        seed_reference_data(site)
        assert ref.StudentLevel.objects.count() == 11
    with platform_job():
        other = make_site("intruder", hosts=("intruder.localhost",))
    with for_site(other), pytest.raises(ValueError, match="another site"):
        seed_reference_data(site)


def test_helpers():
    assert bachelor_kind("Général") == "general"
    assert bachelor_kind("technologique") == "technological"
    assert bachelor_kind("Professionnel") == "professional"
    with pytest.raises(ValueError):
        bachelor_kind("Européen")
    assert series_code("S2TMD - Sciences et techniques du théâtre, de la musique et de la danse") == "S2TMD"
