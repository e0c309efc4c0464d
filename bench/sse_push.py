#!/usr/bin/env python3
"""Live-push benchmark for Papertrade's Server-Sent Events endpoint (`GET /events`).

It answers two questions about one running server, on the machine it runs on:

1. Memory: how much resident memory does the server need to hold N idle SSE connections?
   Guests are created through `POST /api/start_guest`; each opens `--streams-per-user` streams.
   After a settle period the server's VmRSS and VmHWM are read from /proc/<pid>/status.

2. Push latency at that load: one "target" user places market orders (`POST /api/place_order`,
   alternately buy 1 and sell 1); each order's trade is pushed as an `event: trade` to every open
   stream of that user. A round's latency is the time from just before the order request is sent
   to the moment the *last* of the user's streams has received that trade's event. The event may
   arrive before the HTTP answer, so arrivals are recorded per stream and matched afterwards by
   the trade id from the order's answer (or its idempotency key, if the event carries it).

Streams are read with a small chunked-transfer decoder and an incremental SSE parser, so frames
split across chunks (or chunks holding several frames) are handled. Arrival times are taken when
the client's event loop parses the frame, so they include a little client-side delay.

Only the Python 3 standard library is used. Exit status: 0 when every requested connection opened
and stayed open and every round was delivered; 1 otherwise (the figures are printed anyway).
The 300 MB / 100 ms goals are reported as met or not met, never as a failure.

A second mode, `--update-docs FILE --from-json RESULT`, rewrites the results block of
docs/BENCHMARKS.md (between the sse-push markers) from a result file of an earlier run.
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

RSS_TARGET_BYTES = 300 * 1000 * 1000  # "under 300 MB", read strictly as 10^6-byte megabytes
LATENCY_TARGET_MS = 100.0
MIB = 1024 * 1024
DOCS_BEGIN = "<!-- sse-push:begin -->"
DOCS_END = "<!-- sse-push:end -->"


# --------------------------------------------------------------------------------------------
# HTTP/1.1 and SSE decoding
# --------------------------------------------------------------------------------------------


class ChunkedDecoder:
    """Incremental decoder of the HTTP/1.1 chunked transfer coding.

    `feed` takes whatever bytes the socket gave and returns the payload bytes decoded so far;
    partial size lines and partial chunks are kept for the next call.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._remaining: int | None = None  # bytes left in the current chunk; None: expecting a size line
        self.finished = False  # the zero-size last chunk was seen

    def feed(self, data: bytes) -> bytes:
        self._buffer += data
        out = bytearray()
        while not self.finished:
            if self._remaining is None:
                end = self._buffer.find(b"\r\n")
                if end < 0:
                    break
                size_line = bytes(self._buffer[:end]).split(b";", 1)[0].strip()  # drop chunk extensions
                del self._buffer[: end + 2]
                size = int(size_line, 16)
                if size == 0:
                    self.finished = True  # trailers, if any, are ignored
                    break
                self._remaining = size
            elif self._remaining > 0:
                take = min(self._remaining, len(self._buffer))
                if take == 0:
                    break
                out += self._buffer[:take]
                del self._buffer[:take]
                self._remaining -= take
            else:  # the chunk's data is consumed; its CRLF follows
                if len(self._buffer) < 2:
                    break
                if self._buffer[:2] != b"\r\n":
                    raise ValueError("malformed chunked encoding: no CRLF after chunk data")
                del self._buffer[:2]
                self._remaining = None
        return bytes(out)


@dataclass
class SseEvent:
    event: str
    data: str
    id: str | None


class SseParser:
    """Incremental parser of the text/event-stream format (the parts the server uses).

    Lines may end in LF or CRLF; a blank line dispatches the event being built, if it has data.
    Comment lines (starting with ':') are counted, as they are the server's keep-alives.
    """

    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")()
        self._partial = ""
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self.comments = 0

    def feed(self, data: bytes) -> list[SseEvent]:
        lines = (self._partial + self._text.decode(data)).split("\n")
        self._partial = lines.pop()  # the text after the last LF is not a complete line yet
        events = []
        for line in lines:
            line = line.removesuffix("\r")
            if line == "":
                if self._data:
                    events.append(SseEvent(self._event or "message", "\n".join(self._data), self._id))
                self._event, self._data = "", []
            elif line.startswith(":"):
                self.comments += 1
            else:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "event":
                    self._event = value
                elif name == "data":
                    self._data.append(value)
                elif name == "id":
                    self._id = value
                # `retry` and unknown fields need nothing here
        return events


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]  # (lower-cased name, value), in order
    body: bytes

    def header_values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name]

    def text(self, limit: int = 300) -> str:
        return self.body[:limit].decode("utf-8", "replace").strip()


def parse_head(head: bytes) -> tuple[int, list[tuple[str, str]]]:
    """Status code and headers of a response head (without the blank line)."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ValueError(f"not an HTTP response: {lines[0]!r}")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    return int(parts[1]), headers


async def read_head(reader: asyncio.StreamReader) -> tuple[int, list[tuple[str, str]], bytes]:
    """Reads a response head; returns status, headers and any body bytes read past it."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        data = await reader.read(65536)
        if not data:
            raise ConnectionError("connection closed before the response head")
        buffer += data
        if len(buffer) > 65536:
            raise ValueError("response head too large")
    head, _, rest = buffer.partition(b"\r\n\r\n")
    status, headers = parse_head(head)
    return status, headers, rest


def is_chunked(headers: list[tuple[str, str]]) -> bool:
    return any(k == "transfer-encoding" and "chunked" in v.lower() for k, v in headers)


@dataclass
class Target:
    host: str
    port: int

    @staticmethod
    def from_url(base: str) -> Target:
        url = urlsplit(base)
        if url.scheme != "http":
            raise SystemExit("--base must be a plain http:// address")
        return Target(url.hostname or "127.0.0.1", url.port or 80)

    @property
    def authority(self) -> str:
        return f"{self.host}:{self.port}"


async def http_request(
    target: Target,
    method: str,
    path: str,
    *,
    cookie: str | None = None,
    form: dict | None = None,
    accept: str = "application/json",
) -> Response:
    """One request on its own connection (`Connection: close`), read to the end; not redirected.

    No Origin header is sent: the server's cross-site check lets non-browser clients through.
    """
    body = urlencode(form).encode() if form is not None else b""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {target.authority}",
        f"Accept: {accept}",
        "Connection: close",
        "User-Agent: papertrade-sse-bench",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if method != "GET":
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    reader, writer = await asyncio.open_connection(target.host, target.port)
    try:
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await writer.drain()
        status, headers, rest = await read_head(reader)
        rest += await reader.read()  # to EOF: the server closes after answering
    finally:
        writer.close()
    if is_chunked(headers):
        rest = ChunkedDecoder().feed(rest)
    else:
        lengths = [int(v) for k, v in headers if k == "content-length"]
        if lengths:
            rest = rest[: lengths[0]]
    return Response(status, headers, rest)


# --------------------------------------------------------------------------------------------
# Guests and streams
# --------------------------------------------------------------------------------------------


def session_cookie(response: Response, cookie_name: str) -> str | None:
    """`name=value` of the session cookie the response sets, if it sets one."""
    for value in response.header_values("set-cookie"):
        pair = value.split(";", 1)[0].strip()
        if pair.startswith(cookie_name + "="):
            return pair
    return None


async def create_guest(target: Target, cookie_name: str) -> str:
    response = await http_request(target, "POST", "/api/start_guest", form={})
    if response.status == 429:
        raise RuntimeError(
            "start_guest was rate-limited (HTTP 429): start the server with large "
            "AUTH_RATE_LIMIT_BURST and GLOBAL_RATE_LIMIT_BURST"
        )
    if response.status not in (200, 302, 303):
        raise RuntimeError(f"start_guest answered HTTP {response.status}: {response.text()}")
    cookie = session_cookie(response, cookie_name)
    if cookie is None:
        raise RuntimeError(f"start_guest (HTTP {response.status}) set no {cookie_name} cookie")
    return cookie


async def create_guests(target: Target, count: int, concurrency: int, cookie_name: str) -> list[str]:
    slots = asyncio.Semaphore(concurrency)
    done = 0

    async def one() -> str:
        nonlocal done
        async with slots:
            cookie = await create_guest(target, cookie_name)
        done += 1
        if done % 100 == 0 or done == count:
            progress(f"guests created: {done}/{count}")
        return cookie

    return await asyncio.gather(*(one() for _ in range(count)))


def match_keys(value: object) -> set[str]:
    """Values of every `trade_id` and `idempotency_key` field anywhere in a decoded JSON value."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for name, inner in value.items():
            if name in ("trade_id", "idempotency_key") and isinstance(inner, (str, int)):
                keys.add(str(inner))
            else:
                keys |= match_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            keys |= match_keys(inner)
    return keys


class SseStream:
    """One `GET /events` connection of one user, read until it closes or the run ends."""

    def __init__(self, user: int, cookie: str, trade_signal: asyncio.Event | None) -> None:
        self.user = user
        self.cookie = cookie
        self.trade_signal = trade_signal  # set on every trade event (the target user's streams only)
        self.ready = False
        self.closed = False
        self.problem: str | None = None  # why it failed to open, or why it closed
        self.events: Counter[str] = Counter()
        self.trade_arrivals: dict[str, float] = {}  # match key -> perf_counter() at arrival
        self.trade_samples: list[str] = []  # a few raw trade payloads, for diagnostics
        self._parser = SseParser()
        self._decoder: ChunkedDecoder | None = None
        self._ready_seen: asyncio.Future[None] | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._pump: asyncio.Task | None = None

    @property
    def comments(self) -> int:
        return self._parser.comments

    async def open(self, target: Target, timeout: float) -> None:
        """Connects, requires HTTP 200, and waits for the `ready` event (up to `timeout`)."""
        try:
            await asyncio.wait_for(self._open(target), timeout)
            self.ready = True
        except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
            self.problem = describe(error)
            self.close()

    async def _open(self, target: Target) -> None:
        loop = asyncio.get_running_loop()
        self._ready_seen = loop.create_future()
        reader, self._writer = await asyncio.open_connection(target.host, target.port)
        request = (
            "GET /events HTTP/1.1\r\n"
            f"Host: {target.authority}\r\n"
            "Accept: text/event-stream\r\n"
            "Cache-Control: no-cache\r\n"
            f"Cookie: {self.cookie}\r\n"
            "User-Agent: papertrade-sse-bench\r\n\r\n"
        )
        self._writer.write(request.encode())
        await self._writer.drain()
        status, headers, rest = await read_head(reader)
        if status != 200:
            raise RuntimeError(f"HTTP {status}")
        if is_chunked(headers):
            self._decoder = ChunkedDecoder()
        self._pump = asyncio.create_task(self._read(reader, rest))
        await asyncio.shield(self._ready_seen)

    async def _read(self, reader: asyncio.StreamReader, first: bytes) -> None:
        data = first
        try:
            while True:
                if data:
                    self._receive(data)
                data = await reader.read(65536)
                if not data:
                    self._mark_closed("the server closed the stream")
                    return
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001
            self._mark_closed(describe(error))

    def _receive(self, data: bytes) -> None:
        if self._decoder is not None:
            data = self._decoder.feed(data)
            if self._decoder.finished:
                self._mark_closed("the server ended the chunked stream")
        now = time.perf_counter()  # one timestamp per read: all frames in it arrived together
        for event in self._parser.feed(data):
            self.events[event.event] += 1
            if event.event == "ready" and self._ready_seen is not None and not self._ready_seen.done():
                self._ready_seen.set_result(None)
            elif event.event != "ready":
                self.on_event(event, now)

    def on_event(self, event: SseEvent, now: float) -> None:
        """Called for every event but `ready`, with its arrival time; a subclass may watch others."""
        if event.event == "trade":
            self._record_trade(event, now)

    def _record_trade(self, event: SseEvent, now: float) -> None:
        if self.trade_signal is None:
            return  # a background user's stream: counting it is all that matters
        try:
            keys = match_keys(json.loads(event.data))
        except ValueError:
            keys = set()
        if len(self.trade_samples) < 3:
            self.trade_samples.append(event.data[:300])
        for key in keys:
            self.trade_arrivals.setdefault(key, now)
        self.trade_signal.set()

    def _mark_closed(self, reason: str) -> None:
        if not self.closed:
            self.closed = True
            self.problem = self.problem or reason
        if self._ready_seen is not None and not self._ready_seen.done():
            self._ready_seen.set_exception(ConnectionError(reason))
        if self.trade_signal is not None:
            self.trade_signal.set()  # wakes a waiting round so it need not wait for its timeout

    def close(self) -> None:
        if self._pump is not None and not self._pump.done():
            self._pump.cancel()
        if self._writer is not None:
            self._writer.close()
        if self._ready_seen is not None and not self._ready_seen.done():
            self._ready_seen.cancel()


async def open_streams(target: Target, streams: list[SseStream], concurrency: int, timeout: float) -> float:
    """Opens every stream, at most `concurrency` at a time; returns the seconds it took."""
    slots = asyncio.Semaphore(concurrency)
    done = 0
    started = time.perf_counter()

    async def one(stream: SseStream) -> None:
        nonlocal done
        async with slots:
            await stream.open(target, timeout)
        done += 1
        if done % 1000 == 0 or done == len(streams):
            failed = sum(1 for s in streams if s.problem and not s.ready)
            progress(f"streams attempted: {done}/{len(streams)} ({failed} failed)")

    await asyncio.gather(*(one(stream) for stream in streams))
    return time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Latency rounds
# --------------------------------------------------------------------------------------------


@dataclass
class Round:
    number: int
    side: str
    order_ms: float | None = None  # HTTP round-trip of the order
    latency_ms: float | None = None  # order sent -> trade event on the last of the user's streams
    missed: str | None = None  # why the round did not complete


async def run_round(
    target: Target, cookie: str, streams: list[SseStream], signal: asyncio.Event, number: int, args
) -> Round:
    side = "buy" if number % 2 == 0 else "sell"
    result = Round(number, side)
    key = str(uuid.uuid4())
    form = {"symbol": args.symbol, "side": side, "quantity": "1", "idempotency_key": key}
    t0 = time.perf_counter()
    deadline = t0 + args.round_timeout
    try:
        response = await asyncio.wait_for(http_request(target, "POST", "/api/place_order", cookie=cookie, form=form), args.round_timeout)
    except Exception as error:  # noqa: BLE001
        result.missed = f"order request failed: {describe(error)}"
        return result
    result.order_ms = (time.perf_counter() - t0) * 1000
    if response.status != 200:
        result.missed = f"order answered HTTP {response.status}: {response.text(200)}"
        return result
    try:
        wanted = {str(json.loads(response.body)["trade_id"]), key}
    except (ValueError, KeyError, TypeError):
        result.missed = f"order answer has no trade_id: {response.text(200)}"
        return result

    def arrival(stream: SseStream) -> float | None:
        times = [stream.trade_arrivals[k] for k in wanted if k in stream.trade_arrivals]
        return min(times) if times else None

    while True:
        signal.clear()  # cleared before checking, so an event arriving after the check still wakes us
        arrivals = [arrival(stream) for stream in streams]
        if all(a is not None for a in arrivals):
            result.latency_ms = (max(arrivals) - t0) * 1000
            return result
        remaining = deadline - time.perf_counter()
        if remaining <= 0 or all(s.closed for s, a in zip(streams, arrivals) if a is None):
            waiting = sum(1 for a in arrivals if a is None)
            result.missed = f"{waiting} of {len(streams)} streams had no trade event for it after {args.round_timeout:g} s"
            return result
        try:
            await asyncio.wait_for(signal.wait(), remaining)
        except asyncio.TimeoutError:
            pass


async def run_rounds(target: Target, cookie: str, streams: list[SseStream], signal: asyncio.Event, args) -> list[Round]:
    rounds = []
    for number in range(args.rounds):
        result = await run_round(target, cookie, streams, signal, number, args)
        rounds.append(result)
        if result.missed and sum(1 for r in rounds if r.missed) <= 3:
            progress(f"round {number} missed: {result.missed}")
        if (number + 1) % 50 == 0 or number + 1 == args.rounds:
            progress(f"rounds: {number + 1}/{args.rounds} ({sum(1 for r in rounds if r.missed)} missed)")
        await asyncio.sleep(args.pause)
    return rounds


# --------------------------------------------------------------------------------------------
# Measurements and report
# --------------------------------------------------------------------------------------------


def memory_of(pid: int | str) -> dict | None:
    """VmRSS and VmHWM of a process, in bytes, from /proc/<pid>/status (None if unreadable)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
    except OSError:
        return None
    kib = lambda name: int(fields[name].split()[0]) * 1024 if name in fields else None  # noqa: E731
    return {"rss": kib("VmRSS"), "hwm": kib("VmHWM")}


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of the values; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50": percentile(values, 50),
        "p90": percentile(values, 90),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
    }


def mib(value: int | None) -> float | None:
    return None if value is None else round(value / MIB, 1)


def machine_facts(extra: list[str]) -> dict:
    facts = {
        "cpus": os.cpu_count(),
        "cpu_model": first_match("/proc/cpuinfo", "model name"),
        "memory_gib": None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "git_commit": git_commit(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    total = first_match("/proc/meminfo", "MemTotal")
    if total:
        facts["memory_gib"] = round(int(total.split()[0]) / (1024 * 1024), 1)
    for item in extra:  # --meta name=value, e.g. the PostgreSQL version from the shell script
        name, _, value = item.partition("=")
        facts[name] = value
    return facts


def first_match(path: str, name: str) -> str | None:
    try:
        with open(path) as file:
            for line in file:
                key, _, value = line.partition(":")
                if key.strip() == name:
                    return value.strip()
    except OSError:
        pass
    return None


def git_commit() -> str | None:
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        commit = subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", here, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + (" (with uncommitted changes)" if dirty else "")


def met(ok: bool | None) -> str:
    return "not judged" if ok is None else ("met" if ok else "NOT met")


def fmt(value, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def report_rows(result: dict) -> list[tuple[str, str]]:
    """The result as (measure, value) rows, shared by the terminal table and the docs."""
    c, rss, lat, rtt, r = result["connections"], result["server_memory"], result["latency_ms"], result["order_ms"], result["rounds"]
    t = result["targets"]
    return [
        ("SSE connections requested", fmt(c["requested"])),
        ("users × streams per user", users_and_streams(c)),
        ("connections opened (HTTP 200 + ready)", fmt(c["opened"])),
        ("connections failed to open", fmt(c["failed"])),
        ("time to open them", f"{fmt(c['open_seconds'], ' s')} ({c['open_concurrency']} at a time)"),
        ("connections closed before the end", fmt(c["closed_during_run"])),
        ("server RSS before the streams (MiB)", fmt(rss["baseline_rss_mib"])),
        (f"server RSS idle at {c['opened']} streams (MiB)", fmt(rss["idle_rss_mib"])),
        ("server memory per stream (KiB)", fmt(rss["per_stream_kib"])),
        ("server RSS after the rounds (MiB)", fmt(rss["after_rss_mib"])),
        ("server peak RSS, VmHWM (MiB)", fmt(rss["hwm_mib"])),
        ("client (this script) RSS (MiB)", fmt(result["client_rss_mib"])),
        ("push latency p50 / p90 (ms)", f"{fmt(lat['p50'])} / {fmt(lat['p90'])}"),
        ("push latency p99 / max (ms)", f"{fmt(lat['p99'])} / {fmt(lat['max'])}"),
        ("order round-trip p50 / p99 (ms)", f"{fmt(rtt['p50'])} / {fmt(rtt['p99'])}"),
        ("rounds delivered / missed", f"{r['delivered']} / {r['missed']} of {r['requested']}"),
        ("trade events on other users' streams", fmt(result["foreign_trade_events"])),
        ("target: idle RSS < 300 MB (286.1 MiB)", met(t["idle_rss_under_300mb"])),
        ("target: peak RSS < 300 MB (286.1 MiB)", met(t["peak_rss_under_300mb"])),
        ("target: push latency p99 < 100 ms", met(t["latency_p99_under_100ms"])),
    ]


def users_and_streams(c: dict) -> str:
    last = c["requested"] - (c["users"] - 1) * c["streams_per_user"]
    text = f"{c['users']} × {c['streams_per_user']}"
    return text if last == c["streams_per_user"] else f"{text} (the last user {last})"


def print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print()


def progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def describe(error: BaseException) -> str:
    if isinstance(error, asyncio.TimeoutError):
        return "timed out"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    if soft < needed:
        progress(f"warning: open-file limit {soft} is below the ~{needed} this run needs; raise `ulimit -n`")


@dataclass
class Observations:
    """What one run saw, before it is summarised."""

    users: int = 0
    guest_seconds: float = 0.0
    streams: list[SseStream] = field(default_factory=list)
    open_seconds: float = 0.0
    baseline: dict | None = None  # server memory before any stream was opened
    idle: dict | None = None  # ... after the settle period
    after: dict | None = None  # ... after the latency rounds
    rounds: list[Round] = field(default_factory=list)

    @property
    def target_streams(self) -> list[SseStream]:
        return [s for s in self.streams if s.user == 0]


def make_streams(cookies: list[str], per_user: int, total: int, signal: asyncio.Event) -> list[SseStream]:
    """`total` streams, `per_user` for each user (the last one gets the rest). User 0 is the target."""
    streams = []
    for user, cookie in enumerate(cookies):
        count = min(per_user, total - user * per_user)
        streams += [SseStream(user, cookie, signal if user == 0 else None) for _ in range(count)]
    return streams


async def benchmark(args) -> Observations:
    target = Target.from_url(args.base)
    seen = Observations(users=max(1, math.ceil(args.connections / args.streams_per_user)))
    server_memory = (lambda: memory_of(args.server_pid)) if args.server_pid else (lambda: None)
    raise_fd_limit(args.connections + 256)

    print(f"▸ creating {seen.users} guests ({args.guest_concurrency} at a time)…", file=sys.stderr)
    started = time.perf_counter()
    try:
        cookies = await create_guests(target, seen.users, args.guest_concurrency, args.cookie_name)
    except Exception as error:  # noqa: BLE001 - without guests there is nothing to measure
        raise SystemExit(f"✗ cannot create the guests: {describe(error)}") from None
    seen.guest_seconds = time.perf_counter() - started

    signal = asyncio.Event()
    seen.streams = make_streams(cookies, args.streams_per_user, args.connections, signal)
    seen.baseline = server_memory()
    print(f"▸ opening {len(seen.streams)} SSE streams ({args.open_concurrency} at a time)…", file=sys.stderr)
    seen.open_seconds = await open_streams(target, seen.streams, args.open_concurrency, args.open_timeout)
    for problem, count in Counter(s.problem for s in seen.streams if not s.ready).most_common(5):
        progress(f"{count} streams failed to open: {problem}")

    print(f"▸ holding them idle for {args.settle:g} s…", file=sys.stderr)
    await asyncio.sleep(args.settle)
    seen.idle = server_memory()

    targets = seen.target_streams
    if all(s.ready and not s.closed for s in targets):
        print(f"▸ {args.rounds} rounds: order → trade event on all {len(targets)} of the user's streams…", file=sys.stderr)
        seen.rounds = await run_rounds(target, cookies[0], targets, signal, args)
    else:
        progress("the target user's streams are not all open; skipping the latency rounds")
    seen.after = server_memory()

    for problem, count in Counter(s.problem for s in seen.streams if s.ready and s.closed).most_common(5):
        progress(f"{count} streams closed during the run: {problem}")
    if any(r.missed for r in seen.rounds) and targets[0].trade_samples:
        progress(f"a trade event the target received: {targets[0].trade_samples[0]}")
    for stream in seen.streams:
        stream.close()
    await asyncio.sleep(0)  # let the cancelled readers finish
    return seen


def rounded(stats: dict) -> dict:
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in stats.items()}


def summarise(args, seen: Observations) -> dict:
    """The run as a JSON-ready result, with `complete` saying whether every check passed."""
    streams, targets = seen.streams, seen.target_streams
    opened = sum(1 for s in streams if s.ready)
    all_open = opened == args.connections
    closed = sum(1 for s in streams if s.ready and s.closed)
    foreign = sum(s.events["trade"] for s in streams if s.user != 0)
    latencies = [r.latency_ms for r in seen.rounds if r.latency_ms is not None]
    missed = [r for r in seen.rounds if r.missed]
    latency = summary(latencies)
    idle_rss = seen.idle["rss"] if seen.idle else None
    baseline_rss = seen.baseline["rss"] if seen.baseline else None
    peak = max((m["hwm"] for m in (seen.idle, seen.after) if m and m["hwm"]), default=None)
    return {
        "parameters": {k: v for k, v in vars(args).items() if k not in ("meta", "update_docs", "from_json")},
        "machine": machine_facts(args.meta),
        "guests": {"created": seen.users, "seconds": round(seen.guest_seconds, 2)},
        "connections": {
            "requested": args.connections,
            "users": seen.users,
            "streams_per_user": args.streams_per_user,
            "opened": opened,
            "failed": len(streams) - opened,
            "open_seconds": round(seen.open_seconds, 2),
            "open_concurrency": args.open_concurrency,
            "closed_during_run": closed,
            "failure_reasons": dict(Counter(s.problem for s in streams if not s.ready).most_common(5)),
        },
        "server_memory": {
            "baseline_rss_mib": mib(baseline_rss),
            "idle_rss_mib": mib(idle_rss),
            "after_rss_mib": mib(seen.after["rss"] if seen.after else None),
            "hwm_mib": mib(peak),
            "per_stream_kib": round((idle_rss - baseline_rss) / 1024 / opened, 1) if idle_rss and baseline_rss and opened else None,
        },
        "client_rss_mib": mib((memory_of("self") or {}).get("rss")),
        "latency_ms": rounded(latency),
        "order_ms": rounded(summary([r.order_ms for r in seen.rounds if r.order_ms is not None])),
        "rounds": {
            "requested": args.rounds,
            "delivered": len(latencies),
            "missed": args.rounds - len(latencies),
            "first_misses": [f"round {r.number} ({r.side}): {r.missed}" for r in missed[:5]],
        },
        "foreign_trade_events": foreign,
        "received": {
            "target_events": dict(sum((s.events for s in targets), Counter())),
            "background_events": dict(sum((s.events for s in streams if s.user != 0), Counter())),
            "keep_alive_comments": sum(s.comments for s in streams),
        },
        # Judged only at full load (every stream open) and, for latency, with no round missed.
        "targets": {
            "idle_rss_under_300mb": None if idle_rss is None or not all_open else idle_rss < RSS_TARGET_BYTES,
            "peak_rss_under_300mb": None if peak is None or not all_open else peak < RSS_TARGET_BYTES,
            "latency_p99_under_100ms": None
            if not all_open or missed or latency["p99"] is None
            else latency["p99"] < LATENCY_TARGET_MS,
        },
        "complete": all_open and closed == 0 and len(latencies) == args.rounds and foreign == 0,
    }


# --------------------------------------------------------------------------------------------
# Docs
# --------------------------------------------------------------------------------------------


def render_docs_block(result: dict) -> str:
    m = result["machine"]
    memory = f"{m['memory_gib']} GiB RAM" if m.get("memory_gib") else "RAM unknown"
    lines = [
        DOCS_BEGIN,
        f"Last run: {m['date']}, commit {m.get('git_commit') or 'unknown'}; "
        f"{m['cpus']} CPUs ({m.get('cpu_model') or 'unknown model'}), {memory}, Linux {m['kernel']}, "
        f"PostgreSQL {m.get('postgresql', 'unknown')}, Python {m['python']}; server and client on the same machine.",
        "",
        "| Measure | Result |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {value} |" for name, value in report_rows(result)]
    misses = result["rounds"]["first_misses"]
    if misses:
        lines += ["", "Missed rounds (first few): " + "; ".join(misses)]
    lines.append(DOCS_END)
    return "\n".join(lines)


def update_docs(path: str, result: dict) -> None:
    replace_block(path, DOCS_BEGIN, DOCS_END, render_docs_block(result))


def replace_block(path: str, begin_marker: str, end_marker: str, block: str) -> None:
    """Replaces the text from `begin_marker` to `end_marker` (both included) in the file with `block`."""
    with open(path) as file:
        text = file.read()
    begin, end = text.find(begin_marker), text.find(end_marker)
    if begin < 0 or end < begin:
        raise SystemExit(f"{path} has no {begin_marker} … {end_marker} block to fill")
    text = text[:begin] + block + text[end + len(end_marker):]
    with open(path, "w") as file:
        file.write(text)


# --------------------------------------------------------------------------------------------


def problems(result: dict) -> list[str]:
    """Why a run is not complete, in words."""
    c, r = result["connections"], result["rounds"]
    found = []
    if c["failed"]:
        found.append(f"{c['failed']} of {c['requested']} connections did not open")
    if c["closed_during_run"]:
        found.append(f"{c['closed_during_run']} connections closed during the run")
    if r["missed"]:
        found.append(f"{r['missed']} of {r['requested']} rounds missed")
    if result["foreign_trade_events"]:
        found.append(f"{result['foreign_trade_events']} trade events reached other users' streams")
    return found


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add = parser.add_argument
    add("--base", default="http://127.0.0.1:3000", help="server address (plain http)")
    add("--server-pid", type=int, help="server process id, for its RSS from /proc (omit to skip memory)")
    add("--connections", type=int, default=10000, help="SSE connections to open in total")
    add("--streams-per-user", type=int, default=20, help="SSE connections per guest user")
    add("--guest-concurrency", type=int, default=16, help="guests created at a time")
    add("--open-concurrency", type=int, default=200, help="connections being opened at a time")
    add("--open-timeout", type=float, default=30.0, help="seconds for one stream to answer 200 and send ready")
    add("--settle", type=float, default=10.0, help="seconds to hold the streams idle before reading RSS")
    add("--rounds", type=int, default=200, help="latency rounds (orders of the target user)")
    add("--round-timeout", type=float, default=5.0, help="seconds before a round counts as missed")
    add("--pause", type=float, default=0.02, help="seconds between rounds")
    add("--symbol", default="AAPL", help="stock traded in the rounds")
    add("--cookie-name", default="papertrade_session", help="the session cookie's name")
    add("--json", dest="json_out", help="write the result as one JSON line to this file (- for stdout)")
    add("--meta", action="append", default=[], metavar="NAME=VALUE", help="extra machine facts for the result (repeatable)")
    add("--update-docs", metavar="FILE", help="instead of running: fill FILE's results block from --from-json")
    add("--from-json", metavar="FILE", help="result file for --update-docs")
    args = parser.parse_args()
    if args.update_docs and not args.from_json:
        parser.error("--update-docs needs --from-json")
    if args.connections < 1 or args.streams_per_user < 1 or args.rounds < 0:
        parser.error("--connections and --streams-per-user must be positive, --rounds not negative")
    return args


def main() -> int:
    args = parse_args()
    if args.update_docs:
        with open(args.from_json) as file:
            update_docs(args.update_docs, json.load(file))
        return 0
    result = summarise(args, asyncio.run(benchmark(args)))
    complete = result["complete"]
    print_table(report_rows(result))
    line = json.dumps(result, separators=(",", ":"))  # the machine-readable result: one JSON line
    if args.json_out == "-":
        print(line)
    elif args.json_out:
        with open(args.json_out, "w") as file:
            file.write(line + "\n")
    if not complete:
        print(f"✗ incomplete run: {'; '.join(problems(result))}", file=sys.stderr)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
