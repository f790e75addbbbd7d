"""The admin of site A shows, offers and accepts site A's rows only."""

import pytest
from django.contrib.auth import get_user_model

from apps.catalogue.models import Course, Slot, Training
from apps.organisations.models import Establishment, Structure
from apps.tenancy.scoping import platform_job

from .helpers import admin_url, form_data, site_owned_admins, with_values

pytestmark = pytest.mark.django_db

SITE_OWNED = [model for model, _ in site_owned_admins()]
IDS = [model._meta.label for model in SITE_OWNED]
#: Admins that only the operator may open (the master referent reads the action log in the back office).
OPERATOR_ONLY = set()  # every site-owned model is readable by the admin's users (the action log included)


def rows(model, site):
    with platform_job():
        return list(model.objects.filter(site=site))


class TestEverySiteOwnedModel:
    """Two complete sites for every model's cases: each case runs in a savepoint rolled back after it."""

    @pytest.fixture
    def alpha(self, class_alpha, db):
        return class_alpha

    @pytest.fixture
    def beta(self, class_beta, db):
        return class_beta

    @pytest.mark.parametrize("model", SITE_OWNED, ids=IDS)
    @pytest.mark.parametrize("who", ["master_referent", "operator"])
    def test_changelist_shows_the_current_site_only(self, client, alpha, beta, model, who):
        client.force_login(getattr(alpha, who))
        ours, theirs = rows(model, alpha.site), rows(model, beta.site)
        assert ours and theirs, "both sites need rows for the test to mean something"

        response = client.get(admin_url(model))

        if who != "operator" and model._meta.label in OPERATOR_ONLY:
            assert response.status_code == 403
            return
        assert response.status_code == 200
        cl = response.context["cl"]
        shown = list(cl.queryset)
        assert {obj.site_id for obj in shown} == {alpha.site.pk}
        assert {obj.pk for obj in shown} == {obj.pk for obj in ours}
        content = response.content.decode()
        ours_pks = {obj.pk for obj in ours}
        for obj in theirs:
            if obj.pk not in ours_pks:
                assert admin_url(model, "change", obj.pk) not in content
        for label in (beta.master.label, beta.host.label):  # the only labels that differ between the two worlds
            assert label not in content

    @pytest.mark.parametrize("model", SITE_OWNED, ids=IDS)
    def test_admin_queryset_is_the_request_sites_even_without_scope(self, rf, alpha, beta, model):
        """Disabling the scope cannot widen the admin; no scope at all fails loudly."""
        from django.contrib import admin
        from django_scopes.exceptions import ScopeError

        request = rf.get("/admin/")
        request.site, request.user = alpha.site, alpha.operator
        model_admin = admin.site.get_model_admin(model)
        with platform_job():
            shown = list(model_admin.get_queryset(request))
        assert shown and {obj.site_id for obj in shown} == {alpha.site.pk}
        with pytest.raises(ScopeError):
            list(model_admin.get_queryset(request))

    @pytest.mark.parametrize("model", SITE_OWNED, ids=IDS)
    @pytest.mark.parametrize("view", ["change", "history", "delete"])
    def test_another_sites_row_is_not_found(self, master_client, alpha, beta, model, view):
        theirs = rows(model, beta.site)[0]
        response = master_client.get(admin_url(model, view, theirs.pk))
        # 403 where the view itself is refused (registrations are never deleted here).
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:
            assert response.url == "/admin/"  # Django's "does not exist" redirect

    @pytest.mark.parametrize("model", SITE_OWNED, ids=IDS)
    def test_another_sites_row_cannot_be_deleted_by_post(self, operator_client, alpha, beta, model):
        theirs = rows(model, beta.site)[0]
        operator_client.post(admin_url(model, "delete", theirs.pk), {"post": "yes"})
        operator_client.post(
            admin_url(model), {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"}
        )
        with platform_job():
            assert model.objects.filter(pk=theirs.pk).exists()

    def test_url_filters_cannot_reach_another_site(self, master_client, alpha, beta):
        response = master_client.get(admin_url(Structure), {"establishment__id__exact": beta.master.pk})
        assert response.status_code == 200
        assert list(response.context["cl"].queryset) == []

    def test_foreign_key_and_many_to_many_choices_are_the_sites(self, master_client, alpha, beta):
        response = master_client.get(admin_url(Slot, "add"))
        form = response.context["adminform"].form
        for name in (
            "course",
            "event",
            "course_type",
            "period",
            "campus",
            "building",
            "place_high_school",
            "allowed_establishments",
            "allowed_high_schools",
            "allowed_high_school_levels",
            "allowed_bachelor_types",
            "allowed_series",
            "allowed_specialities",
        ):
            choices = list(form.fields[name].queryset)
            assert choices, name
            assert {obj.site_id for obj in choices} == {alpha.site.pk}, name

        speakers = set(form.fields["speakers"].queryset)
        assert alpha.speaker in speakers and alpha.pupil in speakers
        assert beta.speaker not in speakers and beta.master_referent not in speakers

    def test_list_filters_offer_the_sites_rows_only(self, master_client, alpha, beta):
        response = master_client.get(admin_url(Structure))
        spec = next(spec for spec in response.context["cl"].filter_specs if spec.field_path == "establishment")
        offered = {pk for pk, _ in spec.lookup_choices}
        assert offered == {alpha.master.pk, alpha.host.pk}

    def test_structure_with_another_sites_establishment_is_a_form_error(self, master_client, alpha, beta):
        url = admin_url(Structure, "add")
        data = with_values(
            form_data(master_client.get(url), Structure), establishment=beta.master.pk, code="NEW", label="New"
        )

        response = master_client.post(url, data)

        assert response.status_code == 200
        assert "establishment" in response.context["adminform"].form.errors
        with platform_job():
            assert not Structure.objects.filter(code="NEW").exists()

    def test_structure_is_created_on_the_current_site(self, master_client, alpha, beta):
        url = admin_url(Structure, "add")
        data = with_values(
            form_data(master_client.get(url), Structure), establishment=alpha.master.pk, code="NEW", label="New"
        )

        response = master_client.post(url, data)

        assert response.status_code == 302
        with platform_job():
            created = Structure.objects.get(code="NEW")
        assert created.site_id == alpha.site.pk

    def test_many_to_many_with_another_sites_row_is_a_form_error(self, master_client, alpha, beta):
        url = admin_url(Training, "add")
        data = with_values(
            form_data(master_client.get(url), Training),
            label="Licence Bio",
            structure=alpha.structure.pk,
            subdomains=[alpha.subdomain.pk, beta.subdomain.pk],
        )

        response = master_client.post(url, data)

        assert response.status_code == 200
        assert "subdomains" in response.context["adminform"].form.errors
        with platform_job():
            assert not Training.objects.filter(label="Licence Bio").exists()

    def test_speaker_of_another_site_is_a_form_error(self, master_client, alpha, beta):
        url = admin_url(Course, "change", alpha.course.pk)
        data = with_values(form_data(master_client.get(url), Course), speakers=[alpha.speaker.pk, beta.speaker.pk])

        response = master_client.post(url, data)

        assert response.status_code == 200
        assert "speakers" in response.context["adminform"].form.errors
        assert not alpha.course.speakers.exists()

    def test_per_site_constraints_are_form_errors(self, master_client, alpha, beta):
        url = admin_url(Establishment, "add")
        blank = form_data(master_client.get(url), Establishment)

        # The code of one of this site's establishments...
        response = master_client.post(url, with_values(blank, code="UMA", label="Doublon"))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
        # ...a second master establishment...
        response = master_client.post(url, with_values(blank, code="UM2", label="Autre", is_master="on"))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
        # ...while another site's code is free here.
        with platform_job():
            Establishment.objects.create(site=beta.site, code="ONLYB", label="B")
        response = master_client.post(url, with_values(blank, code="ONLYB", label="Maintenant A"))
        assert response.status_code == 302
        with platform_job():
            assert Establishment.objects.filter(code="ONLYB").count() == 2

    def test_autocomplete_answers_with_the_sites_rows(self, master_client, alpha, beta):
        def ids(model, field):
            response = master_client.get(
                "/admin/autocomplete/",
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field,
                    "term": "",
                },
            )
            assert response.status_code == 200
            return {int(result["id"]) for result in response.json()["results"]}

        trainings = ids(Course, "training")
        assert trainings == {training.pk for training in rows(Training, alpha.site)}
        speakers = ids(Course, "speakers")
        assert alpha.speaker.pk in speakers
        assert beta.speaker.pk not in speakers and beta.pupil.pk not in speakers
        assert alpha.operator.pk not in speakers

    def test_slot_is_created_on_the_current_site_and_checked(self, master_client, alpha, beta):
        url = admin_url(Slot, "add")
        data = with_values(
            form_data(master_client.get(url), Slot),
            course=alpha.course.pk,
            course_type=alpha.course_type.pk,
            period=alpha.period.pk,
            date=alpha.period.immersion_start.strftime("%d/%m/%Y"),
            start_time="14:00",
            end_time="16:00",
            campus=alpha.campus.pk,
            individual_places=12,
        )

        # A course slot needs a course type (model validation, not a database error).
        response = master_client.post(url, with_values(data, course_type=None))
        assert response.status_code == 200
        assert "course_type" in response.context["adminform"].form.errors
        # Another site's period is not a choice.
        response = master_client.post(url, with_values(data, period=beta.period.pk))
        assert response.status_code == 200
        assert "period" in response.context["adminform"].form.errors

        response = master_client.post(url, data)
        assert response.status_code == 302, response.context and response.context["errors"]
        with platform_job():
            created = Slot.objects.get(course=alpha.course, start_time="14:00")
        assert created.site_id == alpha.site.pk
        assert created.individual_places_taken == 0


def test_group_registration_with_a_private_class_list_renders(master_client, alpha):
    from django.core.files.base import ContentFile

    from apps.registrations.models import GroupRegistration

    registration = alpha.group_registration
    with platform_job():
        registration.class_list.save("classe-1re-b.pdf", ContentFile(b"%PDF-1.4"), save=True)
    try:
        response = master_client.get(admin_url(GroupRegistration, "change", registration.pk))
        assert response.status_code == 200
        assert "classe-1re-b" in response.content.decode()
    finally:
        registration.class_list.delete(save=False)


def test_user_model_is_not_a_site_owned_model():
    # The user admin is sealed by its own queryset (see test_users).
    from apps.tenancy.models import SiteOwnedModel

    assert not issubclass(get_user_model(), SiteOwnedModel)
