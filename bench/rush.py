"""The registration-rush and public-offer benchmarks, in one run.

    python -m bench.rush --pupils 500 --workers 4 --clients 64

Steps: (re)create the scratch PostgreSQL database ``immersup_bench``, migrate, collect the static
files, seed N validated pupils with open sessions and an offer (a few popular slots, a spread of
others), start gunicorn with production settings (DEBUG off) plus the bare comparison views
(``bench.settings``), then fire the requests with a stdlib load generator (threads +
http.client), check the database, stop gunicorn and print the figures.

Scenarios, each against its bare yardstick on the same server:
  1. every pupil registers to one popular slot and two other slots at once (POST
     registrations:register) — versus a bare view doing one locked write (same session,
     CSRF and middleware);
  2. the public offer page (GET portal:offer, anonymous) — versus a bare cached view.

Not a test: never run in CI.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(args):
    database = f"postgres://{args.pg_user}@{args.pg_host}:{args.pg_port}/{args.db}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database,
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
            "DEBUG": "false",
            "ALLOWED_HOSTS": args.host,
            "HTTPS": "false",
            "EMAIL_URL": "dummymail://",
            "CONN_MAX_AGE": "60",
        }
    )


def recreate_database(args):
    import psycopg

    with psycopg.connect(
        host=args.pg_host, port=args.pg_port, user=args.pg_user, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')


def start_server(args):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "immersup.wsgi",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(args, "GET", "/__bench__/cached/", {})[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def request(args, method, path, headers):
    conn = http.client.HTTPConnection(args.host, args.port, timeout=120)
    try:
        conn.request(method, path, body=b"" if method == "POST" else None, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        conn.close()


def fire(args, requests):
    """Send ``requests`` [(method, path, headers)] with ``args.clients`` threads released together.
    Returns (wall seconds, [(status or error name, latency seconds)])."""
    results = [None] * len(requests)
    lock = threading.Lock()
    position = [0]
    barrier = threading.Barrier(args.clients + 1)

    def client():
        barrier.wait()
        while True:
            with lock:
                index = position[0]
                position[0] += 1
            if index >= len(requests):
                return
            method, path, headers = requests[index]
            start = time.perf_counter()
            try:
                status = request(args, method, path, headers)[0]
            except OSError as error:
                status = type(error).__name__
            results[index] = (status, time.perf_counter() - start)

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, results


def figures(name, wall, results, ok_statuses):
    latencies = sorted(latency for _status, latency in results)
    errors = sum(1 for status, _latency in results if status not in ok_statuses)
    return {
        "scenario": name,
        "requests": len(results),
        "seconds": round(wall, 2),
        "requests_per_second": round(len(results) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1),
        "errors": errors,
    }


def check_database(seeded):
    """Places exceeded (must be 0), counters that lie, people over their quota."""
    from django.db.models import Count, Q

    from apps.catalogue.models import Slot
    from apps.registrations.models import Registration, Status
    from apps.tenancy.scoping import platform_job

    with platform_job():
        slots = Slot.objects.filter(site_id=seeded["site"]).annotate(
            active=Count("registrations", filter=Q(registrations__status=Status.ACTIVE))
        )
        exceeded = sum(max(0, s.active - s.individual_places) for s in slots)
        counters_wrong = sum(1 for s in slots if s.active != s.individual_places_taken)
        popular = [s for s in slots if s.pk in set(seeded["popular"])]
        over_quota = (
            Registration.objects.filter(site_id=seeded["site"], status=Status.ACTIVE)
            .values("person")
            .annotate(n=Count("pk"))
            .filter(n__gt=3)
            .count()
        )
        duplicates = (
            Registration.objects.filter(site_id=seeded["site"], status=Status.ACTIVE)
            .values("person", "slot")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        return {
            "registrations": Registration.objects.filter(site_id=seeded["site"], status=Status.ACTIVE).count(),
            "popular_places_taken": f"{sum(s.active for s in popular)}/{sum(s.individual_places for s in popular)}",
            "places_exceeded": exceeded,
            "counters_wrong": counters_wrong,
            "people_over_quota": over_quota,
            "duplicate_registrations": duplicates,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pupils", type=int, default=500)
    parser.add_argument("--clients", type=int, default=64, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--offer-requests", type=int, default=3000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default="immersup_bench")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", default="5432")
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--seed", type=int, default=5, help="random seed of the request mix")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    configure(args)
    recreate_database(args)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from bench.seed import seed

    seeded = seed(args.pupils, 5, 45, 10, 30, args.host)
    from django.db import connections

    connections.close_all()

    rng = random.Random(args.seed)
    csrf = seeded["csrf"]
    plan = []  # (session, slot) — each pupil: one popular slot, two others
    for session in seeded["sessions"]:
        plan.append((session, rng.choice(seeded["popular"])))
        plan.extend((session, slot) for slot in rng.sample(seeded["others"], 2))
    rng.shuffle(plan)

    def posts(path):
        return [
            (
                "POST",
                path.format(slot=slot),
                {
                    "Host": f"{args.host}:{args.port}",
                    "Cookie": f"sessionid={session}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Content-Length": "0",
                },
            )
            for session, slot in plan
        ]

    gets = [("GET", "/offer/", {"Host": f"{args.host}:{args.port}"})] * args.offer_requests
    bare_gets = [("GET", "/__bench__/cached/", {"Host": f"{args.host}:{args.port}"})] * args.offer_requests

    server = start_server(args)
    try:
        # Warm-up: every worker imports its code and opens its connection.
        for _ in range(args.workers * 4):
            request(args, "GET", "/offer/", {"Host": f"{args.host}:{args.port}"})
            request(args, "GET", "/__bench__/cached/", {"Host": f"{args.host}:{args.port}"})
        results = []
        wall, raw = fire(args, posts("/my-immersions/register/{slot}/"))
        results.append(figures("register (registrations:register)", wall, raw, {302}))
        statuses = {}
        for status, _latency in raw:
            statuses[status] = statuses.get(status, 0) + 1
        wall, raw = fire(args, posts("/__bench__/locked-write/{slot}/"))
        results.append(figures("bare view: one locked write", wall, raw, {302}))
        wall, raw = fire(args, gets)
        results.append(figures("offer page (portal:offer)", wall, raw, {200}))
        wall, raw = fire(args, bare_gets)
        results.append(figures("bare cached view", wall, raw, {200}))
    finally:
        server.terminate()
        server.wait(timeout=30)
    database = check_database(seeded)
    report = {
        "pupils": args.pupils,
        "clients": args.clients,
        "workers": args.workers,
        "worker_class": args.worker_class,
        "threads": args.threads,
        "cpus": os.cpu_count(),
        "register_statuses": statuses,
        "results": results,
        "database": database,
    }
    print(json.dumps(report, indent=2))
    print()
    print("| scenario | requests | req/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in results:
        print(
            f"| {row['scenario']} | {row['requests']} | {row['requests_per_second']} | {row['p50_ms']} "
            f"| {row['p99_ms']} | {row['errors']} |"
        )
    print()
    print(", ".join(f"{key}: {value}" for key, value in database.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    if database["places_exceeded"] or database["duplicate_registrations"] or database["people_over_quota"]:
        raise SystemExit("OVERBOOKED")


if __name__ == "__main__":
    main()
