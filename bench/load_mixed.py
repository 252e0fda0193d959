#!/usr/bin/env python
"""Load scenario (issue 9, item 7) — never a test. Run from the repository root:

    .venv/bin/python bench/load_mixed.py --database-url postgres://postgres@127.0.0.1:5432/<db> --duration 45

It migrates and seeds the demo data into the given (bench-only) database, starts gunicorn itself with the
production settings on 127.0.0.1 (PostgreSQL for data, Redis for the cache and the broker), runs
`--users` simulated users for `--duration` seconds (≤ 60), stops gunicorn and prints requests per second,
p50/p95 and the error count. Users (threads, plain urllib, each with a think time of 0.5–1.5 s):
- 50 % cadres: enter an activity through the API (POST /api/v1/activities/, the same service and checks
  as the web form), then open the activity list;
- 35 % township/county staff: home page, site list, activity list, inspection list;
- 15 % inspectors: inspection list, an inspection's page and its scoring form, the site list.
"""
import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))


def prepare(env):
    """Migrate, seed, and hand out credentials: session cookies for the web, API tokens for the cadres."""
    for cmd in (["migrate", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *cmd], cwd=BASE, env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from campaigns.api import ActivitySerializer
    from campaigns.models import Activity
    from inspections.models import Inspection
    from sites.api_token_services import api_token_create
    from wuzha.lib.sessions import stamp_login

    users = {u.username: u for u in get_user_model().objects.filter(username__in=[
        "county_staff", "dq_staff", "ly_staff", "dq_inspector", "cadre_dongqiao", "cadre_nanhu"])}  # fmt: skip
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "django.contrib.auth.backends.ModelBackend"

    def cookie(user):
        session = store()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        stamp_login(session)
        session.save()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    cadres = []
    for name in ("cadre_dongqiao", "cadre_nanhu"):
        user = users[name]
        template = Activity.objects.visible_to(user).order_by("-date").first()
        if template is None:
            continue
        payload = {k: v for k, v in ActivitySerializer(template).data.items() if k not in ("id", "created_at", "updated_at")}
        _, key = api_token_create(actor=user, user=user, name=f"压测 {time.strftime('%H:%M:%S')}")
        cadres.append({"cookie": cookie(user), "token": key, "payload": payload})
    inspections = list(Inspection.objects.values_list("pk", flat=True)[:20])
    return {
        "staff": [cookie(users[n]) for n in ("county_staff", "dq_staff", "ly_staff") if n in users],
        "inspector": cookie(users["dq_inspector"]),
        "cadres": cadres,
        "inspections": inspections,
    }


class Stats:
    def __init__(self):
        self.lock, self.times, self.errors, self.samples = threading.Lock(), [], 0, []

    def add(self, seconds, ok, what):
        with self.lock:
            self.times.append(seconds)
            if not ok:
                self.errors += 1
                if len(self.samples) < 5:
                    self.samples.append(what)


def request(base, stats, path, cookie=None, token=None, body=None):
    headers = {"X-Forwarded-Proto": "https", "User-Agent": "wuzha-load"}
    if cookie:
        headers["Cookie"] = cookie
    if token:
        headers["Authorization"] = f"Token {token}"
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if data else "GET")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            resp.read()
            ok, status = 200 <= resp.status < 300, resp.status
    except urllib.error.HTTPError as exc:
        ok, status = False, f"{exc.code} {exc.read()[:200].decode(errors='replace')}"
    except Exception as exc:  # noqa: BLE001  connection errors count as errors
        ok, status = False, repr(exc)
    stats.add(time.perf_counter() - start, ok, f"{path}: {str(status)[:120]}")


def user_loop(kind, creds, base, stats, deadline, rng):
    while time.monotonic() < deadline:
        if kind == "cadre" and creds["cadres"]:
            cadre = rng.choice(creds["cadres"])
            if cadre["token"]:
                body = {**cadre["payload"], "title": f"压测录入活动 {rng.randrange(10**9)}"}
                request(base, stats, "/api/v1/activities/", token=cadre["token"], body=body)
            request(base, stats, "/campaigns/activities/", cookie=cadre["cookie"])
        elif kind == "inspector":
            request(base, stats, "/inspections/", cookie=creds["inspector"])
            if creds["inspections"]:
                pk = rng.choice(creds["inspections"])
                request(base, stats, f"/inspections/{pk}/", cookie=creds["inspector"])
                request(base, stats, f"/inspections/{pk}/score/", cookie=creds["inspector"])
            request(base, stats, "/sites/", cookie=creds["inspector"])
        else:
            who = rng.choice(creds["staff"])
            for path in ("/", "/sites/", "/campaigns/activities/", "/inspections/"):
                request(base, stats, path, cookie=who)
                time.sleep(rng.uniform(0.2, 0.6))
        time.sleep(rng.uniform(0.5, 1.5))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wuzha_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=45)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    duration = min(args.duration, 60)
    env = {**os.environ, "DATABASE_URL": args.database_url, "CACHE_URL": args.redis_url,
           "CELERY_BROKER_URL": args.redis_url, "DJANGO_SETTINGS_MODULE": "wuzha.settings.prod",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only-" + "x" * 40), "ALLOWED_HOSTS": "127.0.0.1",
           "WUZHA_ALLOW_DEMO_LOGINS": "True", "STATIC_ROOT": "/tmp/wuzha-bench-static",
           # synthetic demo data only: the public development keys, unless the environment gives others
           "WUZHA_PII_KEYS": os.environ.get("WUZHA_PII_KEYS", "J9BPxaC-eMXqZfWffTCERwg0puwJTDsKAl-tpjocyzs="),
           "WUZHA_PII_HASH_KEY": os.environ.get("WUZHA_PII_HASH_KEY", "dev-only-pii-hash-key")}  # fmt: skip
    creds = prepare(env)
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wuzha.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers),
         "--threads", "4", "--log-level", "warning"],
        cwd=BASE, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2).read()
                break
            except Exception:  # noqa: BLE001  not up yet
                time.sleep(0.3)
        stats, rng = Stats(), random.Random(9)
        kinds = ["cadre"] * 50 + ["staff"] * 35 + ["inspector"] * 15
        kinds = [kinds[i * len(kinds) // args.users] for i in range(args.users)]
        start = time.monotonic()
        deadline = start + duration
        threads = [threading.Thread(target=user_loop, args=(k, creds, base, stats, deadline, random.Random(i)), daemon=True)
                   for i, k in enumerate(kinds)]  # fmt: skip
        for t in threads:
            t.start()
            time.sleep(0.02)  # ramp up over ~2 s
        for t in threads:  # bounded: at most 35 s past the deadline in total (requests time out after 30 s)
            t.join(timeout=max(0.1, deadline + 35 - time.monotonic()))
        elapsed = time.monotonic() - start
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)  # only the gunicorn this script started
        gunicorn.wait(timeout=30)
    times = sorted(stats.times)
    p95 = times[int(0.95 * (len(times) - 1))] if times else 0
    print(f"users={args.users} duration={elapsed:.1f}s requests={len(times)} rps={len(times) / elapsed:.1f} "
          f"p50={statistics.median(times) * 1000:.0f}ms p95={p95 * 1000:.0f}ms errors={stats.errors}")  # fmt: skip
    for sample in stats.samples:
        print("  error:", sample)


if __name__ == "__main__":
    main()
