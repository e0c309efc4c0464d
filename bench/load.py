#!/usr/bin/env python3
"""`make bench` measurements, run by bench/load.sh against servers it has started.

Phases, each printed as it finishes and collected into one JSON file:
  users     guests made through POST /api/start_guest; each buys a few shares so it can sell
  orders    wrk (bench/requests.lua) POSTing /api/place_order at each client count
  pages     wrk GETting /dashboard and POSTing /api/my_portfolio at each client count
  pgbench   pgbench's built-in tpcb-like script at the same client counts on the same server
  scale     orders through nginx to 1, then 2 instances; a session made on one used on the other
Lighthouse runs from bench/lighthouse.sh; `report` renders the table and fills docs/BENCHMARKS.md.
Standard library only.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
LUA = HERE / "requests.lua"
COOKIE_NAME = "papertrade_session"


def log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# HTTP as the browser's server functions speak it


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: D102 - keep 3xx answers as they are
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def post_form(base: str, path: str, form: dict[str, str], cookie: str | None = None) -> tuple[int, dict, str]:
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(base + path, data=data, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Accept", "application/json")
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


def session_cookie(headers: dict) -> str | None:
    for key, value in headers.items():
        if key.lower() == "set-cookie" and value.startswith(COOKIE_NAME + "="):
            return value.split(";", 1)[0]
    return None


def make_user(base: str) -> str:
    status, headers, body = post_form(base, "/api/start_guest", {})
    cookie = session_cookie(headers)
    if status != 200 or cookie is None:
        raise RuntimeError(f"start_guest answered {status} without a session cookie: {body[:200]}")
    # Something to sell from the first request on: 5 shares of each symbol requests.lua trades.
    for symbol in ("AAPL", "MSFT", "KO", "SPY"):
        status, _, body = post_form(base, "/api/place_order", {
            "symbol": symbol, "side": "buy", "quantity": "5", "idempotency_key": str(uuid.uuid4()),
        }, cookie)
        if status != 200:
            raise RuntimeError(f"the first buy of {symbol} answered {status}: {body[:200]}")
    return cookie


def make_users(base: str, count: int, path: Path) -> list[str]:
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        cookies = list(pool.map(lambda _: make_user(base), range(count)))
    path.write_text("\n".join(cookies) + "\n")
    return cookies


# ---------------------------------------------------------------------------------------------
# Load


def wrk(base: str, mode: str, clients: int, seconds: int, cookies: Path) -> dict:
    threads = min(2, clients)
    command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "30s",
               "-s", str(LUA), base]
    env = dict(os.environ, BENCH_MODE=mode, BENCH_COOKIES=str(cookies))
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    if run.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({run.returncode}): {run.stderr or run.stdout}")
    result = json.loads(lines[-1])
    ok = result["statuses"].get("200", 0)
    result.update(mode=mode, clients=clients, ok=ok, throughput=ok / result["seconds"],
                  failed=result["requests"] - ok + result["connect_errors"] + result["read_errors"]
                  + result["write_errors"] + result["timeouts"])
    log(f"{mode:9} {clients:3} clients: {result['throughput']:8.1f}/s  p50 {ms(result['p50_us'])}  "
        f"p99 {ms(result['p99_us'])}  max {ms(result['max_us'])}  not 200: {result['failed']} {result['statuses']}")
    return result


def pgbench(url: str, clients: int, seconds: int) -> dict:
    with tempfile.TemporaryDirectory() as logs:
        command = ["pgbench", "--builtin=tpcb-like", "-c", str(clients), "-j", str(min(2, clients)),
                   "-T", str(seconds), "-n", "-l", "--log-prefix", f"{logs}/tx", url]
        run = subprocess.run(command, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise RuntimeError(f"pgbench failed: {run.stderr}")
        latencies = sorted(int(line.split()[2]) for path in Path(logs).iterdir()
                           for line in path.read_text().splitlines() if line.strip())
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", run.stdout).group(1))
    result = {"mode": "pgbench", "clients": clients, "throughput": tps, "requests": len(latencies),
              "p50_us": percentile(latencies, 50), "p99_us": percentile(latencies, 99), "max_us": latencies[-1],
              "failed": 0}
    log(f"pgbench   {clients:3} clients: {tps:8.1f}/s  p50 {ms(result['p50_us'])}  p99 {ms(result['p99_us'])}")
    return result


def percentile(sorted_values: list[int], p: float) -> int:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100))]


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f} ms"


def session_across(first: str, second: str) -> dict:
    """A guest made through `first` is signed in when its cookie is used on `second`."""
    status, headers, _ = post_form(first, "/api/start_guest", {})
    cookie = session_cookie(headers)
    _, _, body_first = post_form(first, "/api/current_user", {}, cookie)
    status_second, _, body_second = post_form(second, "/api/current_user", {}, cookie)
    user_first = json.loads(body_first) if body_first.startswith("{") else None
    user_second = json.loads(body_second) if body_second.startswith("{") else None
    same = bool(user_first) and user_first == user_second
    log(f"session made on {first} is {'the same user' if same else 'NOT signed in'} on {second}")
    return {"made_on": first, "used_on": second, "status": status_second, "same_user": same,
            "username": (user_second or {}).get("username")}


# ---------------------------------------------------------------------------------------------
# Report


def report(results: dict) -> str:
    rows = ["| Measure | Clients | Throughput (/s) | p50 | p99 | max | not 200 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    names = {"orders": "Market orders (`POST /api/place_order`)", "dashboard": "Dashboard page (`GET /dashboard`, SSR)",
             "portfolio": "Portfolio data (`POST /api/my_portfolio`)", "pgbench": "pgbench tpcb-like (the ceiling)"}
    for run in results["runs"]:
        rows.append(f"| {names[run['mode']]} | {run['clients']} | {run['throughput']:.0f} | {ms(run['p50_us'])} | "
                    f"{ms(run['p99_us'])} | {ms(run['max_us'])} | {run['failed']} |")
    by = {(run["mode"], run["clients"]): run for run in results["runs"]}
    lines = ["\n".join(rows), "", "| Target | Measured | Verdict |", "| --- | --- | --- |"]

    def target(label: str, measured: str, met: bool) -> None:
        lines.append(f"| {label} | {measured} | {'met' if met else '**missed**'} |")

    for clients in (16, 64):
        order, pg = by.get(("orders", clients)), by.get(("pgbench", clients))
        if order and pg:
            ratio = order["throughput"] / pg["throughput"]
            target(f"orders ≥ 50% of pgbench at {clients} clients", f"{ratio:.0%} ({order['throughput']:.0f} vs "
                   f"{pg['throughput']:.0f}/s)", ratio >= 0.5)
    for clients, limit in ((16, 20), (64, 100)):
        order = by.get(("orders", clients))
        if order:
            target(f"order p99 < {limit} ms at {clients} clients", ms(order["p99_us"]), order["p99_us"] < limit * 1000)
    page = by.get(("dashboard", 64))
    if page:
        target("dashboard SSR p99 < 50 ms at 64 clients", ms(page["p99_us"]), page["p99_us"] < 50_000)
    for page in results.get("lighthouse", []):
        target(f"Lighthouse performance ≥ 95, {page['page']}", str(page["performance"]), page["performance"] >= 95)
        target(f"Lighthouse accessibility = 100, {page['page']}", str(page["accessibility"]),
               page["accessibility"] == 100)
    scale = results.get("scale")
    if scale:
        lines += ["", "| Behind nginx | Orders/s at {0} clients | p99 |".format(scale["clients"]), "| --- | ---: | ---: |"]
        for label, run in (("1 instance", scale["one"]), ("2 instances", scale["two"])):
            lines.append(f"| {label} | {run['throughput']:.0f} | {ms(run['p99_us'])} |")
        sessions = scale["sessions"]
        ok = all(s["same_user"] for s in sessions)
        lines += ["", f"Sessions across instances: {'a' if ok else '**not every**'} session made on one instance is "
                  f"signed in as the same user on the other ({sum(s['same_user'] for s in sessions)} of "
                  f"{len(sessions)} checks, both directions)."]
    lighthouse = results.get("lighthouse")
    if lighthouse:
        runs = lighthouse[0].get("runs", 1)
        lines += ["", f"Lighthouse: the median of {runs} runs per page by performance score (its range in brackets).", "",
                  "| Lighthouse (mobile) | Performance | Accessibility | LCP | TBT | CLS |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for page in lighthouse:
            low, high = page.get("performance_range", [page["performance"]] * 2)
            lines.append(f"| {page['page']} | {page['performance']} ({low}–{high}) | {page['accessibility']} | "
                         f"{page['lcp_ms']:.0f} ms | {page['tbt_ms']:.0f} ms | {page.get('cls', 0):.3f} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))) / 1024 / 1024
    versions = "; ".join(filter(None, (first_line(["wrk", "-v"]), first_line(["pgbench", "--version"]),
                                       first_line(["nginx", "-v"]))))
    return f"{os.cpu_count()} CPUs ({cpu}), {memory:.1f} GiB RAM, Linux {platform.release()}; {versions}"


def first_line(command: list[str]) -> str:
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return ""
    return (run.stdout + run.stderr).strip().splitlines()[0] if (run.stdout + run.stderr).strip() else ""


def fill_docs(docs: Path, table: str, header: str) -> None:
    text = docs.read_text()
    begin, end = "<!-- load:begin -->", "<!-- load:end -->"
    if begin not in text:
        raise RuntimeError(f"{docs} has no {begin} marker")
    before, rest = text.split(begin, 1)
    after = rest.split(end, 1)[1]
    docs.write_text(f"{before}{begin}\n{header}\n\n{table}\n{end}{after}")


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="users, orders, pages and pgbench against one instance")
    run.add_argument("--base", required=True)
    run.add_argument("--pgbench-url", required=True)
    run.add_argument("--users", type=int, default=512)
    run.add_argument("--seconds", type=int, default=20)
    run.add_argument("--out", type=Path, required=True)
    scale = sub.add_parser("scale", help="orders through nginx to 1 and 2 instances; sessions across them")
    scale.add_argument("--one", required=True, help="nginx address whose upstream is instance 1 alone")
    scale.add_argument("--two", required=True, help="nginx address whose upstream is both instances")
    scale.add_argument("--instances", nargs=2, required=True)
    scale.add_argument("--clients", type=int, default=64)
    scale.add_argument("--seconds", type=int, default=20)
    scale.add_argument("--out", type=Path, required=True)
    rep = sub.add_parser("report", help="print the table; with --docs also fill docs/BENCHMARKS.md")
    rep.add_argument("--results", type=Path, required=True)
    rep.add_argument("--docs", type=Path)
    rep.add_argument("--about", default="", help="what the script knows: versions, duration")
    args = parser.parse_args()

    if args.command == "run":
        cookies = args.out.with_suffix(".cookies")
        log(f"making {args.users} signed-in guests, each holding 5 AAPL, MSFT, KO and SPY")
        make_users(args.base, args.users, cookies)
        runs = []
        for clients in (1, 16, 64):
            runs.append(wrk(args.base, "orders", clients, args.seconds, cookies))
        for mode in ("dashboard", "portfolio"):
            for clients in (16, 64):
                runs.append(wrk(args.base, mode, clients, args.seconds, cookies))
        for clients in (1, 16, 64):
            runs.append(pgbench(args.pgbench_url, clients, args.seconds))
        results = json.loads(args.out.read_text()) if args.out.exists() else {}
        results["runs"] = runs
        args.out.write_text(json.dumps(results, indent=1))
    elif args.command == "scale":
        cookies = args.out.with_suffix(".scale-cookies")
        make_users(args.instances[0], 256, cookies)
        one = wrk(args.one, "orders", args.clients, args.seconds, cookies)
        two = wrk(args.two, "orders", args.clients, args.seconds, cookies)
        a, b = args.instances
        sessions = [session_across(a, b), session_across(b, a), session_across(args.two, a)]
        results = json.loads(args.out.read_text()) if args.out.exists() else {}
        results["scale"] = {"clients": args.clients, "one": one, "two": two, "sessions": sessions}
        args.out.write_text(json.dumps(results, indent=1))
    else:
        results = json.loads(args.results.read_text())
        table = report(results)
        header = (f"Last run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {first_line(['git', 'rev-parse', '--short', 'HEAD'])}; "
                  f"{machine()}; {args.about}. Server, load generator and PostgreSQL share the machine.")
        print(header + "\n\n" + table)
        if args.docs:
            fill_docs(args.docs, table, header)


if __name__ == "__main__":
    main()
