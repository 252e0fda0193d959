#!/usr/bin/env python
"""Load scenario (issue 9, item 7) — never a test. Run from the repository root:

    .venv/bin/python bench/load_mixed.py --database-url postgres://postgres@127.0.0.1:5432/<bench db> \
        --redis-url redis://127.0.0.1:6379/<db> --users 100 --duration 45

It migrates and seeds the demo data into the given (bench-only) database, starts gunicorn itself with the
production settings on 127.0.0.1 (PostgreSQL for data, Redis for the cache and the broker), runs `--users`
simulated users for `--duration` seconds (≤ 60), stops gunicorn and prints requests per second, p50/p95
and the error count, with the ERROR lines gunicorn and Django logged. Each simulated user is a thread with
its own session (and token), plain urllib, a think time between steps drawn from --think (default 0.5–1.5 s;
between the pages of a staff round 0.4 × that):
- 50 % cadres: enter an activity through the API (POST /api/v1/activities/, the same service and checks
  as the web form), then open the activity list;
- 35 % township/county staff: home page with its dashboard panels, site list, activity list, inspections;
- 15 % inspectors: file inspections — open the scoring form, autosave the item scores a few at a time
  (as static/js/inspections.js does), submit, then open the result. The bench adds its own plans with
  enough draft inspections for them, each inspector thread working its own list.
Time bound: every request times out after --request-timeout s, no thread starts a step after the
deadline, joins are bounded, gunicorn gets SIGTERM then SIGKILL (its own process group only), and a
watchdog ends the whole run if it is still going 90 s after the deadline.
"""
import argparse
import datetime
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
INSPECTOR_USERS = 15  # per 100 users


def prepare(env, n_users, duration):
    """Migrate, seed, and hand out credentials: one session per simulated user, API tokens for cadres."""
    steps = [(["migrate", "-v0"], 900), (["seed_demo"], 900)]
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (BASE / "static").rglob("*") if p.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:  # hashing every asset takes minutes here
        steps.append((["collectstatic", "--noinput", "-v0"], 600))
    for cmd, limit in steps:
        started = time.monotonic()
        subprocess.run([sys.executable, "manage.py", *cmd], cwd=BASE, env=env, check=True, stdout=subprocess.DEVNULL,
                       timeout=limit)  # fmt: skip
        note(f"{cmd[0]}: {time.monotonic() - started:.0f} s")
    os.environ.update(env)
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from campaigns.api import ActivitySerializer
    from campaigns.models import Activity
    from sites.api_token_services import api_token_create
    from wuzha.lib.sessions import stamp_login

    users = {u.username: u for u in get_user_model().objects.filter(username__in=[
        "county_staff", "dq_staff", "ly_staff", "dq_inspector", "cadre_dongqiao", "cadre_nanhu"])}  # fmt: skip
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[-1]  # the model backend (demo-aware), as a login records it

    def login(user):
        """A fresh session (as after a login) and a CSRF secret, as the browser would hold them."""
        session = store()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        stamp_login(session)
        session.save()
        csrf = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(32))
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
        return {"cookie": cookie, "csrf": csrf}

    stamp = time.strftime("%H:%M:%S")
    kinds = user_kinds(n_users)
    templates = {}
    for name in ("cadre_dongqiao", "cadre_nanhu"):
        template = Activity.objects.visible_to(users[name]).order_by("-date").first()
        if template is not None:
            templates[name] = {k: v for k, v in ActivitySerializer(template).data.items()
                               if k not in ("id", "created_at", "updated_at")}  # fmt: skip
    cadre_names = sorted(templates)
    started = time.monotonic()
    inspector_queues = inspections_to_file(users, kinds.count("inspector"), duration, stamp)
    note(f"{sum(map(len, inspector_queues))} draft inspections to file: {time.monotonic() - started:.0f} s")
    creds = []
    for i, kind in enumerate(kinds):
        if kind == "cadre" and cadre_names:
            user = users[cadre_names[i % len(cadre_names)]]
            _, key = api_token_create(actor=user, user=user, name=f"压测 {stamp} #{i}")
            creds.append({**login(user), "token": key, "payload": templates[user.username]})
        elif kind == "inspector":
            creds.append({**login(users["dq_inspector"]), "queue": inspector_queues.pop()})
        else:
            kinds[i] = "staff"
            creds.append(login(users[("county_staff", "dq_staff", "ly_staff")[i % 3]]))
    return kinds, creds


def note(text):
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}", file=sys.stderr, flush=True)


def user_kinds(n_users):
    kinds = ["cadre"] * 50 + ["staff"] * 35 + ["inspector"] * INSPECTOR_USERS
    return [kinds[i * len(kinds) // n_users] for i in range(n_users)]


def inspections_to_file(users, n_inspectors, duration, stamp):
    """Bench plans in 东桥镇 with draft inspections for dq_inspector: a disjoint list per inspector thread.

    Each list carries the POST fields of a complete, valid score sheet (the demo's marks), item by item.
    """
    from inspections import demo, services
    from inspections.models import InspectionPlan
    from sites.models import Site

    staff, inspector = users["dq_staff"], users["dq_inspector"]
    camp = demo.campaign()
    sites = list(Site.objects.active().filter(village__code__startswith=camp.scope.prefix).order_by("pk"))
    wanted = n_inspectors * (int(duration // 4) + 2)  # a filing takes ≥ 5 steps of ≥ 0.5 s think time
    inspections, rng = [], random.Random(9)
    for n in range(-(-wanted // max(1, len(sites)))):
        plan = services.plan_create(actor=staff, plan=InspectionPlan(
            campaign=camp, area=camp.scope, name=f"压测检查 {stamp} 第{n + 1}批", kind=InspectionPlan.Kind.ANNOUNCED,
            starts_on=datetime.date(2022, 2, 1), ends_on=datetime.date(2022, 2, 28),
        ), crew=[(inspector, None)])  # fmt: skip
        for site in sites:
            inspection = services.plan_add_site(actor=staff, plan=plan, site=site, inspector=inspector)
            fields = []
            for item_pk, mark in demo._marks(rng, inspection).items():
                one = {f"self-{item_pk}": str(mark["self_points"]), f"note-{item_pk}": mark["note"]}
                if "passed" in mark:
                    one[f"pass-{item_pk}"] = "1" if mark["passed"] else "0"
                if "points" in mark:
                    one[f"points-{item_pk}"] = str(Decimal(mark["points"]))
                if "occurrences" in mark:
                    one[f"occ-{item_pk}"] = str(mark["occurrences"])
                fields.append(one)
            inspections.append({"pk": inspection.pk, "fields": fields})
    return [inspections[i::n_inspectors] for i in range(n_inspectors)] if n_inspectors else []


class Stats:
    def __init__(self):
        self.lock, self.times, self.errors, self.samples, self.filed = threading.Lock(), [], 0, [], 0
        self.by_kind, self.by_step = {}, {}

    def add(self, seconds, ok, what, kind, step=""):
        with self.lock:
            self.times.append(seconds)
            self.by_kind.setdefault(kind, []).append(seconds)
            self.by_step.setdefault(step, []).append(seconds)
            if not ok:
                self.errors += 1
                if len(self.samples) < 8:
                    self.samples.append(what)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect comes back as the response (HTTPError 3xx), so it is checked and timed alone


OPENER = urllib.request.build_opener(NoRedirect)


class Client:
    """One simulated browser: its cookies, the CSRF header for POSTs, and what each answer must look like."""

    def __init__(self, base, stats, kind, creds, timeout):
        self.base, self.stats, self.kind, self.creds, self.timeout = base, stats, kind, creds, timeout

    def call(self, path, *, form=None, body=None, token=None, headers=None, expect=(200,), check=None):
        hdrs = {"X-Forwarded-Proto": "https", "User-Agent": f"wuzha-load/{self.kind}", **(headers or {})}
        if token:
            hdrs["Authorization"] = f"Token {token}"
        else:
            hdrs["Cookie"] = self.creds["cookie"]
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            hdrs.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.creds["csrf"],
                         "Referer": f"https://{self.base.split('://', 1)[1]}{path}"})  # fmt: skip
        elif body is not None:
            data, hdrs["Content-Type"] = json.dumps(body).encode(), "application/json"
        req = urllib.request.Request(self.base + path, data=data, headers=hdrs, method="POST" if data else "GET")
        start = time.perf_counter()
        status, location, content = None, "", b""
        try:
            with OPENER.open(req, timeout=self.timeout) as resp:
                status, content = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, location, content = exc.code, exc.headers.get("Location", ""), exc.read()
        except Exception as exc:  # noqa: BLE001  timeouts and refused connections count as errors
            status, content = repr(exc), b""
        ok = status in expect and (check is None or check(status, location, content))
        detail = location or content[:160].decode(errors="replace")
        method = "POST" if data else "GET"
        step = f"{method} {re.sub(r'/[0-9]+/', '/<pk>/', path)}{' autosave' if 'X-Autosave' in hdrs else ''}"
        self.stats.add(time.perf_counter() - start, ok, f"{self.kind} {method} {path}: {status} {detail}", self.kind, step)
        return ok, content


def autosaved(status, location, content):
    try:
        return json.loads(content).get("ok") is True
    except ValueError:
        return False


STAFF_PAGES = ("/", "/campaigns/home-panel/", "/inspections/panel/home/", "/sites/", "/campaigns/activities/",
               "/inspections/")  # the home page loads its dashboard panels with htmx  # fmt: skip


def warm_up(base, kinds, creds, timeout, rounds):
    """Not measured: each gunicorn worker compiles its templates and URL patterns before the clock starts."""
    from concurrent.futures import ThreadPoolExecutor

    first = {kind: creds[kinds.index(kind)] for kind in set(kinds)}
    jobs = []
    for _ in range(rounds):
        jobs += [("staff", dict(path=path)) for path in STAFF_PAGES if "staff" in first]
        if "cadre" in first:
            body = {**first["cadre"]["payload"], "title": "压测预热"}
            jobs += [("cadre", dict(path="/api/v1/activities/", body=body, token=first["cadre"]["token"], expect=(201,))),
                     ("cadre", dict(path="/campaigns/activities/"))]  # fmt: skip
        if "inspector" in first:
            jobs.append(("inspector", dict(path="/inspections/")))
    stats = Stats()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for kind, call in jobs:
            pool.submit(Client(base, stats, kind, first[kind], timeout).call, **call)
    return stats


def user_loop(kind, creds, client, stats, deadline, rng, pause=(0.5, 1.5)):
    def think(scale=1.0):
        time.sleep(min(rng.uniform(*pause) * scale, max(0.0, deadline - time.monotonic())))

    queue = list(creds.get("queue", []))
    while time.monotonic() < deadline:
        if kind == "cadre":
            body = {**creds["payload"], "title": f"压测录入活动 {rng.randrange(10**9)}"}
            client.call("/api/v1/activities/", body=body, token=creds["token"], expect=(201,))
            think()
            if time.monotonic() < deadline:
                client.call("/campaigns/activities/")
        elif kind == "inspector":
            if not queue:
                client.call("/inspections/")  # nothing left to file: keep browsing
                think()
                continue
            inspection = queue.pop(0)
            score = f"/inspections/{inspection['pk']}/score/"
            client.call(score)  # open the form
            think()
            filled, fields = {}, inspection["fields"]
            step = rng.choice((3, 4, 5))
            for start in range(0, len(fields), step):  # autosave a few items at a time, the whole form each time
                if time.monotonic() >= deadline:
                    break
                for one in fields[start : start + step]:
                    filled.update(one)
                client.call(score, form=filled, headers={"X-Autosave": "1"}, check=autosaved)
                think()
            if time.monotonic() >= deadline or len(filled) < sum(len(f) for f in fields):
                break
            filed, _ = client.call(score, form={**filled, "submit": "1"}, expect=(302,),
                                   check=lambda s, loc, c: not loc.endswith("/score/"))  # fmt: skip
            if filed:
                with stats.lock:
                    stats.filed += 1
            think()
            if time.monotonic() < deadline:
                client.call(f"/inspections/{inspection['pk']}/")
        else:
            for path in STAFF_PAGES:
                if time.monotonic() >= deadline:
                    break
                client.call(path)
                think(0.4)
        think()


def cpu_seconds(pgid=None, cmdline="") -> float:
    """CPU time (user + system) of the live processes in one process group, or whose command line holds
    `cmdline` (PostgreSQL backends name their database there), read from /proc (read only)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if cmdline and cmdline not in (entry / "cmdline").read_bytes().decode(errors="replace"):
                continue
        except OSError:
            continue
        if pgid is None or int(fields[2]) == pgid:  # after the name: state, ppid, pgrp, …, utime (11), stime (12)
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def stop(proc):
    """SIGTERM to the process group this script started, SIGKILL if it is still there after 15 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wuzha_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=float, default=45)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--request-timeout", type=float, default=10)
    parser.add_argument("--conn-max-age", default=os.environ.get("CONN_MAX_AGE", "60"),
                        help="persistent database connections, seconds (production setting; 0 = one per request)")
    parser.add_argument("--think", default="0.5,1.5", help="think time between steps, seconds: low,high")
    parser.add_argument("--log", default="/tmp/wuzha-load-gunicorn.log", help="gunicorn's and Django's output")
    args = parser.parse_args()
    duration = min(args.duration, 60)
    pause = tuple(float(x) for x in args.think.split(","))
    env = {**os.environ, "DATABASE_URL": args.database_url, "CACHE_URL": args.redis_url,
           "CELERY_BROKER_URL": args.redis_url, "DJANGO_SETTINGS_MODULE": "wuzha.settings.prod",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only-" + "x" * 40), "ALLOWED_HOSTS": "127.0.0.1",
           "WUZHA_ALLOW_DEMO_LOGINS": "True", "STATIC_ROOT": "/tmp/wuzha-bench-static", "LOG_LEVEL": "WARNING",
           "CONN_MAX_AGE": str(args.conn_max_age),
           # synthetic demo data only: the public development keys, unless the environment gives others
           "WUZHA_PII_KEYS": os.environ.get("WUZHA_PII_KEYS", "J9BPxaC-eMXqZfWffTCERwg0puwJTDsKAl-tpjocyzs="),
           "WUZHA_PII_HASH_KEY": os.environ.get("WUZHA_PII_HASH_KEY", "dev-only-pii-hash-key")}  # fmt: skip
    kinds, creds = prepare(env, args.users, duration / pause[0] * 0.5)
    base = f"http://127.0.0.1:{args.port}"
    log = open(args.log, "w")
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wuzha.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers),
         "--threads", str(args.threads), "--log-level", "warning", "--graceful-timeout", "10", "--timeout", "30"],
        cwd=BASE, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip

    def watchdog():
        print(f"watchdog: still running {duration + 90:.0f} s after the start, stopping everything", file=sys.stderr)
        stop(gunicorn)
        os._exit(3)

    try:
        for _ in range(200):
            try:
                OPENER.open(base + "/accounts/login/", timeout=2).read()
                break
            except Exception:  # noqa: BLE001  not up yet
                if gunicorn.poll() is not None:
                    raise SystemExit(f"gunicorn exited ({gunicorn.returncode}); see {args.log}")
                time.sleep(0.3)
        started = time.monotonic()
        warm = warm_up(base, kinds, creds, args.request_timeout, rounds=args.workers * 2)
        note(f"warm-up: {len(warm.times)} requests, {warm.errors} errors, {time.monotonic() - started:.0f} s (not counted)")
        for sample in warm.samples:
            note(f"warm-up error: {sample}")
        stats = Stats()
        db_name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
        cpu_before, own_before = cpu_seconds(gunicorn.pid), time.process_time()
        db_before = cpu_seconds(cmdline=f" {db_name} ")
        start = time.monotonic()
        deadline = start + duration
        timer = threading.Timer(duration + 90, watchdog)
        timer.daemon = True
        timer.start()
        threads = [
            threading.Thread(target=user_loop, daemon=True, args=(
                kind, cred, Client(base, stats, kind, cred, args.request_timeout), stats, deadline, random.Random(i),
                pause))
            for i, (kind, cred) in enumerate(zip(kinds, creds))
        ]  # fmt: skip
        for t in threads:
            t.start()
            time.sleep(0.02)  # ramp up over ~2 s
        for t in threads:  # no step starts after the deadline; a request in flight ends within --request-timeout
            t.join(timeout=max(0.1, deadline + args.request_timeout + 5 - time.monotonic()))
        stuck = sum(t.is_alive() for t in threads)
        elapsed = time.monotonic() - start
        server_cpu, own_cpu = cpu_seconds(gunicorn.pid) - cpu_before, time.process_time() - own_before
        db_cpu = cpu_seconds(cmdline=f" {db_name} ") - db_before  # backends that ended during the run are missed
    finally:
        stop(gunicorn)
        log.close()
    timer.cancel()
    times = sorted(stats.times)

    def pct(values, q):
        values = sorted(values)
        return values[int(q * (len(values) - 1))] * 1000 if values else 0

    print(f"think={pause[0]}–{pause[1]}s conn_max_age={args.conn_max_age} users={args.users} duration={elapsed:.1f}s requests={len(times)} "
          f"rps={len(times) / elapsed:.1f} "
          f"p50={pct(times, 0.5):.0f}ms p95={pct(times, 0.95):.0f}ms errors={stats.errors} "
          f"inspections_filed={stats.filed} threads_still_running={stuck}")  # fmt: skip
    print(f"  CPU: gunicorn {server_cpu:.1f} s ({server_cpu / max(1, len(times)) * 1000:.0f} ms per request), "
          f"PostgreSQL backends ≥ {db_cpu:.1f} s, this load generator {own_cpu:.1f} s, over {elapsed:.0f} s on "
          f"{os.cpu_count()} cores")
    for kind, values in sorted(stats.by_kind.items()):
        print(f"  {kind}: requests={len(values)} p50={pct(values, 0.5):.0f}ms p95={pct(values, 0.95):.0f}ms")
    for step, values in sorted(stats.by_step.items(), key=lambda kv: -statistics.mean(kv[1])):
        print(f"    {step}: n={len(values)} mean={statistics.mean(values) * 1000:.0f}ms p95={pct(values, 0.95):.0f}ms")
    for sample in stats.samples:
        print("  error:", sample)
    lines = Path(args.log).read_text(errors="replace").splitlines()
    errors = [line for line in lines if re.search(r"\b(ERROR|CRITICAL)\b|Traceback", line)]
    print(f"gunicorn/Django log {args.log}: {len(lines)} lines, {len(errors)} ERROR/Traceback lines")
    for line in errors[:5]:
        print("  log:", line[:300])
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
