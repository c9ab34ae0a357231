#!/bin/sh
# Builds the libFuzzer targets (tests/fuzz/*.cpp) with clang, ASan and UBSan,
# runs each for FUZZ_SECONDS from its seed corpus, and fails if any crashes.
#
#   tests/fuzz/run_fuzzers.sh <build-dir>
#
# Environment:
#   FUZZ_SECONDS  time per target (default 15)
#   FUZZ_TARGETS  space-separated subset to run (default: every target)
#   JOBS          build parallelism (default: nproc)
#
# The seed corpus in the repository is never written to: each run starts from
# a scratch copy. Crash inputs are kept in <build-dir>/fuzz-artifacts/<target>/
# and full logs in <build-dir>/fuzz-logs/<target>.log. To reproduce a crash:
#   <build-dir>/<target> <build-dir>/fuzz-artifacts/<target>/crash-...
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 <build-dir>" >&2
  exit 2
fi
REPO=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1"
BUILD=$(cd "$1" && pwd)
SECONDS_PER_TARGET=${FUZZ_SECONDS:-15}
JOBS=${JOBS:-$(nproc)}

for tool in clang clang++ cmake ninja; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run_fuzzers: $tool not found (tools/install_deps.sh installs clang and libclang-rt-14-dev)" >&2
    exit 2
  fi
done

# Inputs longer than this teach the fuzzer nothing about these parsers and
# slow it down; the HTTP front end and the dispatcher need room for headers.
max_len() {
  case "$1" in
    fuzz_http_front|fuzz_dispatcher|fuzz_json|fuzz_rest_json|fuzz_rest_xml|fuzz_policy) echo 4096 ;;
    *) echo 2048 ;;
  esac
}

# The targets are the sources, as CMake globs them.
if [ -n "${FUZZ_TARGETS:-}" ]; then
  TARGETS=$FUZZ_TARGETS
else
  TARGETS=""
  for src in "$REPO"/tests/fuzz/*.cpp; do
    TARGETS="$TARGETS $(basename "$src" .cpp)"
  done
fi

start=$(date +%s)
CC=clang CXX=clang++ cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTERRARIUM_FUZZ=ON -DTERRARIUM_TESTS=OFF >"$BUILD/fuzz-configure.log" 2>&1 || {
  cat "$BUILD/fuzz-configure.log" >&2
  exit 1
}
# shellcheck disable=SC2086  # TARGETS is a word list
ninja -C "$BUILD" -j "$JOBS" $TARGETS
built=$(date +%s)

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/terrarium-fuzz.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$BUILD/fuzz-logs"

failed=""
summary=""
for target in $TARGETS; do
  corpus="$SCRATCH/$target"
  artifacts="$BUILD/fuzz-artifacts/$target"
  log="$BUILD/fuzz-logs/$target.log"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "$REPO/tests/fuzz/corpus/$target" ]; then
    cp -R "$REPO/tests/fuzz/corpus/$target/." "$corpus/"
  fi
  echo "== $target: ${SECONDS_PER_TARGET}s, max_len $(max_len "$target")"
  touch "$SCRATCH/started-$target"
  status=0
  # The outer timeout only guards against libFuzzer itself wedging.
  timeout -k 10 $((SECONDS_PER_TARGET + 120)) "$BUILD/$target" "$corpus" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len="$(max_len "$target")" -timeout=25 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
  line=$(printf '%-24s %10s execs %8s exec/s  cov %6s' "$target" "${runs:-?}" "${rate:-?}" "${cov:-?}")
  if [ "$status" -ne 0 ]; then
    line="$line  FAILED (exit $status)"
    failed="$failed $target"
    echo "-- $target failed; the end of $log:"
    tail -n 60 "$log"
    find "$artifacts" -type f -newer "$SCRATCH/started-$target" | sed 's|^|   artifact: |'
  fi
  echo "$line"
  summary="$summary$line
"
done

end=$(date +%s)
echo
echo "== fuzz summary (build $((built - start))s, fuzzing $((end - built))s)"
printf '%s' "$summary"
if [ -n "$failed" ]; then
  echo "FAILED:$failed" >&2
  exit 1
fi
echo "all fuzz targets ran clean"
