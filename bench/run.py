#!/usr/bin/env python3
"""Terrarium beside moto's server, on the same workload, in one run.

Measures, for each server started fresh on 127.0.0.1 and alone on the machine:
  - STS GetCallerIdentity throughput and latency p50/p99 (wrk replaying one
    pre-signed request), Terrarium ephemeral and durable;
  - STS AssumeRole throughput and latency (a mutating request: with the durable
    store, one fsync'd SQLite commit each);
  - cold start: spawn to the first 200 (median of several spawns);
  - idle RSS after start-up and one request.

Prints a Markdown table (metric | terrarium | moto | ratio | target) and writes it
to bench/results.md only with --write. Exits 0 whether targets are met or not;
non-zero only when something failed to run (a server did not start, a request
was not answered 200, wrk reported non-2xx answers).

    python3 bench/run.py --terrarium build/terrarium [--write]
"""
from __future__ import annotations

import argparse
import atexit
import datetime
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
LUA_SCRIPT = BENCH_DIR / "signed_request.lua"
HOST = "127.0.0.1"
REGION = "us-east-1"

GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15"
# The role need not exist: neither server checks IAM on AssumeRole by default.
ASSUME_ROLE = ("Action=AssumeRole&Version=2011-06-15"
               "&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fbench"
               "&RoleSessionName=bench&DurationSeconds=900")

# Targets from the design brief, shown as PASS/MISS (informative only).
TARGET_GCI_RATIO = 100.0
TARGET_COLD_START_MS = 10.0
TARGET_IDLE_RSS_MIB = 15.0


class BenchError(RuntimeError):
    """Something failed to run: the numbers would be meaningless."""


# --------------------------------------------------------------------------
# Processes we started, and only those, are stopped on exit (by PID).

class Children:
    def __init__(self) -> None:
        self._procs: list[subprocess.Popen] = []

    def spawn(self, argv: list[str], **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen(argv, **kwargs)
        self._procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, grace: float = 5.0) -> None:
        if proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGTERM)
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
            except ProcessLookupError:
                pass
        if proc in self._procs:
            self._procs.remove(proc)

    def stop_all(self) -> None:
        for proc in list(self._procs):
            try:
                self.stop(proc, grace=2.0)
            except Exception:  # cleanup must go on for the others
                pass


CHILDREN = Children()
TEMP_DIRS: list[str] = []


def cleanup() -> None:
    CHILDREN.stop_all()
    while TEMP_DIRS:
        shutil.rmtree(TEMP_DIRS.pop(), ignore_errors=True)


def raise_on_signal(signum, _frame):
    # Turn SIGTERM/SIGHUP into an exception so `finally` blocks run.
    raise SystemExit(128 + signum)


def make_temp_dir(base: str | None, prefix: str) -> str:
    path = tempfile.mkdtemp(prefix=prefix, dir=base)
    TEMP_DIRS.append(path)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------
# Requests

@dataclass
class SignedRequest:
    method: str
    path: str
    body: str
    headers: dict[str, str]  # includes Host, excludes Content-Length (wrk adds it)
    expect: bytes            # a fragment the 200 answer must contain

    def raw(self, close: bool = True) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        lines.append(f"Content-Length: {len(self.body.encode())}")
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n" + self.body).encode()


def sign(port: int, body: str, expect: bytes, service: str = "sts",
         key: tuple[str, str] = ("test", "test")) -> SignedRequest:
    """Signs once with botocore's SigV4Auth (by default key "test", secret "test")."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    netloc = f"{HOST}:{port}"
    request = AWSRequest(method="POST", url=f"http://{netloc}/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(*key), service, REGION).add_auth(request)
    prepared = request.prepare()
    headers = {"Host": netloc}
    for name, value in prepared.headers.items():
        if name.lower() not in ("content-length", "host"):
            headers[name] = value if isinstance(value, str) else value.decode()
    return SignedRequest("POST", "/", body, headers, expect)


def health_request(port: int) -> SignedRequest:
    return SignedRequest("GET", "/_terrarium/health", "", {"Host": f"{HOST}:{port}"}, b"")


def check_answer(port: int, request: SignedRequest) -> None:
    """One request through urllib: never benchmark an error page."""
    headers = {k: v for k, v in request.headers.items() if k != "Host"}
    req = urllib.request.Request(f"http://{HOST}:{port}{request.path}", method=request.method,
                                 data=request.body.encode() if request.body else None, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    if status != 200 or request.expect not in body:
        raise BenchError(f"sanity request {request.body or request.path!r} on port {port}: "
                         f"HTTP {status}, expected 200 with {request.expect!r}; body: {body[:300]!r}")


def status_of(port: int, payload: bytes, timeout: float) -> int | None:
    """Connects once; None when refused. Returns the HTTP status of the answer."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            s.connect((HOST, port))
        except (ConnectionRefusedError, ConnectionResetError):
            return None
        s.settimeout(timeout)
        s.sendall(payload)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                return 0
            data += chunk
        parts = data.split(b" ", 2)
        return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0
    except OSError:
        return 0
    finally:
        s.close()


def wait_first_200(proc: subprocess.Popen, port: int, request: SignedRequest, timeout: float) -> float:
    """Tight loop of raw connects (no sleep: a refused connect on loopback takes
    microseconds). Returns perf_counter() at the moment the 200 arrived."""
    payload = request.raw()
    deadline = time.monotonic() + timeout
    while True:
        status = status_of(port, payload, timeout=max(1.0, deadline - time.monotonic()))
        if status == 200:
            return time.perf_counter()
        if proc.poll() is not None:
            raise BenchError(f"server exited with {proc.returncode} before answering 200")
        if time.monotonic() > deadline:
            raise BenchError(f"no 200 within {timeout}s (last status {status})")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a running process (clock ticks, usually 10 ms)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def vm_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise BenchError(f"no VmRSS for pid {pid}")


# --------------------------------------------------------------------------
# Servers

@dataclass
class Flavor:
    """How to start one server and what its first 200 is."""
    name: str
    argv: callable          # (port, data_dir or None) -> argv
    ready: callable         # port -> SignedRequest polled for the first 200
    durable: bool = False


class Running:
    def __init__(self, flavor: Flavor, tmp_base: str | None, log_dir: str, data_dir: str | None = None) -> None:
        self.flavor = flavor
        self.port = free_port()
        # A given data dir is the caller's to remove; a new one is removed on stop().
        self.own_data_dir = flavor.durable and data_dir is None
        self.data_dir = data_dir or (make_temp_dir(tmp_base, "terrarium-bench-data-") if flavor.durable else None)
        self.log_path = Path(log_dir) / f"{flavor.name}-{self.port}.log"
        self._log = open(self.log_path, "wb")
        self.t_spawn = time.perf_counter()
        # Own session: a Ctrl-C in the terminal reaches us, and we stop it in order.
        self.proc = CHILDREN.spawn(flavor.argv(self.port, self.data_dir), stdin=subprocess.DEVNULL,
                                   stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float) -> float:
        """Milliseconds from spawn to the first 200."""
        try:
            t = wait_first_200(self.proc, self.port, self.flavor.ready(self.port), timeout)
        except BenchError as e:
            raise BenchError(f"{self.flavor.name}: {e}\n--- log {self.log_path}:\n{self.log_tail()}") from None
        return (t - self.t_spawn) * 1000.0

    def log_tail(self, n: int = 2000) -> str:
        self._log.flush()
        return self.log_path.read_bytes()[-n:].decode(errors="replace")

    def stop(self) -> None:
        CHILDREN.stop(self.proc)
        self._log.close()
        if self.own_data_dir and self.data_dir in TEMP_DIRS:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            TEMP_DIRS.remove(self.data_dir)


# --------------------------------------------------------------------------
# Load

@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    socket_errors: int
    server_cpu_us: float = 0.0   # server CPU time per request
    server_cores: float = 0.0    # server CPU time / wall time
    wrk_cores: float = 0.0       # wrk CPU time / wall time: near 1.0 would make wrk the bottleneck
    raw: dict = field(default_factory=dict)


def run_wrk(args, port: int, request: SignedRequest, duration: int, label: str,
            server_pid: int | None = None) -> Load:
    env = dict(os.environ,
               BENCH_METHOD=request.method, BENCH_PATH=request.path, BENCH_BODY=request.body,
               BENCH_HEADERS="\n".join(f"{k}: {v}" for k, v in request.headers.items()))
    argv = [args.wrk, f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{duration}s",
            "--latency", "--timeout", "10s", "-s", str(LUA_SCRIPT), f"http://{HOST}:{port}/"]
    server_cpu0 = cpu_seconds(server_pid) if server_pid else 0.0
    wrk_cpu0 = children_cpu_seconds()
    wall0 = time.perf_counter()
    proc = CHILDREN.spawn(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=duration + 60)
    finally:
        CHILDREN.stop(proc)
    wall = time.perf_counter() - wall0
    wrk_cpu = children_cpu_seconds() - wrk_cpu0  # wrk is the only child reaped meanwhile
    server_cpu = cpu_seconds(server_pid) - server_cpu0 if server_pid else 0.0
    line = next((l for l in out.splitlines() if l.startswith("BENCH_RESULT ")), None)
    if proc.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({label}), exit {proc.returncode}:\n{out}\n{err}")
    r = json.loads(line[len("BENCH_RESULT "):])
    errors = r["errors"]
    if errors["status"] or r["requests"] == 0:
        raise BenchError(f"{label}: {errors['status']} non-2xx answers of {r['requests']}; "
                         "benchmarking an error page is meaningless")
    load = Load(rps=r["requests"] / (r["duration_us"] / 1e6), p50_ms=r["p50_us"] / 1000.0,
                p99_ms=r["p99_us"] / 1000.0, requests=r["requests"],
                socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
                server_cpu_us=server_cpu / r["requests"] * 1e6, server_cores=server_cpu / wall,
                wrk_cores=wrk_cpu / wall, raw=r)
    log(f"  {label}: {load.rps:,.0f} req/s, p50 {load.p50_ms:.3f} ms, p99 {load.p99_ms:.3f} ms, "
        f"server {load.server_cpu_us:,.0f} us CPU/request ({load.server_cores:.2f} cores), "
        f"wrk {load.wrk_cores:.2f} cores ({load.requests} requests"
        + (f", {load.socket_errors} socket errors" if load.socket_errors else "") + ")")
    return load


def throughput(args, flavor: Flavor, workloads: list[tuple[str, str, bytes]]) -> dict[str, Load]:
    """Starts one server, then runs each workload (label, body, expect) against it."""
    server = Running(flavor, args.tmp_dir, args.log_dir)
    try:
        server.wait_ready(args.start_timeout)
        results = {}
        for label, body, expect in workloads:
            request = sign(server.port, body, expect)
            check_answer(server.port, request)
            if args.warmup > 0:
                run_wrk(args, server.port, request, args.warmup, f"{flavor.name} {label} (warm-up)",
                        server.proc.pid)
            results[label] = run_wrk(args, server.port, request, args.duration, f"{flavor.name} {label}",
                                     server.proc.pid)
            if server.proc.poll() is not None:
                raise BenchError(f"{flavor.name} exited during {label}:\n{server.log_tail()}")
        return results
    finally:
        server.stop()


@dataclass
class Startup:
    cold_ms: float        # median
    cold_all: list[float]
    rss_kib: int          # median


def cold_start(args, flavor: Flavor, runs: int, reuse_data_dir: bool = False) -> Startup:
    """reuse_data_dir: every spawn opens the same data dir, made by one untimed spawn first
    (a restart, the everyday case), instead of creating a new one."""
    times, rss = [], []
    data_dir = None
    if reuse_data_dir:
        data_dir = make_temp_dir(args.tmp_dir, "terrarium-bench-data-")
        first = Running(flavor, args.tmp_dir, args.log_dir, data_dir)
        try:
            first.wait_ready(args.start_timeout)
        finally:
            first.stop()
    for i in range(runs):
        server = Running(flavor, args.tmp_dir, args.log_dir, data_dir)
        try:
            times.append(server.wait_ready(args.start_timeout))
            # Idle RSS: after start-up and one request.
            check_answer(server.port, sign(server.port, GET_CALLER_IDENTITY, b"GetCallerIdentityResult"))
            time.sleep(0.2)
            rss.append(vm_rss_kib(server.proc.pid))
        finally:
            server.stop()
    log(f"  {flavor.name}{' (existing data dir)' if reuse_data_dir else ''} cold start: median {statistics.median(times):.2f} ms "
        f"(runs: {', '.join(f'{t:.1f}' for t in times)}); idle RSS {statistics.median(rss) / 1024:.1f} MiB")
    return Startup(statistics.median(times), times, int(statistics.median(rss)))


# --------------------------------------------------------------------------
# Report

def fmt_rps(x: float) -> str:
    return f"{x:,.0f} req/s"


def fmt_ms(x: float) -> str:
    return f"{x:.2f} ms" if x < 100 else f"{x:,.0f} ms"


def fmt_us(x: float) -> str:
    return f"{x:,.0f} µs" if x >= 10 else f"{x:.1f} µs"


def fmt_mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def ratio(better: float | None, worse: float | None) -> str:
    if not better or not worse:
        return "—"
    r = better / worse
    return f"{r:,.0f}x" if r >= 10 else f"{r:.1f}x"


def verdict(ok: bool, text: str) -> str:
    return f"{'PASS' if ok else 'MISS'} ({text})"


def filesystem_of(path: str) -> str:
    best, fstype = "", "?"
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                mount = parts[1]
                if (path == mount or path.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best):
                    best, fstype = mount, parts[2]
    except OSError:
        pass
    return fstype


def terrarium_version(binary: str) -> str:
    try:
        return subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return "?"


def build_report(args, rows: list[tuple[str, str, str, str, str]], notes: list[str]) -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        import moto
        moto_version = moto.__version__
    except ImportError:
        moto_version = "?"
    tmp = args.tmp_dir or tempfile.gettempdir()
    lines = [
        "# Terrarium beside moto_server",
        "",
        f"- date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {cpu}, {os.cpu_count()} cores, Linux {platform.release()}, data dirs on "
        f"{filesystem_of(os.path.realpath(tmp))}, load average at start {args.load_at_start}",
        f"- terrarium: {terrarium_version(args.terrarium)}, server threads "
        f"{args.server_threads if args.server_threads else 'default (one per core)'}, --log-level warn",
        f"- moto: moto_server {moto_version} (Werkzeug, threaded)" if not args.skip_moto else "- moto: skipped",
        f"- load: wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s --latency "
        f"(after a {args.warmup}s warm-up), replaying one request signed with SigV4 (key test/test); "
        "each server runs alone",
        f"- cold start: spawn to first 200 (terrarium: GET /_terrarium/health; moto: GetCallerIdentity), "
        f"median of {args.cold_runs} (terrarium) / {args.moto_cold_runs} (moto) spawns; "
        "idle RSS: VmRSS after start-up and one GetCallerIdentity",
        "",
        "| metric | terrarium | moto | ratio | target |",
        "|---|---:|---:|---:|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    lines.append("")
    lines.append("Ratio: how many times better Terrarium is (throughput: terrarium/moto; "
                 "latency, CPU, start-up, memory: moto/terrarium). Server CPU per request is the "
                 "server's utime+stime over the measured run divided by its requests: it holds "
                 "when the machine is busy and throughput does not.")
    if notes:
        lines.append("")
        lines += [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------

def resolve_moto(explicit: str | None) -> str:
    """The real console script, not a pyenv shim (whose bash + pyenv start-up
    would be billed to moto's cold start)."""
    if explicit:
        return explicit
    candidate = Path(sysconfig.get_path("scripts")) / "moto_server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("moto_server")
    if not found:
        raise BenchError("moto_server not found: pip install 'moto[server]' (or pass --skip-moto)")
    return found


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--terrarium", default=str(REPO / "build" / "terrarium"), help="the server binary")
    p.add_argument("--moto", default=None, help="moto_server script (default: the one beside python3)")
    p.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    p.add_argument("--duration", type=int, default=5, help="whole seconds of load per workload (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="whole seconds of unmeasured load first (default 1; 0: none)")
    p.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    p.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (default 1)")
    p.add_argument("--server-threads", type=int, default=0, help="terrarium --threads (default: its own)")
    p.add_argument("--cold-runs", type=int, default=10, help="terrarium spawns for cold start (default 10)")
    p.add_argument("--moto-cold-runs", type=int, default=3, help="moto spawns for cold start (default 3)")
    p.add_argument("--start-timeout", type=float, default=60.0, help="seconds a server may take to start")
    p.add_argument("--tmp-dir", default=None, help="where temporary data dirs go (default: the system's)")
    p.add_argument("--skip-moto", action="store_true", help="Terrarium only (moto columns left empty)")
    p.add_argument("--write", action="store_true", help="also write the table to --output")
    p.add_argument("--output", default=str(BENCH_DIR / "results.md"))
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, raise_on_signal)
    signal.signal(signal.SIGHUP, raise_on_signal)
    atexit.register(cleanup)
    try:
        return bench(args)
    except BenchError as e:
        log(f"bench failed: {e}")
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except SystemExit as e:
        log(f"stopped by signal {int(e.code) - 128}" if isinstance(e.code, int) and e.code > 128 else "stopped")
        raise
    finally:
        cleanup()


def bench(args) -> int:
    args.terrarium = os.path.abspath(args.terrarium)
    if not os.access(args.terrarium, os.X_OK):
        raise BenchError(f"{args.terrarium} is not an executable (make build)")
    if not shutil.which(args.wrk):
        raise BenchError("wrk not found (apt-get install wrk)")
    moto_bin = None if args.skip_moto else resolve_moto(args.moto)
    args.log_dir = make_temp_dir(args.tmp_dir, "terrarium-bench-logs-")
    args.load_at_start = " ".join(f"{x:.1f}" for x in os.getloadavg())

    def terrarium_argv(port, data_dir):
        argv = [args.terrarium, "serve", "--host", HOST, "--port", str(port), "--log-level", "warn"]
        argv += ["--data-dir", data_dir] if data_dir else ["--ephemeral"]
        if args.server_threads:
            argv += ["--threads", str(args.server_threads)]
        return argv

    terrarium = Flavor("terrarium", terrarium_argv, health_request)
    terrarium_durable = Flavor("terrarium-durable", terrarium_argv, health_request, durable=True)
    moto = Flavor("moto", lambda port, _d: [moto_bin, "-H", HOST, "-p", str(port)],
                  lambda port: sign(port, GET_CALLER_IDENTITY, b"GetCallerIdentityResult"))

    gci = ("GetCallerIdentity", GET_CALLER_IDENTITY, b"GetCallerIdentityResult")
    assume = ("AssumeRole", ASSUME_ROLE, b"AssumeRoleResult")

    log("cold start and idle RSS")
    t_start = cold_start(args, terrarium, args.cold_runs)
    t_start_durable = cold_start(args, terrarium_durable, max(3, args.cold_runs // 2))
    t_restart_durable = cold_start(args, terrarium_durable, max(3, args.cold_runs // 2), reuse_data_dir=True)
    m_start = None if args.skip_moto else cold_start(args, moto, args.moto_cold_runs)

    log("throughput")
    t_eph = throughput(args, terrarium, [gci, assume])
    t_dur = throughput(args, terrarium_durable, [gci, assume])
    m = {} if args.skip_moto else throughput(args, moto, [gci, assume])

    mg, ma = m.get("GetCallerIdentity"), m.get("AssumeRole")
    dash = "—"
    rows = []

    def load_rows(name: str, t: Load, mo: Load | None, target: str = "") -> None:
        rows.append((f"{name} throughput", fmt_rps(t.rps), fmt_rps(mo.rps) if mo else dash,
                     ratio(t.rps, mo.rps if mo else None), target))
        rows.append((f"{name} latency p50", fmt_ms(t.p50_ms), fmt_ms(mo.p50_ms) if mo else dash,
                     ratio(mo.p50_ms if mo else None, t.p50_ms), ""))
        rows.append((f"{name} latency p99", fmt_ms(t.p99_ms), fmt_ms(mo.p99_ms) if mo else dash,
                     ratio(mo.p99_ms if mo else None, t.p99_ms), ""))
        rows.append((f"{name} server CPU per request", fmt_us(t.server_cpu_us),
                     fmt_us(mo.server_cpu_us) if mo else dash,
                     ratio(mo.server_cpu_us if mo else None, t.server_cpu_us), ""))

    g = t_eph["GetCallerIdentity"]
    gci_target = verdict(g.rps / mg.rps >= TARGET_GCI_RATIO, f">= {TARGET_GCI_RATIO:.0f}x") if mg else dash
    load_rows("GetCallerIdentity (ephemeral)", g, mg, gci_target)
    load_rows("GetCallerIdentity (durable store)", t_dur["GetCallerIdentity"], mg)
    load_rows("AssumeRole (durable: 1 fsync'd commit each)", t_dur["AssumeRole"], ma)
    load_rows("AssumeRole (ephemeral)", t_eph["AssumeRole"], ma)
    rows.append(("cold start, spawn to first 200 (ephemeral)", fmt_ms(t_start.cold_ms),
                 fmt_ms(m_start.cold_ms) if m_start else dash,
                 ratio(m_start.cold_ms if m_start else None, t_start.cold_ms),
                 verdict(t_start.cold_ms < TARGET_COLD_START_MS, f"< {TARGET_COLD_START_MS:.0f} ms")))
    rows.append(("cold start (durable, new data dir)", fmt_ms(t_start_durable.cold_ms),
                 fmt_ms(m_start.cold_ms) if m_start else dash,
                 ratio(m_start.cold_ms if m_start else None, t_start_durable.cold_ms), ""))
    rows.append(("cold start (durable, existing data dir)", fmt_ms(t_restart_durable.cold_ms),
                 fmt_ms(m_start.cold_ms) if m_start else dash,
                 ratio(m_start.cold_ms if m_start else None, t_restart_durable.cold_ms), ""))
    rows.append(("idle RSS (ephemeral)", fmt_mib(t_start.rss_kib), fmt_mib(m_start.rss_kib) if m_start else dash,
                 ratio(m_start.rss_kib if m_start else None, t_start.rss_kib),
                 verdict(t_start.rss_kib / 1024 < TARGET_IDLE_RSS_MIB, f"< {TARGET_IDLE_RSS_MIB:.0f} MiB")))
    rows.append(("idle RSS (durable)", fmt_mib(t_start_durable.rss_kib),
                 fmt_mib(m_start.rss_kib) if m_start else dash,
                 ratio(m_start.rss_kib if m_start else None, t_start_durable.rss_kib), ""))

    notes = []
    d = t_dur["GetCallerIdentity"].rps / g.rps
    notes.append(f"GetCallerIdentity durable/ephemeral throughput: {d:.2f} (it keeps no state, so ~1 is expected)")
    for label, load in [("terrarium GetCallerIdentity", g), ("terrarium durable GetCallerIdentity", t_dur["GetCallerIdentity"]),
                        ("terrarium durable AssumeRole", t_dur["AssumeRole"]),
                        ("terrarium AssumeRole", t_eph["AssumeRole"]),
                        ("moto GetCallerIdentity", mg), ("moto AssumeRole", ma)]:
        if load:
            notes.append(f"{label}: server used {load.server_cores:.2f} cores, wrk {load.wrk_cores:.2f} "
                         "(wrk near 1.00 would mean the load generator is the bottleneck)")
        if load and load.socket_errors:
            notes.append(f"{label}: {load.socket_errors} socket errors (connect/read/write/timeout) "
                         f"during {load.requests} requests: {load.raw['errors']}")

    report = build_report(args, rows, notes)
    print(report, end="")
    if args.write:
        Path(args.output).write_text(report)
        log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
