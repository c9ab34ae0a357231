#!/usr/bin/env python3
"""Runs AWS's protocol test vectors against our parsers and serializers.

input cases:  our parser, given the serialized request, must yield `params`.
output cases: our serializer, given `result` (or the error), must produce a
              response that botocore's own parser turns back into `result`.

Usage: run_conformance.py <protocol_conformance binary> [--family F] [-v]
Prints pass counts per family; exits 1 when a case fails that is not listed
in exclusions.txt (one line each: direction family case-id reason).
"""
import argparse
import base64
import datetime
import json
import math
import os
import subprocess
import sys

import botocore.model
import botocore.parsers
from botocore.awsrequest import HTTPHeaders
from botocore.utils import parse_timestamp

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("TERRARIUM_SHARED_DIR",
                        os.path.join(HERE, "..", "..", "..", "shared"))
VECTORS = os.path.join(SHARED, "protocol-tests")
FAMILIES = ["query", "ec2", "json", "json_1_0", "json_1_0-query-compatible",
            "rest-json", "rest-xml", "smithy-rpc-v2-cbor",
            "smithy-rpc-v2-cbor-query-compatible",
            "smithy-rpc-v2-cbor-non-query-compatible"]


def load_exclusions():
    excluded = {}
    path = os.path.join(HERE, "exclusions.txt")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                direction, family, case_id, reason = line.split(None, 3)
                excluded[(direction, family, case_id)] = reason
    return excluded


def same(got, want, path="$"):
    """None when equal (numbers by value, bytes as text), else where they differ."""
    # The vectors spell non-finite floats as strings; Values hold doubles.
    if isinstance(want, str) and want in ("NaN", "Infinity", "-Infinity") and isinstance(got, float):
        want = float(want.replace("Infinity", "inf"))
    if isinstance(want, bool) or isinstance(got, bool):
        return None if got is want else f"{path}: {got!r} != {want!r}"
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        if isinstance(want, float) and math.isnan(want):
            return None if isinstance(got, float) and math.isnan(got) else f"{path}: {got!r} != NaN"
        return None if math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9) else f"{path}: {got!r} != {want!r}"
    if isinstance(got, bytes):
        got = got.decode("utf-8", "surrogateescape")
    if isinstance(want, bytes):
        want = want.decode("utf-8", "surrogateescape")
    if isinstance(want, dict) and isinstance(got, dict):
        # A null param is never sent, so no server can see it.
        want = {k: v for k, v in want.items() if v is not None}
        if set(got) != set(want):
            return f"{path}: keys {sorted(got)} != {sorted(want)}"
        for k in want:
            d = same(got[k], want[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return f"{path}: length {len(got)} != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            d = same(g, w, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if got == want else f"{path}: {got!r} != {want!r}"


def epoch(value):
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return value


def normalize_parsed(value):
    if isinstance(value, dict):
        return {k: normalize_parsed(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [normalize_parsed(v) for v in value]
    if hasattr(value, "read"):  # streaming body
        return value.read()
    return epoch(value)


def run_binary(binary, direction, path):
    out = subprocess.run([binary, direction, path], capture_output=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{binary} {direction} {path} failed: {out.stderr.decode()[-2000:]}")
    text = out.stdout.decode("utf-8", "surrogateescape")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def check_input(suite, case, line):
    if "error" in line:
        return "parser raised " + line["error"]
    return same(line["params"], case.get("params", {}))


def check_output(suite, case, line):
    if "error" in line:
        return "serializer raised " + line["error"]
    model = botocore.model.ServiceModel({
        "metadata": suite["metadata"], "shapes": suite.get("shapes", {}),
        "operations": {case["given"]["name"]: case["given"]}})
    op = model.operation_model(case["given"]["name"])
    protocol = suite["metadata"]["protocol"]
    parser = botocore.parsers.PROTOCOL_PARSERS[protocol](
        timestamp_parser=lambda v: parse_timestamp(v).timestamp()
        if not isinstance(v, (int, float)) else v)
    headers = HTTPHeaders()
    for k, v in line["headers"].items():
        headers[k] = v
    response = {"status_code": line["status"], "headers": headers,
                "body": base64.b64decode(line["body_b64"])}
    if "errorCode" in case:
        parsed = normalize_parsed(parser.parse(response, op.output_shape))
        error = parsed.get("Error", {})
        if error.get("Code") != case["errorCode"]:
            return f"error code {error.get('Code')!r} != {case['errorCode']!r}"
        if "errorMessage" in case and error.get("Message", "") != case["errorMessage"]:
            return f"error message {error.get('Message')!r} != {case['errorMessage']!r}"
        error_shape = model.shape_for_error_code(case["errorCode"]) if hasattr(
            model, "shape_for_error_code") else None
        if error_shape is not None:
            modeled = normalize_parsed(parser.parse(response, error_shape))
            for k, v in case.get("error", {}).items():
                if k in ("Code", "Message", "message"):
                    continue
                d = same(modeled.get(k), v, f"$.{k}")
                if d:
                    return d
        return None
    parsed = normalize_parsed(parser.parse(response, op.output_shape))
    return same(parsed, case.get("result", {}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--family", action="append")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(VECTORS):
        print(f"SKIP: protocol test vectors not found at {VECTORS}")
        return 0
    excluded = load_exclusions()
    failures = 0
    for family in args.family or FAMILIES:
        counts = []
        for direction, check in (("input", check_input), ("output", check_output)):
            path = os.path.join(VECTORS, direction, family + ".json")
            if not os.path.exists(path):
                continue
            suites = json.load(open(path, encoding="utf-8"))
            passed = skipped = total = 0
            for line in run_binary(args.binary, direction, path):
                suite = suites[line["suite"]]
                case = suite["cases"][line["case"]]
                total += 1
                case_id = case.get("id", f"{line['suite']}.{line['case']}")
                try:
                    diff = check(suite, case, line)
                except Exception as e:  # botocore could not parse our bytes
                    diff = f"botocore raised {type(e).__name__}: {e}"
                if diff is None:
                    passed += 1
                elif (direction, family, case_id) in excluded:
                    skipped += 1
                else:
                    failures += 1
                    if args.verbose:
                        print(f"FAIL {direction} {family} {case_id}: {diff}")
            counts.append(f"{direction} {passed}/{total}" + (f" ({skipped} excluded)" if skipped else ""))
        print(f"{family:42s} " + ", ".join(counts))
    print("all cases pass" if failures == 0 else f"{failures} failing cases")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
