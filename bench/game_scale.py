#!/usr/bin/env python3
"""Class-scale benchmark for Papertrade's games (issue 18, "Scale"), against one running server.

One game, the size of a big class, with its leaderboard open on every player's page:

1. Set-up: a teacher signs up with a password (guests cannot create games) and creates a game that
   started five minutes ago, with late joining; `--players` guests (`POST /api/start_guest`) join
   it with its code (`POST /api/join_game`). Each player opens one `GET /events` stream: the
   page they keep open on the game's leaderboard.

2. Live update: `--rounds` times, a random player places a market order (buy 1, or sell 1 when
   they hold a share) in their game portfolio. A round's latency runs from just before the order
   request until the game's `event: game` has arrived on every one of the players' streams, the
   slowest deciding. The server gathers a game's changes for 250 ms before telling the pages
   (`GAME_CHANGES_GATHERED` in src/server/live/hub.rs), so that is the floor of this figure.

3. Fresh leaderboard on every page: `--reload-rounds` more orders, and now every stream does what
   the game page does on that event — it reloads the leaderboard (`POST /api/game_leaderboard`;
   the header's portfolio bar reloads on `games` events only, not on `game` events). A round's
   latency runs until the last page's leaderboard has answered.

4. Load: `--viewers` clients in a closed loop for `--seconds` each, signed in as players in turn:
   first the server-rendered game page (`GET /games/<id>`, with the leaderboard), then the
   leaderboard server function. Anything but HTTP 200 with the whole leaderboard is an error.

The server's VmRSS / VmHWM are read from /proc/<pid>/status, and its CPU time (and this client's,
and the whole machine's) over each load phase from /proc. HTTP, SSE parsing and most helpers come
from bench/sse_push.py. Only the Python 3 standard library is used.

Exit status: 0 when every player joined, every stream opened and stayed open, and every round of
step 2 was delivered; 1 otherwise (the figures are printed anyway). Slow or failed reloads in step
3 and errors under load in step 4 are results, reported, not failures.

`--update-docs FILE --from-json RESULT` rewrites the results block of docs/BENCHMARKS.md (between
the game-scale markers) from the result file of an earlier run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sse_push as sse  # noqa: E402 - bench/ is not a package; its sibling is imported by path

DOCS_BEGIN = "<!-- game-scale:begin -->"
DOCS_END = "<!-- game-scale:end -->"
PASSWORD = "correct horse battery staple"
GAME_NAME = "Scale bench"
# After a missed round, a late event must not be counted for the next one.
AFTER_A_MISS = 1.0


# --------------------------------------------------------------------------------------------
# Set-up: the teacher, the game, the players
# --------------------------------------------------------------------------------------------


@dataclass
class Player:
    cookie: str
    portfolio_id: str
    shares: int = 0  # of --symbol, as this client's orders left them


def json_of(response: sse.Response, what: str) -> dict:
    if response.status != 200:
        raise RuntimeError(f"{what} answered HTTP {response.status}: {response.text()}")
    return json.loads(response.body)


async def sign_up_teacher(target: sse.Target, cookie_name: str) -> str:
    """A password account's session cookie (its name is fresh, so a reused database is fine)."""
    name = f"bench_teacher_{uuid.uuid4().hex[:8]}"
    form = {"email": f"{name}@example.com", "username": name, "password": PASSWORD}
    response = await sse.http_request(target, "POST", "/api/sign_up", form=form)
    cookie = sse.session_cookie(response, cookie_name)
    if response.status >= 400 or cookie is None:
        raise RuntimeError(f"sign_up answered HTTP {response.status} (cookie: {cookie is not None}): {response.text()}")
    return cookie


async def create_game(target: sse.Target, teacher: str) -> dict:
    """A game that started five minutes ago, ends in a week, and takes players who join late."""
    now = datetime.now(timezone.utc)
    form = {
        "name": GAME_NAME,
        "starts_at": (now - timedelta(minutes=5)).isoformat(timespec="seconds"),
        "ends_at": (now + timedelta(days=7)).isoformat(timespec="seconds"),
        "starting_cash": "10000",
        "late_joining": "on",
    }
    response = await sse.http_request(target, "POST", "/api/create_game", cookie=teacher, form=form)
    return json_of(response, "create_game")


async def join_players(target: sse.Target, cookies: list[str], code: str, concurrency: int) -> list[Player]:
    slots = asyncio.Semaphore(concurrency)
    done = 0

    async def one(cookie: str) -> Player:
        nonlocal done
        async with slots:
            response = await sse.http_request(target, "POST", "/api/join_game", cookie=cookie, form={"code": code})
        seat = json_of(response, "join_game")
        done += 1
        if done % 100 == 0 or done == len(cookies):
            sse.progress(f"players joined: {done}/{len(cookies)}")
        return Player(cookie, seat["portfolio_id"])

    return await asyncio.gather(*(one(cookie) for cookie in cookies))


# --------------------------------------------------------------------------------------------
# The players' pages: one stream each, reloading like the game page when asked to
# --------------------------------------------------------------------------------------------


@dataclass
class Reload:
    """One page's reload of the leaderboard after a `game` event."""

    event_at: float
    done_at: float | None = None  # when the leaderboard answered 200
    problem: str | None = None

    @property
    def finished(self) -> bool:
        return self.done_at is not None or self.problem is not None


class GameStream(sse.SseStream):
    """A player's `GET /events`, recording when each `game` event of the game arrived."""

    def __init__(self, user: int, cookie: str, signal: asyncio.Event, game_id: str) -> None:
        super().__init__(user, cookie, signal)  # the base class sets `signal` when the stream closes
        self.game_id = game_id
        self.game_arrivals: list[float] = []
        self.foreign_game_events = 0  # game events of another game: there should be none
        self.reloader: Reloader | None = None  # set while the page reloads on events
        self.reloads: list[Reload] = []

    def on_event(self, event: sse.SseEvent, now: float) -> None:
        if event.event != "game":
            return
        try:
            game = json.loads(event.data).get("game_id")
        except (ValueError, AttributeError):
            game = None
        if game != self.game_id:
            self.foreign_game_events += 1
            return
        self.game_arrivals.append(now)
        if self.reloader is not None:
            self.reloader.start(self, now)
        self.trade_signal.set()

    def event_after(self, t0: float) -> float | None:
        return next((at for at in self.game_arrivals if at > t0), None)

    def reload_after(self, t0: float) -> Reload | None:
        """The reload for the first event after `t0`, once it has finished."""
        reload = next((r for r in self.reloads if r.event_at > t0), None)
        return reload if reload is not None and reload.finished else None


class Reloader:
    """What the game page does on a `game` event: it reloads the leaderboard (`boards_version`;
    the portfolio bar reads `games_version`, which `game` events leave alone)."""

    def __init__(self, target: sse.Target, game_id: str, signal: asyncio.Event, timeout: float) -> None:
        self.target, self.game_id, self.signal, self.timeout = target, game_id, signal, timeout
        self._tasks: set[asyncio.Task] = set()

    def start(self, stream: GameStream, now: float) -> None:
        reload = Reload(now)
        stream.reloads.append(reload)
        task = asyncio.get_running_loop().create_task(self._board(stream, reload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _board(self, stream: GameStream, reload: Reload) -> None:
        request = sse.http_request(self.target, "POST", "/api/game_leaderboard", cookie=stream.cookie, form={"game": self.game_id})
        try:
            response = await asyncio.wait_for(request, self.timeout)
            if response.status == 200:
                reload.done_at = time.perf_counter()
            else:
                reload.problem = f"HTTP {response.status}: {response.text(120)}"
        except Exception as error:  # noqa: BLE001 - every failure is a result
            reload.problem = sse.describe(error)
        self.signal.set()

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


# --------------------------------------------------------------------------------------------
# Rounds: one order, then every page
# --------------------------------------------------------------------------------------------


@dataclass
class Round:
    number: int
    player: int
    side: str = ""
    order_ms: float | None = None  # the order's HTTP round-trip
    first_ms: float | None = None  # order sent -> the first page
    latency_ms: float | None = None  # order sent -> the last page
    missed: str | None = None


async def trade(target: sse.Target, player: Player, args) -> tuple[str, float | None, str | None]:
    """One market order in the player's game portfolio: (side, round-trip in ms, problem)."""
    side = "sell" if player.shares > 0 else "buy"
    form = {
        "symbol": args.symbol,
        "side": side,
        "quantity": "1",
        "idempotency_key": str(uuid.uuid4()),
        "portfolio": player.portfolio_id,
    }
    t0 = time.perf_counter()
    try:
        request = sse.http_request(target, "POST", "/api/place_order", cookie=player.cookie, form=form)
        response = await asyncio.wait_for(request, args.round_timeout)
    except Exception as error:  # noqa: BLE001
        return side, None, f"order request failed: {sse.describe(error)}"
    order_ms = (time.perf_counter() - t0) * 1000
    if response.status != 200:
        return side, order_ms, f"order answered HTTP {response.status}: {response.text(200)}"
    player.shares += 1 if side == "buy" else -1
    return side, order_ms, None


async def wait_for_all(signal: asyncio.Event, streams: list[GameStream], deadline: float, outcome: Callable) -> list:
    """Waits until `outcome(stream)` is not None for every stream, or the deadline; returns them."""
    while True:
        signal.clear()  # cleared before checking, so a change after the check still wakes us
        outcomes = [outcome(stream) for stream in streams]
        waiting = [stream for stream, got in zip(streams, outcomes) if got is None]
        remaining = deadline - time.perf_counter()
        if not waiting or remaining <= 0 or all(stream.closed for stream in waiting):
            return outcomes
        try:
            await asyncio.wait_for(signal.wait(), remaining)
        except asyncio.TimeoutError:
            pass


async def round_trade(target, players, rng, number: int, args) -> tuple[Round, float]:
    """A round's fill: a random player's order; the round so far, and when it began."""
    result = Round(number, rng.randrange(len(players)))
    t0 = time.perf_counter()
    result.side, result.order_ms, result.missed = await trade(target, players[result.player], args)
    return result, t0


async def event_round(target, players, streams, signal, rng, number: int, args) -> Round:
    """Order -> the game's event on every page."""
    result, t0 = await round_trade(target, players, rng, number, args)
    if result.missed:
        return result
    arrivals = await wait_for_all(signal, streams, t0 + args.round_timeout, lambda s: s.event_after(t0))
    got = [at for at in arrivals if at is not None]
    if len(got) < len(streams):
        result.missed = f"{len(streams) - len(got)} of {len(streams)} pages had no game event after {args.round_timeout:g} s"
    else:
        result.first_ms, result.latency_ms = (min(got) - t0) * 1000, (max(got) - t0) * 1000
    return result


async def reload_round(target, players, streams, signal, rng, number: int, args) -> Round:
    """Order -> the event -> every page's leaderboard reloaded."""
    result, t0 = await round_trade(target, players, rng, number, args)
    if result.missed:
        return result
    reloads = await wait_for_all(signal, streams, t0 + args.reload_timeout, lambda s: s.reload_after(t0))
    unfinished = sum(1 for r in reloads if r is None)
    failed = Counter(r.problem for r in reloads if r is not None and r.problem)
    if unfinished or failed:
        reasons = [f"{unfinished} pages without a reloaded leaderboard after {args.reload_timeout:g} s"] if unfinished else []
        reasons += [f"{count} reloads failed: {problem}" for problem, count in failed.most_common(2)]
        result.missed = "; ".join(reasons)
    else:
        done = [r.done_at for r in reloads]
        result.first_ms, result.latency_ms = (min(done) - t0) * 1000, (max(done) - t0) * 1000
    return result


async def run_rounds(label: str, count: int, one_round: Callable[[int], Awaitable[Round]], pause: float) -> list[Round]:
    rounds: list[Round] = []
    for number in range(count):
        result = await one_round(number)
        rounds.append(result)
        misses = sum(1 for r in rounds if r.missed)
        if result.missed:
            if misses <= 3:
                sse.progress(f"{label} round {number} missed: {result.missed}")
            await asyncio.sleep(AFTER_A_MISS)
        if (number + 1) % 50 == 0 or number + 1 == count:
            sse.progress(f"{label} rounds: {number + 1}/{count} ({misses} missed)")
        await asyncio.sleep(pause)
    return rounds


# --------------------------------------------------------------------------------------------
# Load: many viewers in a closed loop
# --------------------------------------------------------------------------------------------


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process, from /proc/<pid>/stat (None if unreadable)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # after the command name
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def machine_busy_seconds() -> float | None:
    """CPU time all CPUs spent on anything but idle and I/O wait since boot, from /proc/stat."""
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal (guest time is counted inside user)
    everything, idle = sum(values[:8]), sum(values[3:5])
    return (everything - idle) / os.sysconf("SC_CLK_TCK")


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def difference(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before


async def closed_loop(send: Callable[[int], Awaitable[sse.Response]], ok: Callable[[sse.Response], bool], args) -> dict:
    """`args.viewers` clients for `args.seconds`: each sends its next request (`send(n)`, n its
    count of requests so far times the viewers plus its index) when the last one has answered."""
    latencies: list[float] = []  # of every answered request, whatever its status
    outcomes: Counter[str] = Counter()
    attempts = 0
    deadline = time.perf_counter() + args.seconds
    server_before, client_before, busy_before = cpu_seconds(args.server_pid), client_cpu_seconds(), machine_busy_seconds()
    started = time.perf_counter()

    async def viewer(index: int) -> None:
        nonlocal attempts
        n = index
        while time.perf_counter() < deadline:
            attempts += 1
            t0 = time.perf_counter()
            try:
                response = await asyncio.wait_for(send(n), args.request_timeout)
            except Exception as error:  # noqa: BLE001 - counted, and the viewer goes on
                outcomes[sse.describe(error)] += 1
            else:
                latencies.append((time.perf_counter() - t0) * 1000)
                if response.status != 200:
                    outcomes[f"HTTP {response.status}"] += 1
                else:
                    outcomes["ok" if ok(response) else "HTTP 200 without the whole leaderboard"] += 1
            n += args.viewers

    await asyncio.gather(*(viewer(i) for i in range(args.viewers)))
    seconds = time.perf_counter() - started
    good = outcomes.pop("ok", 0)
    server = difference(cpu_seconds(args.server_pid), server_before)
    machine = difference(machine_busy_seconds(), busy_before)
    return {
        "viewers": args.viewers,
        "seconds": round(seconds, 2),
        "requests": attempts,
        "answered": len(latencies),
        "ok": good,
        "errors": sum(outcomes.values()),
        "error_kinds": dict(outcomes.most_common(5)),
        "ok_per_second": round(good / seconds, 1) if seconds else None,
        "latency_ms": rounded(sse.summary(latencies)),
        "cpu_seconds": {
            "server": round(server, 2) if server is not None else None,
            "client": round(client_cpu_seconds() - client_before, 2),
            "machine": round(machine, 2) if machine is not None else None,
            "available": round(seconds * (os.cpu_count() or 1), 2),
        },
        "server_cpu_ms_per_ok": round(server * 1000 / good, 2) if server is not None and good else None,
    }


def rounded(stats: dict) -> dict:
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in stats.items()}


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


@dataclass
class Observations:
    game: dict = field(default_factory=dict)
    players: list[Player] = field(default_factory=list)
    setup_seconds: float = 0.0
    streams: list[GameStream] = field(default_factory=list)
    open_seconds: float = 0.0
    memory: dict = field(default_factory=dict)  # "before streams", "idle", "after rounds", "end"
    rounds: list[Round] = field(default_factory=list)
    reload_rounds: list[Round] = field(default_factory=list)
    page: dict | None = None
    function: dict | None = None


async def set_up(target: sse.Target, args, seen: Observations) -> None:
    started = time.perf_counter()
    try:
        teacher = await sign_up_teacher(target, args.cookie_name)
        seen.game = await create_game(target, teacher)
        print(f"▸ game {seen.game['id']} (code {seen.game['join_code']}); creating {args.players} guests…", file=sys.stderr)
        cookies = await sse.create_guests(target, args.players, args.guest_concurrency, args.cookie_name)
        print(f"▸ {args.players} players join with the code ({args.guest_concurrency} at a time)…", file=sys.stderr)
        seen.players = await join_players(target, cookies, seen.game["join_code"], args.guest_concurrency)
    except Exception as error:  # noqa: BLE001 - without the game there is nothing to measure
        raise SystemExit(f"✗ cannot set up the game: {sse.describe(error)}") from None
    seen.setup_seconds = time.perf_counter() - started


async def benchmark(args) -> Observations:
    target = sse.Target.from_url(args.base)
    seen = Observations()
    memory = lambda: sse.memory_of(args.server_pid) if args.server_pid else None  # noqa: E731
    sse.raise_fd_limit(3 * args.players + args.viewers + 256)  # a stream and two reloads per page
    await set_up(target, args, seen)
    game_id = str(seen.game["id"])

    signal = asyncio.Event()
    seen.streams = [GameStream(i, p.cookie, signal, game_id) for i, p in enumerate(seen.players)]
    seen.memory["before streams"] = memory()
    print(f"▸ opening {len(seen.streams)} pages' event streams ({args.open_concurrency} at a time)…", file=sys.stderr)
    seen.open_seconds = await sse.open_streams(target, seen.streams, args.open_concurrency, args.open_timeout)
    for problem, count in Counter(s.problem for s in seen.streams if not s.ready).most_common(5):
        sse.progress(f"{count} streams failed to open: {problem}")
    await asyncio.sleep(args.settle)  # the joins' own game changes are told and done with
    seen.memory["idle"] = memory()

    if all(s.ready for s in seen.streams):
        await live_rounds(target, args, seen, signal, game_id)
    else:
        sse.progress("not every page's stream is open; skipping the rounds")
    seen.memory["after rounds"] = memory()

    cookies = [p.cookie for p in seen.players]
    print(f"▸ game page (SSR) at {args.viewers} viewers for {args.seconds:g} s…", file=sys.stderr)
    seen.page = await closed_loop(page_request(target, game_id, cookies), whole_page(len(cookies)), args)
    print(f"▸ game_leaderboard at {args.viewers} viewers for {args.seconds:g} s…", file=sys.stderr)
    seen.function = await closed_loop(board_request(target, game_id, cookies), whole_board(len(cookies)), args)
    seen.memory["end"] = memory()

    for problem, count in Counter(s.problem for s in seen.streams if s.ready and s.closed).most_common(5):
        sse.progress(f"{count} streams closed during the run: {problem}")
    for stream in seen.streams:
        stream.close()
    await asyncio.sleep(0)  # let the cancelled readers finish
    return seen


async def live_rounds(target: sse.Target, args, seen: Observations, signal: asyncio.Event, game_id: str) -> None:
    rng = random.Random(args.seed)
    players, streams = seen.players, seen.streams
    print(f"▸ {args.rounds} rounds: a random player's order → the game event on all {len(streams)} pages…", file=sys.stderr)
    seen.rounds = await run_rounds(
        "event", args.rounds, lambda n: event_round(target, players, streams, signal, rng, n, args), args.pause
    )
    if args.reload_rounds <= 0:
        return
    print(f"▸ {args.reload_rounds} rounds: order → every page reloads its leaderboard…", file=sys.stderr)
    reloader = Reloader(target, game_id, signal, args.reload_timeout)
    for stream in streams:
        stream.reloader = reloader
    seen.reload_rounds = await run_rounds(
        "reload", args.reload_rounds, lambda n: reload_round(target, players, streams, signal, rng, n, args), args.pause
    )
    for stream in streams:
        stream.reloader = None
    await reloader.drain()


def page_request(target: sse.Target, game_id: str, cookies: list[str]) -> Callable[[int], Awaitable[sse.Response]]:
    path = f"/games/{game_id}"
    return lambda n: sse.http_request(target, "GET", path, cookie=cookies[n % len(cookies)], accept="text/html")


def board_request(target: sse.Target, game_id: str, cookies: list[str]) -> Callable[[int], Awaitable[sse.Response]]:
    form = {"game": game_id}
    return lambda n: sse.http_request(target, "POST", "/api/game_leaderboard", cookie=cookies[n % len(cookies)], form=form)


def whole_page(players: int) -> Callable[[sse.Response], bool]:
    """The game page rendered with its leaderboard: the game's name, and a row per player (each
    guest's username starts `guest-`)."""
    return lambda r: GAME_NAME.encode() in r.body and r.body.count(b"guest-") >= players


def whole_board(players: int) -> Callable[[sse.Response], bool]:
    return lambda r: r.body.count(b'"place"') == players


# --------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------


def rounds_summary(rounds: list[Round], requested: int) -> dict:
    delivered = [r for r in rounds if r.latency_ms is not None]
    return {
        "requested": requested,
        "delivered": len(delivered),
        "missed": requested - len(delivered),
        "first_misses": [f"round {r.number} ({r.side}): {r.missed}" for r in rounds if r.missed][:5],
        "latency_ms": rounded(sse.summary([r.latency_ms for r in delivered])),
        "first_page_ms": rounded(sse.summary([r.first_ms for r in delivered])),
        "order_ms": rounded(sse.summary([r.order_ms for r in rounds if r.order_ms is not None])),
        "sells": sum(1 for r in rounds if r.side == "sell"),
    }


def memory_summary(memory: dict, streams: int) -> dict:
    rss = {name: (m or {}).get("rss") for name, m in memory.items()}
    peak = max(((m or {}).get("hwm") or 0 for m in memory.values()), default=0) or None
    before, idle = rss.get("before streams"), rss.get("idle")
    return {
        **{f"{name.replace(' ', '_')}_rss_mib": sse.mib(value) for name, value in rss.items()},
        "hwm_mib": sse.mib(peak),
        "per_stream_kib": round((idle - before) / 1024 / streams, 1) if before and idle and streams else None,
    }


def summarise(args, seen: Observations) -> dict:
    streams = seen.streams
    opened = sum(1 for s in streams if s.ready)
    closed = sum(1 for s in streams if s.ready and s.closed)
    foreign = sum(s.foreign_game_events for s in streams)
    events = rounds_summary(seen.rounds, args.rounds)
    reloads = rounds_summary(seen.reload_rounds, args.reload_rounds)
    return {
        "parameters": {k: v for k, v in vars(args).items() if k not in ("meta", "update_docs", "from_json")},
        "machine": sse.machine_facts(args.meta),
        "game": {
            "id": str(seen.game.get("id")),
            "players_requested": args.players,
            "players_joined": len(seen.players),
            "setup_seconds": round(seen.setup_seconds, 2),
        },
        "streams": {
            "requested": len(streams),
            "opened": opened,
            "failed": len(streams) - opened,
            "open_seconds": round(seen.open_seconds, 2),
            "closed_during_run": closed,
            "failure_reasons": dict(Counter(s.problem for s in streams if not s.ready).most_common(5)),
        },
        "events": events,
        "reloads": reloads,
        "page": seen.page,
        "function": seen.function,
        "server_memory": memory_summary(seen.memory, opened),
        "client_rss_mib": sse.mib((sse.memory_of("self") or {}).get("rss")),
        "foreign_game_events": foreign,
        "received": dict(sum((s.events for s in streams), Counter())),
        "complete": len(seen.players) == args.players
        and opened == len(streams)
        and closed == 0
        and events["missed"] == 0
        and foreign == 0,
    }


def problems(result: dict) -> list[str]:
    g, s, e = result["game"], result["streams"], result["events"]
    found = []
    if g["players_joined"] != g["players_requested"]:
        found.append(f"{g['players_joined']} of {g['players_requested']} players joined")
    if s["failed"]:
        found.append(f"{s['failed']} of {s['requested']} streams did not open")
    if s["closed_during_run"]:
        found.append(f"{s['closed_during_run']} streams closed during the run")
    if e["missed"]:
        found.append(f"{e['missed']} of {e['requested']} rounds missed")
    if result["foreign_game_events"]:
        found.append(f"{result['foreign_game_events']} events of another game arrived")
    return found


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

fmt = sse.fmt


def pair(stats: dict, first: str, second: str) -> str:
    return f"{fmt(stats[first])} / {fmt(stats[second])}"


def report_rows(result: dict) -> list[tuple[str, str]]:
    """The live part of the result as (measure, value) rows, for the terminal and the docs."""
    g, s, e, r, m = result["game"], result["streams"], result["events"], result["reloads"], result["server_memory"]
    rows = [
        ("players joined (guests, with the code)", f"{g['players_joined']} of {g['players_requested']}"),
        ("set-up: teacher, game, guests, joins", fmt(g["setup_seconds"], " s")),
        ("pages with the leaderboard open (event streams)", f"{s['opened']} of {s['requested']} ({s['failed']} failed)"),
        ("streams closed before the end", fmt(s["closed_during_run"])),
        ("fill → game event on every page, p50 / p90 (ms)", pair(e["latency_ms"], "p50", "p90")),
        ("fill → game event on every page, p99 / max (ms)", pair(e["latency_ms"], "p99", "max")),
        ("fill → game event on the first page, p50 (ms)", fmt(e["first_page_ms"]["p50"])),
        ("order round-trip p50 / p99 (ms)", pair(e["order_ms"], "p50", "p99")),
        ("event rounds delivered / missed (sells among them)", f"{e['delivered']} / {e['missed']} of {e['requested']} ({e['sells']})"),
    ]
    if r["requested"]:
        rows += [
            ("fill → every page's leaderboard reloaded, p50 / p99 (ms)", pair(r["latency_ms"], "p50", "p99")),
            ("fill → every page's leaderboard reloaded, max (ms)", fmt(r["latency_ms"]["max"])),
            ("fill → the first page's leaderboard reloaded, p50 (ms)", fmt(r["first_page_ms"]["p50"])),
            ("reload rounds complete / missed", f"{r['delivered']} / {r['missed']} of {r['requested']}"),
        ]
    rows += [
        ("events of another game on the pages", fmt(result["foreign_game_events"])),
        ("server RSS before the streams / idle with them (MiB)", f"{fmt(m.get('before_streams_rss_mib'))} / {fmt(m.get('idle_rss_mib'))}"),
        ("server RSS at the end / peak, VmHWM (MiB)", f"{fmt(m.get('end_rss_mib'))} / {fmt(m.get('hwm_mib'))}"),
        ("client (this script) RSS (MiB)", fmt(result["client_rss_mib"])),
    ]
    return rows


LOAD_HEADER = ["Measure", "Viewers", "OK/s", "p50", "p99", "max", "errors", "server CPU per OK", "CPU s: server / client / machine of"]


def load_rows(result: dict) -> list[list[str]]:
    rows = []
    for name, load in (("Game page (`GET /games/<id>`, SSR)", result["page"]), ("Leaderboard (`POST /api/game_leaderboard`)", result["function"])):
        if not load:
            continue
        lat, cpu = load["latency_ms"], load["cpu_seconds"]
        rows.append([
            name,
            str(load["viewers"]),
            fmt(load["ok_per_second"], digits=0),
            fmt(lat["p50"], " ms"),
            fmt(lat["p99"], " ms"),
            fmt(lat["max"], " ms"),
            f"{load['errors']} of {load['requests']}",
            fmt(load["server_cpu_ms_per_ok"], " ms", 2),
            f"{fmt(cpu['server'])} / {fmt(cpu['client'])} / {fmt(cpu['machine'])} of {fmt(cpu['available'])}",
        ])
    return rows


def print_report(result: dict) -> None:
    sse.print_table(report_rows(result))
    for row in [LOAD_HEADER] + load_rows(result):
        print("  " + " | ".join(row))
    for load in (result["page"], result["function"]):
        if load and load["error_kinds"]:
            print(f"  errors: {load['error_kinds']}")
    print()


def render_docs_block(result: dict) -> str:
    m = result["machine"]
    memory = f"{m['memory_gib']} GiB RAM" if m.get("memory_gib") else "RAM unknown"
    lines = [
        DOCS_BEGIN,
        f"Last run: {m['date']}, commit {m.get('git_commit') or 'unknown'}; "
        f"{m['cpus']} CPUs ({m.get('cpu_model') or 'unknown model'}), {memory}, Linux {m['kernel']}, "
        f"PostgreSQL {m.get('postgresql', 'unknown')}, Python {m['python']}; server, client and PostgreSQL on the same machine.",
        "",
        "| Measure | Result |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {value} |" for name, value in report_rows(result)]
    lines += ["", "| " + " | ".join(LOAD_HEADER) + " |", "| --- |" + " ---: |" * (len(LOAD_HEADER) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in load_rows(result)]
    notes = [f"missed event rounds (first few): {'; '.join(result['events']['first_misses'])}"] if result["events"]["first_misses"] else []
    if result["reloads"]["first_misses"]:
        notes.append(f"missed reload rounds (first few): {'; '.join(result['reloads']['first_misses'])}")
    for label, load in (("game page", result["page"]), ("leaderboard", result["function"])):
        if load and load["error_kinds"]:
            notes.append(f"{label} errors: " + ", ".join(f"{kind} × {count}" for kind, count in load["error_kinds"].items()))
    if notes:
        lines += [""] + [f"- {note}" for note in notes]
    lines.append(DOCS_END)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add = parser.add_argument
    add("--base", default="http://127.0.0.1:3000", help="server address (plain http)")
    add("--server-pid", type=int, help="server process id, for its RSS and CPU from /proc (omit to skip)")
    add("--players", type=int, default=500, help="guests who join the game, one open page (stream) each")
    add("--guest-concurrency", type=int, default=16, help="guests created, and joins made, at a time")
    add("--open-concurrency", type=int, default=100, help="streams being opened at a time")
    add("--open-timeout", type=float, default=30.0, help="seconds for one stream to answer 200 and send ready")
    add("--settle", type=float, default=3.0, help="seconds between opening the streams and the first round")
    add("--rounds", type=int, default=200, help="rounds of order → game event on every page")
    add("--round-timeout", type=float, default=5.0, help="seconds before an event round counts as missed")
    add("--reload-rounds", type=int, default=20, help="rounds of order → every page reloads its leaderboard (0: none)")
    add("--reload-timeout", type=float, default=30.0, help="seconds before a reload round counts as missed")
    add("--pause", type=float, default=0.05, help="seconds between rounds")
    add("--viewers", type=int, default=64, help="concurrent clients of the load phases")
    add("--seconds", type=float, default=20.0, help="seconds of each load phase")
    add("--request-timeout", type=float, default=30.0, help="seconds before a load request counts as an error")
    add("--symbol", default="AAPL", help="stock traded in the rounds")
    add("--seed", type=int, default=18, help="seed of the choice of players")
    add("--cookie-name", default="papertrade_session", help="the session cookie's name")
    add("--json", dest="json_out", help="write the result as one JSON line to this file (- for stdout)")
    add("--meta", action="append", default=[], metavar="NAME=VALUE", help="extra machine facts for the result (repeatable)")
    add("--update-docs", metavar="FILE", help="instead of running: fill FILE's results block from --from-json")
    add("--from-json", metavar="FILE", help="result file for --update-docs")
    args = parser.parse_args()
    if args.update_docs and not args.from_json:
        parser.error("--update-docs needs --from-json")
    if args.players < 1 or args.viewers < 1 or args.rounds < 0 or args.reload_rounds < 0:
        parser.error("--players and --viewers must be positive, --rounds and --reload-rounds not negative")
    return args


def main() -> int:
    args = parse_args()
    if args.update_docs:
        with open(args.from_json) as file:
            sse.replace_block(args.update_docs, DOCS_BEGIN, DOCS_END, render_docs_block(json.load(file)))
        return 0
    result = summarise(args, asyncio.run(benchmark(args)))
    print_report(result)
    line = json.dumps(result, separators=(",", ":"))
    if args.json_out == "-":
        print(line)
    elif args.json_out:
        with open(args.json_out, "w") as file:
            file.write(line + "\n")
    if not result["complete"]:
        print(f"✗ incomplete run: {'; '.join(problems(result))}", file=sys.stderr)
    return 0 if result["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
