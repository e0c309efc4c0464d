"""What one market order (or dashboard) costs PostgreSQL, statement by statement (`make bench-statements`).

Against a server on a fresh database with pg_stat_statements loaded: makes signed-in guests
(each holding 5 AAPL, MSFT, KO and SPY), resets the statistics, runs wrk's order load
(bench/requests.lua: buy 1 / sell 1 in turn, a fresh idempotency key each), and divides what
pg_stat_statements counted in the app's database by the orders that answered 200: statements
(round trips) per order and PostgreSQL execution time per order, with each statement's share.
"""

import argparse
import json
import subprocess
from pathlib import Path

from load import log, make_users, wrk


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", "-X", "-qtA", url, "-c", sql], capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=64)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--mode", default="orders", choices=["orders", "dashboard"], help="what wrk asks for")
    parser.add_argument("--label", required=True, help="which build this is (before / after)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    cookies = args.out.with_suffix(".cookies")
    log(f"making {args.users} signed-in guests")
    make_users(args.base, args.users, cookies)
    psql(args.database_url, "SELECT pg_stat_statements_reset()")
    run = wrk(args.base, args.mode, args.clients, args.seconds, cookies)
    rows = psql(args.database_url, """
        SELECT json_agg(s ORDER BY s.total_exec_time DESC) FROM (
            SELECT regexp_replace(left(query, 400), '\\s+', ' ', 'g') AS query, calls, total_exec_time
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT LIKE '%pg_stat_statements%') s""")
    statements = json.loads(rows or "[]") or []
    orders = max(run["ok"], 1)
    calls = sum(row["calls"] for row in statements)
    exec_ms = sum(row["total_exec_time"] for row in statements)
    result = {"label": args.label, "orders": run["ok"], "throughput": run["throughput"], "p99_us": run["p99_us"],
              "statements_per_order": calls / orders, "exec_ms_per_order": exec_ms / orders,
              "statements": [dict(row, per_order=row["calls"] / orders) for row in statements]}
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results[f"{args.label} {args.mode}"] = result
    args.out.write_text(json.dumps(results, indent=1))
    print(f"\n{args.label}: {run['ok']} {args.mode}, {calls / orders:.2f} statements and "
          f"{exec_ms / orders:.3f} ms of PostgreSQL execution each\n")
    print("| per order | ms per order | statement |\n| ---: | ---: | --- |")
    for row in statements:
        if row["calls"] / orders >= 0.05:
            print(f"| {row['calls'] / orders:.2f} | {row['total_exec_time'] / orders:.3f} | `{row['query'][:140]}` |")


if __name__ == "__main__":
    main()
