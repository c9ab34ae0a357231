-- wrk script for bench/run.py: replays one pre-signed AWS request.
--
-- run.py signs the request once (botocore's SigV4Auth) and hands it over in
-- the environment, so this file stays static:
--   BENCH_METHOD   HTTP method (POST)
--   BENCH_PATH     request target (/)
--   BENCH_BODY     the body (Action=GetCallerIdentity&Version=2011-06-15)
--   BENCH_HEADERS  the signed headers, one "Name: value" per line
--
-- No request() function is defined on purpose: wrk then formats the request
-- once and writes the same bytes on every call, so the load generator costs
-- almost nothing per request. Likewise no response() hook: it would make wrk
-- hand every response's headers and body to Lua. wrk already counts answers
-- with a status above 399 (summary.errors.status), and run.py checks one
-- answer for a 200 and the expected result element before benchmarking.

wrk.method = os.getenv("BENCH_METHOD") or "POST"
wrk.path = os.getenv("BENCH_PATH") or "/"
wrk.body = os.getenv("BENCH_BODY") or ""
wrk.headers = {}
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end

-- One JSON line, prefixed so run.py can find it among wrk's own report.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
