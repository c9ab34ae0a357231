#!/usr/bin/env python3
"""The cost of --enforce-iam, side by side in one run.

Starts Terrarium three times (default; --verify-signatures; --enforce-iam),
each ephemeral, and moto's server once, and replays on each, signed by an
IAM user `bench` whose inline policy allows iam:GetUser on itself:
  - STS GetCallerIdentity (AWS requires no permission: only the signature);
  - IAM GetUser UserName=bench (the full decision: identity policies, SCPs).
Reports req/s and p50/p99 for each, the throughput enforcement costs against
the default server (target: under 10%), and the ratio to moto.

    python3 bench/enforcement.py --terrarium build/terrarium [--write]
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import sys

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the shared machinery of bench/run.py)

GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15"
GET_USER = "Action=GetUser&Version=2010-05-08&UserName=bench"
TARGET_LOSS = 0.10


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


def measure(args, flavor: run.Flavor) -> dict[str, run.Load]:
    server = run.Running(flavor, args.tmp_dir, args.log_dir)
    try:
        server.wait_ready(args.start_timeout)
        key = make_bench_user(server.port)
        results = {}
        for label, body, service, expect in (
                ("GetCallerIdentity", GET_CALLER_IDENTITY, "sts", b"GetCallerIdentityResult"),
                ("GetUser", GET_USER, "iam", b"GetUserResult")):
            request = run.sign(server.port, body, expect, service=service, key=key)
            run.check_answer(server.port, request)
            if args.warmup > 0:
                run.run_wrk(args, server.port, request, args.warmup, f"{flavor.name} {label} (warm-up)",
                            server.proc.pid)
            results[label] = run.run_wrk(args, server.port, request, args.duration, f"{flavor.name} {label}",
                                         server.proc.pid)
        return results
    finally:
        server.stop()


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

    flavors = [terrarium("terrarium"), terrarium("terrarium --verify-signatures", "--verify-signatures"),
               terrarium("terrarium --enforce-iam", "--enforce-iam")]
    if not args.skip_moto:
        moto_bin = run.resolve_moto(args.moto)
        flavors.append(run.Flavor("moto", lambda port, _d: [moto_bin, "-H", run.HOST, "-p", str(port)],
                                  lambda port: run.sign(port, GET_CALLER_IDENTITY, b"GetCallerIdentityResult")))
    results = {f.name: measure(args, f) for f in flavors}

    base = results["terrarium"]
    moto = results.get("moto")
    rows = []
    for op in ("GetCallerIdentity", "GetUser"):
        for name, loads in results.items():
            load = loads[op]
            loss = "" if name in ("terrarium", "moto") else f"{(1 - load.rps / base[op].rps) * 100:.1f}%"
            target = ""
            if name == "terrarium --enforce-iam":
                target = run.verdict(load.rps >= base[op].rps * (1 - TARGET_LOSS), f"< {TARGET_LOSS:.0%} lost")
            vs_moto = run.ratio(load.rps, moto[op].rps) if moto and name != "moto" else ""
            rows.append(f"| {op} | {name} | {run.fmt_rps(load.rps)} | {run.fmt_ms(load.p50_ms)} | "
                        f"{run.fmt_ms(load.p99_ms)} | {run.fmt_us(load.server_cpu_us)} | {loss} | {vs_moto} | {target} |")
    table = "\n".join([
        "| operation | server | throughput | p50 | p99 | server CPU/request | lost vs default | vs moto | target |",
        "|---|---|---|---|---|---|---|---|---|", *rows])
    report = (f"# The cost of --enforce-iam\n\n`python3 bench/enforcement.py` on {run.platform.node()}, "
              f"{os.cpu_count()} cores, load average at start {args.load_at_start}; wrk -t{args.wrk_threads} "
              f"-c{args.connections} -d{args.duration}s, each request signed by IAM user `bench`.\n\n{table}\n")
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
    args = run.parse_args()
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
