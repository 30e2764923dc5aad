"""Load benchmark (issue 13): K browser-like sessions at once, against 1 process and N behind nginx.

Each session speaks Streamlit's own protocol over a real WebSocket, as the browser's frontend does:

1. page load: GET the lesson URL (nginx answers with its ``course_backend`` affinity cookie, Streamlit
   with its ``_streamlit_xsrf`` cookie), GET ``/_stcore/health`` and ``/_stcore/host-config`` with those
   cookies, open ``/_stcore/stream`` with the cookies and the subprotocols ``["streamlit", <xsrf
   token>]``, send a ``rerun_script`` BackMsg (query string, page name from the URL, context info) and
   wait for the run's ``script_finished``.  Page-load time = first GET to that ``script_finished``.
2. M slider moves: a ``rerun_script`` with the slider's new value in ``widget_states`` (its id read
   from the page's own slider element) and in the query string (the sliders are URL-bound), on the
   page's ``page_script_hash``; rerun time = send to ``script_finished``.  Every session moves to
   values no other move of the run uses, so every rerun is a real core run, not a cache hit.

Like the browser, a session keeps the cacheable messages it got and lists their hashes in each
rerun, so the server may answer with ``ref_hash`` references.  Errors: an exception element in the
deltas, a run that did not finish successfully, a rerun whose output does not show the moved value
(the path chart's paths must start at the new start x0), timeouts, dropped sockets, failed handshakes
or HTTP requests.  After the moves every session stays connected while the benchmark reads each app
process's resident memory (VmRSS) and asks every app process directly which one holds the session
(Streamlit's upload endpoint answers "Invalid session_id" where the session is not; the same request
through the front port proves the affinity cookie reaches the right process).

    python benchmarks/bench_load.py                       # K = 20 and 60, M = 10, 1 process vs 2
    python benchmarks/bench_load.py -k 6 -m 3 --apps 2 --pause 0.2

Ports 8700 (single process) and 8710-8710+N (nginx and the N apps); loopback only.
"""

import argparse
import asyncio
import base64
import contextlib
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.cluster import running_cluster  # noqa: E402
from deploy.nginx_conf import COOKIE  # noqa: E402

HOST = "127.0.0.1"
XSRF_COOKIE = "_streamlit_xsrf"
LESSON = "/adam-vs-sgd"
SLIDER = "vs_parabola_x0"        # the flagship's start slider: every value costs the same core run
FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
WATCHER_ENV = "STREAMLIT_SERVER_FILE_WATCHER_TYPE"
PAGE_LOAD_TIMEOUT = 60.0         # seconds, per page load
RERUN_TIMEOUT = 30.0             # seconds, per rerun


# ---------------------------------------------------------------------------------------------
# HTTP, as small as a load client needs: one request per connection, cookies in and out.

async def http_request(port, method, path, cookies, headers=None, timeout=10.0):
    """``method path`` on 127.0.0.1:``port`` with ``cookies``; returns (status, set-cookies, body)."""
    async def exchange():
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close",
                     "User-Agent: bench_load", "Accept: */*"]
            if cookies:
                lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
            if method != "GET":
                lines.append("Content-Length: 0")
            lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()
    reply = await asyncio.wait_for(exchange(), timeout)
    head, _, body = reply.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    status = int(head_lines[0].split()[1])
    set_cookies = {}
    for line in head_lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            pair = value.strip().split(";", 1)[0]
            cookie_name, _, cookie_value = pair.partition("=")
            set_cookies[cookie_name.strip()] = cookie_value.strip()
    return status, set_cookies, body


# ---------------------------------------------------------------------------------------------
# One browser-like session.

@dataclass
class Run:
    """What one script run sent: its elements (type, proto) in order, and how it finished."""
    elements: list = field(default_factory=list)
    finished: int | None = None


@dataclass
class Session:
    """One learner's tab: its cookies, its Streamlit session and everything measured on it."""
    index: int
    port: int                                  # the front port: nginx, or the single process
    cookies: dict = field(default_factory=dict)
    session_id: str = ""
    page_script_hash: str = ""
    slider_id: str = ""
    lesson: str = ""
    page_load: float | None = None
    reruns: list = field(default_factory=list)   # seconds, one per answered move
    echoed: list = field(default_factory=list)   # per answered move: did the output show the value?
    errors: list = field(default_factory=list)
    process: int | None = None                  # the app port that holds the session
    ws: object = None
    cache: dict = field(default_factory=dict)    # hash -> ForwardMsg, as the browser's message cache
    charts: list = field(default_factory=list)   # the last run's chart payloads

    def error(self, text):
        self.errors.append(text)

    async def load(self, lesson, query=""):
        """Page load: GET the page and the frontend's first requests, open the socket, first run."""
        start = time.perf_counter()
        self.lesson = lesson
        status, got, _ = await http_request(self.port, "GET", lesson + (f"?{query}" if query else ""), {})
        if status != 200:
            raise RuntimeError(f"GET {lesson}: HTTP {status}")
        self.cookies.update(got)
        for path in ("/_stcore/health", "/_stcore/host-config"):
            status, got, _ = await http_request(self.port, "GET", path, self.cookies)
            self.cookies.update(got)
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status}")
        self.ws = await websockets.connect(
            f"ws://{HOST}:{self.port}/_stcore/stream", proxy=None, max_size=None, open_timeout=30,
            subprotocols=["streamlit", self.cookies.get(XSRF_COOKIE, "PLACEHOLDER_AUTH_TOKEN")],
            origin=f"http://{HOST}:{self.port}",
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())})
        run = await self.rerun(query, page_name=lesson.strip("/"), timeout=PAGE_LOAD_TIMEOUT)
        self.page_load = time.perf_counter() - start
        slider = next((e.slider for kind, e in run.elements
                       if kind == "slider" and e.slider.id.endswith("-" + SLIDER)), None)
        if slider is None:
            raise RuntimeError(f"no slider {SLIDER!r} on {lesson}")
        self.slider_id = slider.id

    async def move(self, value):
        """Move the slider to ``value`` and wait for the rerun; record its time and whether it showed."""
        before = self.charts
        start = time.perf_counter()
        run = await self.rerun(urlencode({SLIDER: f"{value:g}"}), widget=(self.slider_id, value))
        self.reruns.append(time.perf_counter() - start)
        shown = self.charts != before and (not SLIDER.endswith("_x0") or round(value, 6) in path_starts(run))
        self.echoed.append(shown)
        if not shown:
            self.error(f"the rerun to {value:g} did not show it (paths start at {sorted(path_starts(run))})")

    async def rerun(self, query, page_name="", widget=None, timeout=RERUN_TIMEOUT):
        """Send one ``rerun_script`` as the frontend does and collect the run until it finishes."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_script_hash = self.page_script_hash
        state.page_name = "" if self.page_script_hash else page_name
        state.cached_message_hashes.extend(self.cache)
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"http://{HOST}:{self.port}{self.lesson}" + (f"?{query}" if query else "")
        if widget is not None:
            entry = state.widget_states.widgets.add()
            entry.id = widget[0]
            entry.double_array_value.data.append(widget[1])
        await self.ws.send(msg.SerializeToString())
        run = await asyncio.wait_for(self.collect(), timeout)
        self.charts = chart_payloads(run)
        return run

    async def collect(self):
        """Read ForwardMsgs until a run finishes; exception elements and failed runs are errors."""
        run = Run()
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            if forward.HasField("ref_hash"):
                if forward.ref_hash not in self.cache:
                    raise RuntimeError(f"ref_hash {forward.ref_hash} not in the client's cache")
                forward = self.cache[forward.ref_hash]
            elif forward.metadata.cacheable:
                self.cache[forward.hash] = forward
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                run = Run()          # a rerun restarts what the page shows
                if forward.new_session.HasField("initialize"):
                    self.session_id = forward.new_session.initialize.session_id
            elif kind == "navigation":   # st.navigation names the page that ran, as in the frontend
                self.page_script_hash = forward.navigation.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_kind = element.WhichOneof("type")
                run.elements.append((element_kind, element))
                if element_kind == "exception":
                    self.error(f"exception: {element.exception.type}: {element.exception.message[:200]}")
            elif kind == "page_not_found":     # Streamlit's "Page not found" dialog
                self.error(f"page not found: {forward.page_not_found.page_name!r}")
            elif kind == "script_finished":
                run.finished = forward.script_finished
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue             # the script reran itself (st.rerun): wait for that run
                if forward.script_finished not in FINISHED_OK:
                    self.error(f"run finished with status {forward.script_finished}")
                return run

    async def close(self):
        if self.ws is not None:
            await self.ws.close()


def chart_payloads(run):
    """The payload of every course chart (``ui.plot.show``) in ``run``, top to bottom."""
    return [element.bidi_component.bytes for kind, element in run.elements
            if kind == "bidi_component" and element.bidi_component.component_name == "course_plot"]


def path_starts(run):
    """The first x of every trace of every course chart in ``run``, rounded: a path starts at x0."""
    starts = set()
    for payload in chart_payloads(run):
        for trace in json.loads(payload)["figure"]["data"]:
            x = trace.get("x")
            if isinstance(x, dict):          # NumPy arrays arrive as Plotly's base64 bdata
                x = np.frombuffer(base64.b64decode(x["bdata"]), dtype=np.dtype(x["dtype"]))
            if x is not None and len(x):
                starts.add(round(float(x[0]), 6))
    return starts


# ---------------------------------------------------------------------------------------------
# Where the sessions live, and what the processes weigh.

async def locate(session, app_ports):
    """Which app port holds ``session`` (asked of each app directly), and is it reached through the front?

    Streamlit's upload endpoint checks the session id before anything else: "Invalid session_id" where
    the session is not; an empty upload where it is gets "Expected 1 file" instead.  Nothing is stored.
    """
    async def holds(port):
        status, _, body = await http_request(
            port, "PUT", f"/_stcore/upload_file/{session.session_id}/bench-probe", session.cookies,
            headers={"X-Xsrftoken": session.cookies.get(XSRF_COOKIE, "")})
        if status == 403:
            raise RuntimeError(f"upload probe on {port}: XSRF rejected")
        return b"Invalid session_id" not in body
    held = [port for port in app_ports if await holds(port)]
    if len(held) != 1:
        session.error(f"session held by {len(held)} processes {held}")
    session.process = held[0] if held else None
    if session.port not in app_ports:
        if COOKIE not in session.cookies:
            session.error(f"the load balancer set no {COOKIE} cookie")
        if not await holds(session.port):
            session.error("the front port does not reach the session's process (affinity lost)")


def app_pid(port):
    """The pid of the ``scripts/serve.py`` process listening on ``port`` (from /proc/*/cmdline)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(a.endswith(b"serve.py") for a in argv) and b"--server.port" in argv:
            if argv[argv.index(b"--server.port") + 1] == str(port).encode():
                return int(entry.name)
    return None


def cpu_seconds(pid):
    """User + system CPU time of ``pid`` so far, in seconds (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    """CPU seconds all cores of the machine have been busy since boot (from /proc/stat)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]                          # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    """Resident memory of ``pid`` in MB (VmRSS of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------------------------------------
# K sessions at once.

def slider_value(n):
    """The n-th value of a run's moves: distinct for n < 1190, never the default 8 or the bounds."""
    return round(-2.99 + 0.01 * (n % 1190), 2)


async def learner(session, lesson, values, pause, delay):
    """One learner: wait ``delay``, load the page, move the slider to each of ``values``."""
    await asyncio.sleep(delay)
    try:
        await session.load(lesson)
        for value in values:
            await asyncio.sleep(pause)
            await session.move(value)
    except asyncio.CancelledError:
        raise
    except Exception as exc:            # any failure is an error of this session, never of the run
        session.error(f"{type(exc).__name__}: {exc}"[:300])


async def run_load(front_port, app_ports, k, m, lesson, pause, ramp, offset, time_limit):
    """K sessions through ``front_port``, each M moves; returns the sessions, each app's RSS (MB) at the
    end and the CPU seconds all apps used meanwhile.

    Sessions start evenly over ``ramp`` seconds; whatever is not done after ``time_limit`` seconds is
    cancelled and counted as an error.  The sessions stay connected until memory and placement are read.
    """
    pids = [app_pid(port) for port in app_ports]
    cpu_before = sum(cpu_seconds(pid) for pid in pids)
    sessions = [Session(i, front_port) for i in range(k)]
    moves = [[slider_value(offset + s.index * m + j) for j in range(m)] for s in sessions]
    tasks = [asyncio.create_task(learner(s, lesson, moves[s.index], pause, ramp * s.index / k))
             for s in sessions]
    _, pending = await asyncio.wait(tasks, timeout=time_limit)
    for session, task in zip(sessions, tasks):
        if task in pending:
            task.cancel()
            session.error(f"not done within the time limit of {time_limit:.0f} s")
    await asyncio.gather(*tasks, return_exceptions=True)
    cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    rss = {port: rss_mb(pid) for port, pid in zip(app_ports, pids)}
    await asyncio.gather(*(locate(s, app_ports) for s in sessions if s.session_id), return_exceptions=True)
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return sessions, rss, cpu


async def warm_up(app_ports, lesson):
    """One session per app process, straight to its port: the first run of a page compiles it."""
    sessions = [Session(-1, port) for port in app_ports]
    await asyncio.gather(*(learner(s, lesson, [9.0], 0, 0) for s in sessions))
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    return [e for s in sessions for e in s.errors]


# ---------------------------------------------------------------------------------------------
# Figures.

def percentiles(values):
    """(p50, p95, max) of ``values`` in seconds, or NaNs for none."""
    if not values:
        return (float("nan"),) * 3
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95, ordered[-1]


@dataclass
class Result:
    k: int
    topology: str
    sessions: list
    rss: dict
    cpu: float              # CPU seconds all app processes used during the run
    client_cpu: float       # CPU seconds this client used meanwhile
    busy: float             # CPU seconds the whole machine was busy meanwhile
    wall: float

    @property
    def reruns(self):
        return [t for s in self.sessions for t in s.reruns]

    @property
    def loads(self):
        return [s.page_load for s in self.sessions if s.page_load is not None]

    @property
    def errors(self):
        return [e for s in self.sessions for e in s.errors]

    @property
    def spread(self):
        counts = {}
        for s in self.sessions:
            counts[s.process] = counts.get(s.process, 0) + 1
        return " ".join(f"{port}:{n}" for port, n in sorted(counts.items(), key=lambda kv: str(kv[0])))


def ms(seconds):
    return f"{seconds * 1000:7.0f}"


def print_table(results, m):
    """The benchmark's table, one row per (K, topology), then the N-vs-1 ratios, placement and errors."""
    print(f"\nrerun = slider move to script_finished; load = GET to first script_finished; M = {m}; "
          "times in ms\ncores = CPU seconds the app processes used / wall time of the run; client = the same "
          "for this client; others = for everything else on the machine; cpu/run = the apps' CPU ms per "
          "script run (page loads and reruns)")
    print(f"{'K':>3} {'topology':<16} {'reruns':>6} {'rerun p50':>9} {'p95':>7} {'max':>7} "
          f"{'load p50':>8} {'p95':>7} {'max':>7} {'errors':>6} {'wall s':>6} {'cores':>5} {'client':>6} "
          f"{'others':>6} {'cpu/run':>7}  sessions per app port; RSS MB per app port")
    for r in results:
        rerun, load = percentiles(r.reruns), percentiles(r.loads)
        rss = " ".join(f"{port}:{mb:.0f}" for port, mb in r.rss.items())
        others = (r.busy - r.cpu - r.client_cpu) / r.wall
        per_run = r.cpu / max(1, len(r.reruns) + len(r.loads))
        print(f"{r.k:>3} {r.topology:<16} {len(r.reruns):>6} {ms(rerun[0]):>9} {ms(rerun[1])} {ms(rerun[2])} "
              f"{ms(load[0]):>8} {ms(load[1])} {ms(load[2])} {len(r.errors):>6} {r.wall:>6.1f} "
              f"{r.cpu / r.wall:>5.2f} {r.client_cpu / r.wall:>6.2f} {others:>6.2f} {ms(per_run)}  "
              f"{r.spread}; {rss}")
    for one in (r for r in results if r.topology == "1 process"):
        for many in (r for r in results if r.k == one.k and r is not one):
            a, b = percentiles(one.reruns), percentiles(many.reruns)
            la, lb = percentiles(one.loads), percentiles(many.loads)
            print(f"K = {one.k}: 1 process / {many.topology}: rerun p50 x{a[0] / b[0]:.2f}, "
                  f"p95 x{a[1] / b[1]:.2f}, max x{a[2] / b[2]:.2f}; "
                  f"load p50 x{la[0] / lb[0]:.2f}, p95 x{la[1] / lb[1]:.2f}")
    for r in results:
        if len(r.rss) > 1:
            ports = sorted({s.process for s in r.sessions if s.process is not None})
            print(f"sessions per process, K = {r.k}, {r.topology}: " + "; ".join(
                f"{port}: " + " ".join(str(s.index) for s in r.sessions if s.process == port)
                for port in ports))
    for r in results:
        if r.errors:
            kinds = {re.sub(r"[-\d.]+", "#", e)[:50]: e for e in r.errors}    # one example per kind
            print(f"errors, K = {r.k}, {r.topology}: {len(r.errors)} in "
                  f"{sum(1 for s in r.sessions if s.errors)} sessions; e.g. " + " | ".join(kinds.values()))


@contextlib.contextmanager
def serving(apps, port):
    """deploy.cluster.running_cluster(apps, port) with Streamlit's file watcher off in every app process.

    A watcher that sees a source file change (others edit this checkout while we measure) evicts the
    module from sys.modules; concurrent runs then re-import it at once and fail ("partially initialized
    module", KeyError 'ui.frame').  The apps inherit this environment variable.
    """
    previous = os.environ.get(WATCHER_ENV)
    os.environ[WATCHER_ENV] = "none"
    try:
        with running_cluster(apps, port) as url:
            yield url
    finally:
        if previous is None:
            os.environ.pop(WATCHER_ENV, None)
        else:
            os.environ[WATCHER_ENV] = previous


def run_topology(apps, port, ks, m, lesson, pause, ramp, time_limit, cold=False):
    """Start one topology (apps = 0: one process on ``port``), run every K on it, stop it.

    ``cold``: no warm-up visit, so the first K are a fresh server's first visitors."""
    topology = "1 process" if apps == 0 else f"{apps} procs + nginx"
    app_ports = [port] if apps == 0 else [port + 1 + i for i in range(apps)]
    results = []
    with serving(apps, port):
        problems = [] if cold else asyncio.run(warm_up(app_ports, lesson))
        if problems:
            print(f"warm-up on {topology}: {problems}", file=sys.stderr)
        offset = 0
        for k in ks:
            start, client_start, busy_start = time.perf_counter(), time.process_time(), machine_busy_seconds()
            sessions, rss, cpu = asyncio.run(run_load(port, app_ports, k, m, lesson, pause, ramp, offset,
                                                      time_limit))
            results.append(Result(k, topology, sessions, rss, cpu, time.process_time() - client_start,
                                  machine_busy_seconds() - busy_start, time.perf_counter() - start))
            offset += k * m
            print(f"  done: K = {k}, {topology}, {len(results[-1].errors)} errors", flush=True)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", "--sessions", default="20,60",
                        help="concurrent sessions, comma-separated (20,60)")
    parser.add_argument("-m", "--moves", type=int, default=10, help="slider moves per session (10)")
    parser.add_argument("--apps", type=int, default=os.cpu_count() or 2,
                        help="app processes behind nginx (default: one per core); 0 = single process only")
    parser.add_argument("--lesson", default=LESSON, help=f"the lesson's path ({LESSON})")
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds a learner waits after each answer before the next move (1.0)")
    parser.add_argument("--ramp", type=float, default=5.0,
                        help="the sessions start evenly over this many s (5)")
    parser.add_argument("--time-limit", type=float, default=300.0,
                        help="hard limit per K and topology, s (300)")
    parser.add_argument("--cold", action="store_true",
                        help="no warm-up visit: the first K sessions are a fresh server's first visitors")
    parser.add_argument("--port", type=int, default=8700,
                        help="the single process's port; nginx takes port+10, its apps the next ones (8700)")
    args = parser.parse_args(argv)
    ks = [int(k) for k in args.sessions.split(",")]
    if not (8700 <= args.port and args.port + 10 + args.apps <= 8799):
        parser.error("the benchmark keeps to ports 8700-8799")
    print(f"bench_load: K = {ks}, M = {args.moves}, lesson {args.lesson}, slider {SLIDER}, "
          f"pause {args.pause} s, ramp {args.ramp} s, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    results = run_topology(0, args.port, ks, args.moves, args.lesson, args.pause, args.ramp, args.time_limit,
                           args.cold)
    if args.apps:
        results += run_topology(args.apps, args.port + 10, ks, args.moves, args.lesson, args.pause, args.ramp,
                                args.time_limit, args.cold)
    print_table(results, args.moves)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
