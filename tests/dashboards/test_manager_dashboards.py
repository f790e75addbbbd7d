"""Master, establishment and structure referents' dashboards: figures, scope, other sites (HTTP only)."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.records.models import PupilRecord, RecordStatus, StudentRecord
from apps.referentials.models import TrainingSubdomain
from apps.registrations.models import Attendance, Registration, Status
from apps.tenancy.scoping import for_site
from tests.dashboards.helpers import (
    BETA,
    HOME,
    english,
    figure,
    fill_rows,
    listed,
    page,
    panel,
    panel_url,
    register,
    row,
    wait,
)
from tests.factories import make_pupil, make_slot, make_user


def test_master_counts_registrations_of_today_and_this_week(client, world):
    w = world
    with for_site(w.site):
        pupil = make_pupil(w)
        old = register(w.host_slot, pupil)
        cancelled = register(w.event_slot, pupil)
        Registration.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED, cancelled_at=timezone.now())
    local = timezone.localtime()
    monday = timezone.make_aware(dt.datetime.combine(local.date() - dt.timedelta(days=local.weekday()), dt.time(1)))
    # Registered earlier this week (Monday 01:00) when today is not Monday, else eight days ago.
    earlier = monday if local.date().weekday() else monday - dt.timedelta(days=8)
    with for_site(w.site):
        Registration.objects.filter(pk=old.pk).update(registered_at=earlier)
    client.force_login(w.master_referent)
    html = panel(page(client), "site")
    # world: two registrations made now; ours: one earlier, one cancelled (never counted).
    assert figure(html, "registrations-today") == 2
    assert figure(html, "registrations-week") == (3 if local.date().weekday() else 2)


def test_master_fill_rates_by_establishment_and_domain(client, world):
    w = world
    with for_site(w.site):
        # A second subdomain of the same domain: the slot still counts once in that domain.
        w.training.subdomains.add(
            TrainingSubdomain.objects.create(site=w.site, domain=w.subdomain.domain, label="Maths")
        )
        Slot.objects.filter(pk=w.slot.pk).update(individual_places_taken=4)
        make_slot(w, w.course, days=-3)  # started: not on offer any more
        make_slot(w, w.course, days=5, cancelled_at=timezone.now())  # cancelled
    client.force_login(w.master_referent)
    html = panel(page(client), "site")
    by_establishment = fill_rows(html, "establishment")
    # Université: slot (4/10), other_slot (1/10), event_slot (0/50); drafts are not on offer.
    assert by_establishment["Université alpha"] == (70, 5, "7 %")
    assert by_establishment["École alpha"] == (10, 0, "0 %")
    assert by_establishment["Lycée Couffignal"] == (10, 0, "0 %")
    assert fill_rows(html, "domain") == {"Sciences & Technologies": (10, 4, "40 %")}


def test_master_sees_pending_validations_by_high_school(client, world):
    w = world
    with for_site(w.site):
        for _ in range(2):
            PupilRecord.objects.create(
                site=w.site,
                user=make_user(),
                high_school=w.host_high_school,
                status=RecordStatus.TO_REVALIDATE,
                submitted_at=timezone.now(),
            )
        PupilRecord.objects.create(
            site=w.site,
            user=make_user(),
            high_school=w.host_high_school,
            status=RecordStatus.VALIDATED,
            validated_at=timezone.now(),
        )
        StudentRecord.objects.filter(pk=w.student_record.pk).update(status=RecordStatus.TO_VALIDATE)
    client.force_login(w.master_referent)
    html = panel(page(client), "site")
    assert "Lycée Kléber : <strong>1</strong>" in html
    assert "Lycée Couffignal : <strong>2</strong>" in html
    assert 'data-kind="students"' in html and 'data-kind="visitors"' not in html
    assert 'href="/back-office/records/validation/"' in html


def test_slots_short_of_registrants_and_attendance_to_enter(client, world):
    w = world
    with for_site(w.site):
        Slot.objects.filter(pk=w.slot.pk).update(individual_places_taken=3)  # 30 %: not short
        far = make_slot(w, w.course, days=20)  # beyond 14 days
        past = make_slot(w, w.course, days=-2)
        for attendance in (Attendance.NOT_ENTERED, Attendance.NOT_ENTERED, Attendance.PRESENT):
            register(past, make_pupil(w), attendance=attendance)
        done = make_slot(w, w.other_course, days=-1)
        register(done, make_pupil(w), attendance=Attendance.ABSENT)
    english(client)
    client.force_login(w.master_referent)
    html = panel(page(client), "site")
    short = listed(html, "short")
    assert str(w.other_slot.pk) in short and str(w.event_slot.pk) in short
    assert str(w.slot.pk) not in short and str(far.pk) not in short
    assert str(w.draft_slot.pk) not in short  # not published
    assert f'href="/back-office/slots/{w.other_slot.pk}/registrants/"' in html
    assert listed(html, "attendance") == [str(past.pk)]
    assert row(html, "attendance", past.pk).endswith("2 attendances not entered")


def test_structure_referent_sees_only_their_structure(client, world):
    w = world
    with for_site(w.site):
        register(w.other_slot, make_pupil(w))  # another structure of the same establishment
        wait(w.slot, make_pupil(w))
        wait(w.slot, make_pupil(w))
    english(client)
    client.force_login(w.structure_referent)
    html = panel(page(client), "scope")
    assert figure(html, "registrations-today") == 1
    assert list(fill_rows(html, "establishment")) == ["Université alpha"]
    assert fill_rows(html, "establishment")["Université alpha"] == (10, 1, "10 %")
    assert listed(html, "slots") == [str(w.slot.pk), str(w.draft_slot.pk)]
    assert row(html, "slots", w.slot.pk).endswith("1 registrant, 2 on the waiting list")
    assert f'href="/back-office/slots/{w.slot.pk}/registrants/"' in html
    assert 'data-list="pending"' not in html  # a structure referent validates no record


def test_establishment_referent_scope(client, world):
    w = world
    with for_site(w.site):
        for high_school in (None, w.host_high_school, w.high_school):  # Kléber has an agreement: its referent decides
            PupilRecord.objects.create(
                site=w.site,
                user=make_user(),
                high_school=high_school,
                status=RecordStatus.TO_VALIDATE,
                submitted_at=timezone.now(),
            )
    english(client).force_login(w.host_referent)
    html = panel(page(client), "scope")
    assert figure(html, "registrations-today") == 0
    assert list(fill_rows(html, "establishment")) == ["École alpha"]
    assert listed(html, "slots") == [str(w.host_slot.pk)]
    assert listed(html, "pending") == ["Lycée Couffignal", ""]
    assert "No high school : <strong>1</strong>" in html and "Kléber" not in html
    client.force_login(w.establishment_referent)
    html = panel(page(client), "scope")
    assert figure(html, "registrations-today") == 2
    assert str(w.host_slot.pk) not in listed(html, "slots")


def test_another_sites_rows_are_never_counted(client, world, other_world):
    b = other_world
    with for_site(b.site):
        register(b.slot, make_pupil(b))
        PupilRecord.objects.create(
            site=b.site,
            user=make_user(),
            high_school=b.high_school,
            status=RecordStatus.TO_VALIDATE,
            submitted_at=timezone.now(),
        )
        past = make_slot(b, b.course, days=-1)
        register(past, make_pupil(b))
    client.force_login(world.master_referent)
    html = panel(page(client), "site")
    assert figure(html, "registrations-today") == 2
    assert "Lycée Kléber : <strong>1</strong>" in html
    assert listed(html, "attendance") == []
    assert "Université beta" not in html
    # beta's master referent has no role on alpha, and sees only beta on beta.
    client.force_login(b.master_referent)
    assert client.get(HOME).status_code == 403
    assert client.get(panel_url("site")).status_code == 403
    beta = panel(page(client, HOME, HTTP_HOST=BETA), "site")
    assert figure(beta, "registrations-today") == 4
    assert "Université alpha" not in beta


@pytest.mark.parametrize("who", ["master_referent", "structure_referent", "host_referent"])
def test_fragments_return_the_panel_alone(client, world, who):
    client.force_login(getattr(world, who))
    name = "site" if who == "master_referent" else "scope"
    response = client.get(panel_url(name), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<nav" not in html
    assert html.strip().startswith(f'<div class="dashboard-body" data-panel="{name}">')
    assert figure(html, "registrations-today") == figure(panel(page(client), name), "registrations-today")
