#!/usr/bin/env python3
"""The cost of --enforce-iam, side by side in one run.

Starts Terrarium four times (default; the same again, as a control;
--verify-signatures; --enforce-iam), each ephemeral, and moto's server
once, and replays on each, signed by an IAM user `bench` whose inline
policy allows iam:GetUser on itself:
  - STS GetCallerIdentity (AWS requires no permission: only the signature);
  - IAM GetUser UserName=bench (the full decision: identity policies, SCPs).
Reports req/s and p50/p99 for each, the throughput enforcement costs against
the default server (target: under 10%), and the ratio to moto.

Terrarium's servers run side by side and are measured in --rounds rounds
(default 60, of --duration seconds each; default here 1), each in a rotated
order, and each round's loss is taken against that round's default server.
On a shared VM one round's loss can be off by 10 points either way, whatever
its length, so many short rounds measure better than a few long ones. A
second default server, the control, is measured like the others: its "loss"
is the noise of the measurement. The loss is given twice, from throughput
and from the server's CPU time per request (which a CPU-bound server's
throughput follows, and which time the hypervisor steals does not inflate).
The table gives the medians with a 95% confidence interval for each, taken
from the rounds' order statistics (no assumption about the noise's shape).
The target is met when the whole interval lies under it, missed when the
whole interval lies over it, and undecided otherwise.

    python3 bench/enforcement.py --terrarium build/terrarium [--rounds N] [--write]
"""
from __future__ import annotations

import argparse
import atexit
import json
import math
import os
import signal
import statistics
import sys

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the shared machinery of bench/run.py)

GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15"
GET_USER = "Action=GetUser&Version=2010-05-08&UserName=bench"
TARGET_LOSS = 0.10
DEFAULT = "terrarium"
CONTROL = "terrarium (control: default again)"


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float]:
    """A distribution-free confidence interval for the median of `values`.

    The number of rounds below the true median is Binomial(n, 1/2), so order
    statistics j and n-1-j (from 0) enclose it with probability
    1 - 2 P(B <= j); j is the largest that keeps that at `confidence` or more.
    """
    xs = sorted(values)
    n = len(xs)
    tail, j = 0.0, -1
    for i in range(n):
        tail += math.comb(n, i) / 2 ** n
        if tail > (1 - confidence) / 2:
            break
        j = i
    if j < 0:  # too few rounds for that confidence: the whole range
        return xs[0], xs[-1]
    return xs[j], xs[n - 1 - j]


def make_bench_user(port: int) -> tuple[str, str]:
    """As the account's root: user bench, allowed iam:GetUser on itself, and its key."""
    iam = boto3.client("iam", endpoint_url=f"http://{run.HOST}:{port}", region_name=run.REGION,
                       aws_access_key_id="test", aws_secret_access_key="test")
    iam.create_user(UserName="bench")
    iam.put_user_policy(UserName="bench", PolicyName="self", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:GetUser",
                       "Resource": "arn:aws:iam::*:user/${aws:username}"}]}))
    key = iam.create_access_key(UserName="bench")["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


OPERATIONS = (("GetCallerIdentity", GET_CALLER_IDENTITY, "sts", b"GetCallerIdentityResult"),
              ("GetUser", GET_USER, "iam", b"GetUserResult"))


class Target:
    """One running server with its user `bench`."""

    def __init__(self, args, flavor: run.Flavor):
        self.name = flavor.name
        self.server = run.Running(flavor, args.tmp_dir, args.log_dir)
        self.server.wait_ready(args.start_timeout)
        self.key = make_bench_user(self.server.port)

    def load(self, args, op: str, duration: int) -> run.Load:
        _, body, service, expect = next(o for o in OPERATIONS if o[0] == op)
        # Signed afresh each time: a long run must not outlive SigV4's 15-minute window.
        request = run.sign(self.server.port, body, expect, service=service, key=self.key)
        run.check_answer(self.server.port, request)
        return run.run_wrk(args, self.server.port, request, duration, f"{self.name} {op}", self.server.proc.pid)

    def stop(self):
        self.server.stop()


def bench(args) -> int:
    args.terrarium = os.path.abspath(args.terrarium)
    args.log_dir = run.make_temp_dir(args.tmp_dir, "terrarium-bench-logs-")
    args.load_at_start = " ".join(f"{x:.1f}" for x in os.getloadavg())

    def terrarium(name, *flags):
        def argv(port, _data_dir):
            out = [args.terrarium, "serve", "--host", run.HOST, "--port", str(port), "--log-level", "warn",
                   "--ephemeral", *flags]
            return out + (["--threads", str(args.server_threads)] if args.server_threads else [])
        return run.Flavor(name, argv, run.health_request)

    flavors = [terrarium(DEFAULT), terrarium(CONTROL),
               terrarium("terrarium --verify-signatures", "--verify-signatures"),
               terrarium("terrarium --enforce-iam", "--enforce-iam")]
    ops = [op for op, *_ in OPERATIONS]
    targets: list[Target] = []
    rounds: list[dict[str, dict[str, run.Load]]] = [{f.name: {} for f in flavors} for _ in range(args.rounds)]
    moto = None
    try:
        for flavor in flavors:
            targets.append(Target(args, flavor))
        if args.warmup > 0:
            for target in targets:
                for op in ops:
                    target.load(args, op, args.warmup)
        # The servers run side by side, idle but for the one under load, so
        # each round compares them within seconds of each other.
        for i in range(args.rounds):
            order = targets[i % len(targets):] + targets[:i % len(targets)]
            run.log(f"round {i + 1} of {args.rounds}: {', '.join(t.name for t in order)}")
            for op in ops:
                for target in order:
                    rounds[i][target.name][op] = target.load(args, op, args.duration)
        if not args.skip_moto:
            moto_bin = run.resolve_moto(args.moto)
            targets.append(Target(args, run.Flavor(
                "moto", lambda port, _d: [moto_bin, "-H", run.HOST, "-p", str(port)],
                lambda port: run.sign(port, GET_CALLER_IDENTITY, b"GetCallerIdentityResult"))))
            moto = {op: targets[-1].load(args, op, args.duration) for op in ops}
    finally:
        for target in targets:
            target.stop()

    def median_load(name: str, op: str) -> run.Load:
        loads = sorted((r[name][op] for r in rounds), key=lambda load: load.rps)
        return loads[len(loads) // 2]

    def losses(name: str, op: str) -> tuple[list[float], list[float]]:
        """Per round: lost throughput, and lost throughput as CPU per request predicts it."""
        by_rps = [1 - r[name][op].rps / r[DEFAULT][op].rps for r in rounds]
        by_cpu = [1 - r[DEFAULT][op].server_cpu_us / r[name][op].server_cpu_us for r in rounds]
        return by_rps, by_cpu

    def fmt_loss(values: list[float]) -> str:
        low, high = median_interval(values)
        return f"{statistics.median(values) * 100:.1f}% ({low * 100:.1f} to {high * 100:.1f})"

    def target_verdict(values: list[float]) -> str:
        low, high = median_interval(values)
        text = f"< {TARGET_LOSS:.0%} lost"
        if high < TARGET_LOSS:
            return f"PASS ({text})"
        if low >= TARGET_LOSS:
            return f"MISS ({text})"
        return f"UNDECIDED ({text}: the interval spans it)"

    rows = []
    for op in ops:
        for flavor in flavors:
            name = flavor.name
            load = median_load(name, op)
            loss = cpu_loss = verdict = ""
            if name != DEFAULT:
                by_rps, by_cpu = losses(name, op)
                loss, cpu_loss = fmt_loss(by_rps), fmt_loss(by_cpu)
                if name == "terrarium --enforce-iam":
                    verdict = target_verdict(by_rps)
            vs_moto = run.ratio(load.rps, moto[op].rps) if moto else ""
            rows.append(f"| {op} | {name} | {run.fmt_rps(load.rps)} | {run.fmt_ms(load.p50_ms)} | "
                        f"{run.fmt_ms(load.p99_ms)} | {run.fmt_us(load.server_cpu_us)} | {loss} | {cpu_loss} | "
                        f"{vs_moto} | {verdict} |")
        if moto:
            load = moto[op]
            rows.append(f"| {op} | moto | {run.fmt_rps(load.rps)} | {run.fmt_ms(load.p50_ms)} | "
                        f"{run.fmt_ms(load.p99_ms)} | {run.fmt_us(load.server_cpu_us)} |  |  |  |  |")
    table = "\n".join([
        "| operation | server | throughput | p50 | p99 | server CPU/request | throughput lost vs default (95% CI) "
        "| lost, from CPU/request (95% CI) | vs moto | target |",
        "|---|---|---|---|---|---|---|---|---|---|", *rows])
    report = (f"# The cost of --enforce-iam\n\n`python3 bench/enforcement.py` on {run.platform.node()}, "
              f"{os.cpu_count()} cores, load average at start {args.load_at_start}; wrk -t{args.wrk_threads} "
              f"-c{args.connections} -d{args.duration}s, each request signed by IAM user `bench`; "
              f"Terrarium's rows are medians of {args.rounds} rounds.\n\n{table}\n")
    print(report)
    if args.write:
        # The analysis written below the table by hand survives a new table.
        kept = ""
        if os.path.exists(args.output):
            with open(args.output) as f:
                old = f.read()
            at = old.find("\n## ")
            kept = old[at:] if at >= 0 else ""
        with open(args.output, "w") as f:
            f.write(report + kept)
    return 0


def main() -> int:
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--rounds", type=int, default=60, help="rounds of Terrarium's servers (default 60)")
    ours, rest = own.parse_known_args()
    if not any(a == "--duration" or a.startswith("--duration=") for a in rest):
        rest += ["--duration", "1"]  # short rounds, many of them: the noise averages out
    args = run.parse_args(rest)
    args.rounds = max(1, ours.rounds)
    if args.output == str(run.BENCH_DIR / "results.md"):
        args.output = str(run.BENCH_DIR / "enforcement.md")
    signal.signal(signal.SIGTERM, run.raise_on_signal)
    atexit.register(run.cleanup)
    try:
        return bench(args)
    except run.BenchError as e:
        run.log(f"bench failed: {e}")
        return 1
    finally:
        run.cleanup()


if __name__ == "__main__":
    sys.exit(main())
