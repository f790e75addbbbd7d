"""A high-school referent's group registrations: registering (both modes), listing, cancelling, the class list."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.audit.models import ActionLog
from apps.catalogue.models import Slot
from apps.organisations.models import HighSchool
from apps.registrations.groups import register_group
from apps.registrations.models import GroupRegistration, Status
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_slot

from .test_referent_validators import PDF, ods_bytes, xls_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

GROUPS = reverse("registrations:groups")
BETA = "beta.localhost"
CSV = "nom;prénom;classe\nDupont;Jeanne;2nde A\nMartin;Léo;2nde A\n".encode()


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    return settings.PRIVATE_MEDIA_ROOT


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def group_slot(w, mode=Slot.GroupMode.BY_PLACES, places=30, **fields):
    with for_site(w.site):
        return make_slot(
            w,
            w.course,
            days=fields.pop("days", 12),
            allows_group_registrations=True,
            group_mode=mode,
            group_places=places,
            **fields,
        )


def fresh_slot(w, slot):
    with for_site(w.site):
        return Slot.objects.get(pk=slot.pk)


def groups_of(w, slot):
    with for_site(w.site):
        return list(GroupRegistration.objects.filter(slot=slot))


def form_data(**overrides):
    data = {
        "pupils_count": 12,
        "accompanying_adults": 2,
        "contact_name": "Mme Professeur",
        "contact_email": "prof@lycee.example",
        "contact_phone": "03 88 00 00 00",
        "comment": "",
    }
    data.update(overrides)
    return data


def upload(content, name):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- Who may see the pages -------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, world):
    slot = group_slot(world)
    for url in (GROUPS, reverse("registrations:register_group", args=[slot.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response.url


@pytest.mark.parametrize("who", ["pupil", "structure_referent", "master_referent", "speaker"])
def test_people_who_are_not_high_school_referents_get_404(client, world, who):
    slot = group_slot(world)
    client.force_login(getattr(world, who))
    assert client.get(GROUPS).status_code == 404
    url = reverse("registrations:register_group", args=[slot.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert groups_of(world, slot) == []


def test_unpublished_and_other_sites_slots_are_404(client, world, other_world):
    client.force_login(world.high_school_referent)
    hidden = group_slot(world, published=False)
    for slot in (hidden, other_world.slot):
        url = reverse("registrations:register_group", args=[slot.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, form_data()).status_code == 404


# --- Registering a group ---------------------------------------------------------------------------


def test_by_places_groups_share_the_places(en, world, mailoutbox, django_capture_on_commit_callbacks, private_media):
    w = world
    slot = group_slot(w, places=30)
    url = reverse("registrations:register_group", args=[slot.pk])
    en.force_login(w.high_school_referent)
    page = en.get(url).content.decode()
    assert "Groups share the places of this slot." in page and "30 group places left." in page
    assert w.high_school_referent.email in page  # the contact is prefilled
    assert "A group of Lycée Kléber." in page and 'name="high_school"' not in page  # nothing to choose

    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(url, form_data(class_list=upload(CSV, "../../classe 2nde A.csv")))
    assert response.status_code == 302 and response.url == GROUPS
    (group,) = groups_of(w, slot)
    assert (group.high_school, group.pupils_count, group.accompanying_adults) == (w.high_school, 12, 2)
    assert group.registered_by == w.high_school_referent and group.status == Status.ACTIVE
    assert group.class_list.name.startswith("group_class_lists/class-list-0670001A-")
    assert group.class_list.name.endswith(".csv")  # text sent as .csv stays .csv
    assert fresh_slot(w, slot).group_places_taken == 12
    assert [m.to for m in mailoutbox] == [["prof@lycee.example"]]
    assert "18 group places left." in en.get(url).content.decode()

    # Over capacity: refused with the engine's reason, nothing saved, the file not kept
    files_before = stored_files(private_media)
    response = en.post(url, form_data(pupils_count=19, class_list=upload(PDF, "liste.pdf")))
    assert response.status_code == 400
    assert "Only 18 group places are left on this slot." in response.content.decode()
    assert len(groups_of(w, slot)) == 1 and fresh_slot(w, slot).group_places_taken == 12
    assert stored_files(private_media) == files_before

    assert en.post(url, form_data(pupils_count=18)).status_code == 302
    assert fresh_slot(w, slot).group_places_taken == 30
    page = en.get(url).content.decode()
    assert "No group places are left on this slot." in page and 'name="pupils_count"' not in page


def test_one_group_takes_the_whole_slot(en, world):
    w = world
    slot = group_slot(w, mode=Slot.GroupMode.ONE_GROUP, places=25)
    url = reverse("registrations:register_group", args=[slot.pk])
    en.force_login(w.high_school_referent)
    page = en.get(url).content.decode()
    assert "One group takes the whole slot (at most 25 pupils)." in page
    response = en.post(url, form_data(pupils_count=26))
    assert response.status_code == 400
    assert "This slot takes a group of at most 25 pupils." in response.content.decode()
    assert groups_of(w, slot) == []

    assert en.post(url, form_data(pupils_count=10)).status_code == 302
    assert fresh_slot(w, slot).group_places_taken == 25
    page = en.get(url).content.decode()
    assert "No group places are left on this slot." in page and 'name="pupils_count"' not in page
    # A stale form posted anyway registers nothing
    response = en.post(url, form_data(pupils_count=5))
    assert response.status_code == 200 and "No group places are left on this slot." in response.content.decode()
    assert len(groups_of(w, slot)) == 1


def test_slots_without_group_registrations_say_so(en, world):
    en.force_login(world.high_school_referent)
    page = en.get(reverse("registrations:register_group", args=[world.other_slot.pk])).content.decode()
    assert "This slot does not take group registrations." in page and 'name="pupils_count"' not in page


def test_a_referent_of_two_high_schools_chooses_one(en, world):
    w = world
    with for_site(w.site):
        grant(w.high_school_referent, w.site, Role.HIGH_SCHOOL_REFERENT, high_school=w.host_high_school)
    slot = group_slot(w)
    url = reverse("registrations:register_group", args=[slot.pk])
    en.force_login(w.high_school_referent)
    page = en.get(url).content.decode()
    assert '<select name="high_school"' in page and w.host_high_school.label in page
    with for_site(w.site):
        other = HighSchool.objects.create(site=w.site, uai="0670099Z", label="Lycée Tiers", city="Colmar")
    assert en.post(url, form_data(high_school=other.pk, pupils_count=3)).status_code == 400  # not one of theirs
    assert groups_of(w, slot) == []
    assert en.post(url, form_data(high_school=w.host_high_school.pk, pupils_count=3)).status_code == 302
    assert groups_of(w, slot)[0].high_school == w.host_high_school


def test_the_form_checks_what_was_typed(en, world, private_media):
    w = world
    slot = group_slot(w)
    url = reverse("registrations:register_group", args=[slot.pk])
    en.force_login(w.high_school_referent)
    for data in (
        form_data(pupils_count=0),
        form_data(contact_email="not-an-address"),
        form_data(class_list=upload(b"<html><body><script>alert(1)</script></body></html>", "liste.csv")),
        form_data(class_list=upload(b"PK\x03\x04" + b"\x00" * 100, "liste.xlsx")),
    ):
        response = en.post(url, data)
        assert response.status_code == 400
    page = response.content.decode()
    assert "This file is not a PDF, a text or CSV file or a spreadsheet (XLSX, ODS, XLS)" in page
    assert groups_of(w, slot) == [] and stored_files(private_media) == []


def test_a_class_list_over_5_mb_is_refused(en, world, private_media):
    w = world
    slot = group_slot(w)
    en.force_login(w.high_school_referent)
    big = PDF + b"0" * (5 * 1024 * 1024)
    response = en.post(
        reverse("registrations:register_group", args=[slot.pk]), form_data(class_list=upload(big, "l.pdf"))
    )
    assert response.status_code == 400 and "This file is too large" in response.content.decode()
    assert groups_of(w, slot) == []


@pytest.mark.parametrize(
    "content, extension",
    [
        (PDF, ".pdf"),
        (b"nom,prenom,classe\nDupont,Jean,2A\nMartin,Luc,2B\n", ".csv"),
        (xlsx_bytes(), ".xlsx"),
        (ods_bytes(), ".ods"),
        (xls_bytes(), ".xls"),
    ],
)
def test_accepted_class_list_formats(en, world, private_media, content, extension):
    slot = group_slot(world)
    en.force_login(world.high_school_referent)
    url = reverse("registrations:register_group", args=[slot.pk])
    assert en.post(url, form_data(class_list=upload(content, "anything.bin"))).status_code == 302
    (group,) = groups_of(world, slot)
    assert group.class_list.name.endswith(extension)
    response = en.get(reverse("registrations:group_class_list", args=[group.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content


# --- The list and cancelling ---------------------------------------------------------------------------


def make_group(w, slot, high_school=None, **details):
    with for_site(w.site):
        referent = w.high_school_referent if high_school is None else w.host_high_school_referent
        return register_group(
            slot,
            high_school or w.high_school,
            by=referent,
            pupils_count=details.pop("pupils_count", 8),
            contact_name="Contact Person",
            contact_email="contact@lycee.example",
            **details,
        )


def test_the_list_shows_the_high_schools_groups_only(en, world):
    w = world
    mine = make_group(w, group_slot(w))
    theirs = make_group(w, group_slot(w, days=13), high_school=w.host_high_school, pupils_count=5)
    en.force_login(w.high_school_referent)
    page = en.get(GROUPS).content.decode()
    assert "8 pupils" in page and "Contact Person" in page and "contact@lycee.example" in page
    assert reverse("registrations:cancel_group", args=[mine.pk]) in page
    assert reverse("registrations:cancel_group", args=[theirs.pk]) not in page and "5 pupils" not in page
    assert "No group registration to show." in en.get(GROUPS + "?when=cancelled").content.decode()


def test_cancelling_a_group_frees_its_places(en, world, mailoutbox, django_capture_on_commit_callbacks):
    w = world
    slot = group_slot(w)
    group = make_group(w, slot, pupils_count=8)
    url = reverse("registrations:cancel_group", args=[group.pk])
    en.force_login(w.host_high_school_referent)
    assert en.get(url).status_code == 404 and en.post(url).status_code == 404
    en.force_login(w.high_school_referent)
    assert "Cancel this group registration" in en.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert en.post(url).status_code == 302
    with for_site(w.site):
        group.refresh_from_db()
    assert group.status == Status.CANCELLED and fresh_slot(w, slot).group_places_taken == 0
    assert [m.to for m in mailoutbox] == [["contact@lycee.example"]]
    assert "already cancelled" in en.get(url).content.decode()
    page = en.get(GROUPS + "?when=cancelled").content.decode()
    assert "8 pupils" in page and "Cancelled" in page


def test_cancelling_a_group_after_the_deadline_is_refused(en, world):
    w = world
    slot = group_slot(w, cancellation_deadline=timezone.now() + dt.timedelta(days=1))
    group = make_group(w, slot)
    with for_site(w.site):
        Slot.objects.filter(pk=slot.pk).update(cancellation_deadline=timezone.now() - dt.timedelta(hours=1))
    en.force_login(w.high_school_referent)
    assert "Cancellations closed" in en.get(GROUPS).content.decode()
    url = reverse("registrations:cancel_group", args=[group.pk])
    response = en.post(url, follow=True)
    assert "contact the organisers" in response.content.decode()
    with for_site(w.site):
        assert GroupRegistration.objects.get(pk=group.pk).status == Status.ACTIVE


def test_other_sites_groups_are_404(client, world, other_world):
    slot = group_slot(other_world)
    group = make_group(other_world, slot)
    client.force_login(world.high_school_referent)
    for name in ("cancel_group", "group_class_list"):
        assert client.get(reverse(f"registrations:{name}", args=[group.pk])).status_code == 404
    assert client.post(reverse("registrations:cancel_group", args=[group.pk])).status_code == 404


# --- The class list download -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("high_school_referent", 200),
        ("structure_referent", 200),  # manages the slot
        ("master_referent", 200),
        ("host_high_school_referent", 404),
        ("pupil", 404),
        ("other_structure_referent", 404),
    ],
)
def test_only_the_high_school_and_the_slots_managers_download_the_class_list(client, world, private_media, who, status):
    w = world
    if who == "other_structure_referent":
        from tests.factories import make_user

        person = make_user()
        with for_site(w.site):
            grant(person, w.site, Role.STRUCTURE_REFERENT, structure=w.host_structure)
    else:
        person = getattr(w, who)
    slot = group_slot(w)
    with for_site(w.site):
        group = make_group(w, slot, class_list=upload(CSV, "liste.csv"))
    client.force_login(person)
    response = client.get(reverse("registrations:group_class_list", args=[group.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == CSV
    with for_site(w.site):
        logged = ActionLog.objects.filter(action="registrations.class_list.downloaded", object_id=str(group.pk))
        assert list(logged.values_list("actor_id", flat=True)) == ([person.pk] if status == 200 else [])


def test_the_class_list_needs_a_file_and_a_signed_in_person(client, world, private_media):
    w = world
    group = make_group(w, group_slot(w))
    url = reverse("registrations:group_class_list", args=[group.pk])
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response.url
    client.force_login(w.high_school_referent)
    assert client.get(url).status_code == 404  # no class list was sent


def test_the_group_list_costs_the_same_queries_whatever_the_rows(client, world, private_media):
    w = world
    make_group(w, group_slot(w))
    client.force_login(w.high_school_referent)
    client.get(GROUPS)
    with CaptureQueriesContext(connection) as few:
        client.get(GROUPS + "?when=all")
    for days in range(14, 19):
        make_group(w, group_slot(w, days=days), pupils_count=4, class_list=upload(CSV, "l.csv"))
    with CaptureQueriesContext(connection) as many:
        page = client.get(GROUPS + "?when=all").content.decode()
    assert page.count("4 élèves") == 5
    assert len(many.captured_queries) == len(few.captured_queries)
