#!/usr/bin/env python
"""Dashboard latency (issue 8, item 5) — never a test. Run from the repository root:

    .venv/bin/python bench/dashboard_latency.py --database-url postgres://postgres@127.0.0.1:5432/wuzha_bench6

Uses the county-scale dataset of bench/assessment_compile.py (scale 1.0: 20 towns, 400 villages, 6,000 sites,
1,000,000 activities, 20,000 inspections) read-only, apart from one staff login it creates (`bench8_staff`,
county membership) and its session. Collects static files to /tmp/wuzha-bench8-static, starts gunicorn itself
with the production settings on 127.0.0.1 (PostgreSQL for data, Redis db 11 for the cache), then:

1. cold: empties the cache (its own Redis db), opens the county dashboard once and 16 village dashboards once
   each, one at a time, and prints each build's time;
2. warm: `--clients` concurrent clients (threads, plain urllib, no think time) each make `--rounds` rounds of
   [trivial page, county dashboard, a village dashboard (one of the 16)], and prints p50/p95 per page and each
   dashboard's p95 as a ratio to the trivial page's p95 (the same server, the same moment).

The trivial page is the password-change form: logged in, the same middleware, no figures. Target: p95 ≤ 300 ms.
Stops gunicorn (its own process group only) at the end.
"""
import argparse
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
AS_OF = "2022-03-31"
FAILED = []  # the first unexpected page is printed once


def prepare(env):
    """Static files, the bench login and its session cookie, the campaign and the villages to open."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.core.cache import cache

    from campaigns.models import Campaign
    from sites.models import Area, Membership
    from sites.roles import Role
    from wuzha.lib.sessions import stamp_login

    county = Area.objects.get(level=Area.Level.COUNTY)
    campaign = Campaign.objects.filter(scope=county).order_by("-starts_on").first()
    if campaign is None:
        sys.exit("基准库中没有县级创建活动:先运行 bench/assessment_compile.py 生成数据。")
    user, _ = get_user_model().objects.get_or_create(username="bench8_staff", defaults={"first_name": "看板压测"})
    if not Membership.objects.filter(user=user, role=Role.STAFF, area=county).exists():
        from sites.services import membership_grant

        membership_grant(user=user, role=Role.STAFF, area=county)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    stamp_login(session)
    session.save()
    villages = list(Area.objects.filter(level=Area.Level.VILLAGE).order_by("code").values_list("code", flat=True))
    picked = random.Random(8).sample(villages, min(16, len(villages)))
    cache.clear()  # our own Redis db: every build below starts cold
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "county": f"/dashboard/{county.code}/?campaign={campaign.pk}&as_of={AS_OF}",
        "villages": [f"/dashboard/{code}/?campaign={campaign.pk}&as_of={AS_OF}" for code in picked],
        "trivial": "/accounts/password/",
    }


def get(base, path, cookie, timeout=300):
    req = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https", "Cookie": cookie,
                                                       "User-Agent": "wuzha-bench8"})  # fmt: skip
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
            ok = resp.status == 200 and b"dash-title" in body if path.startswith("/dashboard/") else resp.status == 200
            if not ok and not FAILED:
                FAILED.append(path)
                print(f"  not the page asked for: {path} → {resp.url} {body[:300]!r}", file=sys.stderr)
    except urllib.error.HTTPError as exc:
        ok = False
        print(f"  error {exc.code} {path}", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001  connection errors count as errors
        ok = False
        print(f"  error {exc!r} {path}", file=sys.stderr)
    return time.perf_counter() - start, ok


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * (len(values) - 1) + 0.5))] if values else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wuzha_bench6")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8768)
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": args.database_url, "CACHE_URL": args.redis_url, "CELERY_BROKER_URL": "",
           "DJANGO_SETTINGS_MODULE": "wuzha.settings.prod", "ALLOWED_HOSTS": "127.0.0.1",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40), "STATIC_ROOT": "/tmp/wuzha-bench8-static",
           "CONN_MAX_AGE": "60",
           # synthetic bench data only: the public development keys, unless the environment gives others
           "WUZHA_PII_KEYS": os.environ.get("WUZHA_PII_KEYS", "J9BPxaC-eMXqZfWffTCERwg0puwJTDsKAl-tpjocyzs="),
           "WUZHA_PII_HASH_KEY": os.environ.get("WUZHA_PII_HASH_KEY", "dev-only-pii-hash-key")}  # fmt: skip
    print("uptime before:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    p = prepare(env)
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wuzha.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers),
         "--threads", "4", "--timeout", "300", "--log-level", "warning"],
        cwd=BASE, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2).read()
                break
            except Exception:  # noqa: BLE001  not up yet
                time.sleep(0.3)
        get(base, p["trivial"], p["cookie"])
        seconds, ok = get(base, p["county"], p["cookie"])
        print(f"cold county build: {seconds:.2f} s ok={ok}")
        cold = [get(base, v, p["cookie"]) for v in p["villages"]]
        print(f"cold village builds ({len(cold)}): p50={statistics.median(t for t, _ in cold) * 1000:.0f} ms "
              f"max={max(t for t, _ in cold) * 1000:.0f} ms errors={sum(not ok for _, ok in cold)}")  # fmt: skip
        times = {"trivial": [], "county": [], "village": []}
        errors, lock = [0], threading.Lock()

        def client(n):
            rng = random.Random(n)
            for _ in range(args.rounds):
                for name, path in (("trivial", p["trivial"]), ("county", p["county"]),
                                   ("village", rng.choice(p["villages"]))):  # fmt: skip
                    seconds, ok = get(base, path, p["cookie"], timeout=60)
                    with lock:
                        times[name].append(seconds)
                        errors[0] += not ok

        start = time.monotonic()
        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        elapsed = time.monotonic() - start
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)  # only the gunicorn this script started
        gunicorn.wait(timeout=30)
    total = sum(len(v) for v in times.values())
    print(f"warm: clients={args.clients} rounds={args.rounds} requests={total} in {elapsed:.1f} s "
          f"({total / elapsed:.1f}/s) errors={errors[0]}")  # fmt: skip
    base_p95 = pct(times["trivial"], 0.95)
    for name in ("trivial", "county", "village"):
        p50, p95 = pct(times[name], 0.5), pct(times[name], 0.95)
        ratio = f"  p95 / trivial p95 = {p95 / base_p95:.2f}" if name != "trivial" and base_p95 else ""
        print(f"  {name:8} p50={p50 * 1000:6.0f} ms  p95={p95 * 1000:6.0f} ms{ratio}")
    print("uptime after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
