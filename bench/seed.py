"""Seed a scratch database for the registration rush: one site, an offer, N validated pupils
each with an open session (created directly in the database: no password hashing).

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.seed --pupils 500 --out /tmp/bench.json

Writes the slot ids, the session keys and a CSRF secret to ``--out`` for the load generator.
"""

import argparse
import datetime as dt
import json
import secrets

import django


def seed(pupils, popular, others, popular_places, other_places, host):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone

    from apps.academic_calendar.models import Period, UniversityYear
    from apps.accounts.models import Role, RoleAssignment, User
    from apps.catalogue.models import Course, Slot, Training
    from apps.organisations.models import Building, Campus, Establishment, HighSchool, Structure
    from apps.records.models import PupilRecord, RecordStatus
    from apps.referentials.models import CourseType, TrainingDomain, TrainingSubdomain
    from apps.tenancy.models import Site, SiteHost
    from apps.tenancy.scoping import for_site

    from .bare_views import TABLE

    unusable = make_password(None)  # no hashing: nobody signs in with a password here
    site = Site.objects.create(name="Bench", slug="bench")
    SiteHost.objects.create(site=site, host=host, is_primary=True)
    with for_site(site):
        today, now = timezone.localdate(), timezone.now()
        master = Establishment.objects.create(site=site, is_master=True, code="UB", label="Université Bench")
        structure = Structure.objects.create(site=site, establishment=master, code="SCI", label="Sciences")
        high_school = HighSchool.objects.create(site=site, uai="0670099Z", label="Lycée Bench", city="Strasbourg")
        campus = Campus.objects.create(site=site, establishment=master, label="Campus")
        building = Building.objects.create(site=site, campus=campus, label="Atrium")
        course_type = CourseType.objects.create(site=site, code="CM", label="Cours magistral")
        year = UniversityYear.objects.create(
            site=site,
            label="Bench",
            start_date=today - dt.timedelta(days=30),
            end_date=today + dt.timedelta(days=300),
            accounts_open_date=today - dt.timedelta(days=30),
            is_active=True,
        )
        period = Period.objects.create(
            site=site,
            year=year,
            label="Rush",
            registration_start=now - dt.timedelta(days=1),
            registration_end=now + dt.timedelta(days=200),
            immersion_start=today,
            immersion_end=today + dt.timedelta(days=250),
            quota_per_person=3,
        )
        courses = []
        for d in range(6):
            domain = TrainingDomain.objects.create(site=site, label=f"Domaine {d}")
            for s in range(4):
                subdomain = TrainingSubdomain.objects.create(site=site, domain=domain, label=f"Sous-domaine {d}.{s}")
                training = Training.objects.create(site=site, label=f"Licence {d}.{s}", structure=structure)
                training.subdomains.add(subdomain)
                for c in range(2):
                    courses.append(
                        Course.objects.create(site=site, training=training, label=f"Cours {d}.{s}.{c}", published=True)
                    )
        slots = Slot.objects.bulk_create(
            [
                Slot(
                    site=site,
                    course=courses[i % len(courses)],
                    course_type=course_type,
                    period=period,
                    date=today + dt.timedelta(days=10 + i),  # one slot a day: no overlaps
                    start_time=dt.time(10),
                    end_time=dt.time(12),
                    campus=campus,
                    building=building,
                    room="A1",
                    individual_places=popular_places if i < popular else other_places,
                    published=True,
                )
                for i in range(popular + others)
            ]
        )
        users = User.objects.bulk_create(
            [
                User(email=f"pupil{i}@bench.example", first_name=f"Pupil{i}", last_name="Bench", password=unusable)
                for i in range(pupils)
            ]
        )
        RoleAssignment.objects.bulk_create([RoleAssignment(site=site, user=u, role=Role.PUPIL) for u in users])
        PupilRecord.objects.bulk_create(
            [
                PupilRecord(site=site, user=u, high_school=high_school, status=RecordStatus.VALIDATED, validated_at=now)
                for u in users
            ]
        )
    store = SessionStore()
    sessions = []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=secrets.token_hex(16), session_data=store.encode(data), expire_date=now + dt.timedelta(1)
            )
        )
    Session.objects.bulk_create(sessions)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigint PRIMARY KEY, n integer NOT NULL)")
        cursor.executemany(f"INSERT INTO {TABLE} (id, n) VALUES (%s, 0)", [(s.pk,) for s in slots])  # noqa: S608
    return {
        "site": site.pk,
        "popular": [s.pk for s in slots[:popular]],
        "others": [s.pk for s in slots[popular:]],
        "sessions": [s.session_key for s in sessions],
        "csrf": secrets.token_hex(16),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pupils", type=int, default=500)
    parser.add_argument("--popular", type=int, default=5, help="popular slots")
    parser.add_argument("--others", type=int, default=45, help="other slots")
    parser.add_argument("--popular-places", type=int, default=10)
    parser.add_argument("--other-places", type=int, default=30)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    django.setup()
    data = seed(args.pupils, args.popular, args.others, args.popular_places, args.other_places, args.host)
    with open(args.out, "w") as out:
        json.dump(data, out)


if __name__ == "__main__":
    main()
