#!/usr/bin/env bash
# Builds a libFuzzer target (Sources/Fuzz/<TARGET>) with -sanitize=fuzzer,address and runs it for
# SECONDS on a copy of its seed corpus (Fuzz/corpus/<TARGET>) plus its regression inputs
# (Fuzz/regressions/<TARGET>), so the corpus in the repository is never changed.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags…]   TARGET: FuzzYAML FuzzLoader FuzzExpression FuzzIncidents
#   scripts/fuzz.sh all SECONDS [libFuzzer flags…]      every target, one after the other
#
# Exits non-zero when libFuzzer reports a crash, a leak, a timeout (-timeout=10) or running out of
# memory (-rss_limit_mb=2048). Findings are kept in .build-fuzz/findings/<TARGET>/ with the command
# that reproduces them; minimize one with
#   .build-fuzz/release/<TARGET> -minimize_crash=1 -runs=10000 -exact_artifact_path=min.bin <artifact>
# and save it as Fuzz/regressions/<TARGET>/<name> (Tests/CovenantEngineTests/FuzzRegressionTests.swift
# replays every file there without a sanitizer).
#
# Environment: FUZZ_KEEP_CORPUS=1 keeps the grown corpus (its path is printed); FUZZ_SKIP_BUILD=1
# runs the binaries already in .build-fuzz.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

targets=(FuzzYAML FuzzLoader FuzzExpression FuzzIncidents)
usage() { echo "usage: scripts/fuzz.sh ($(IFS='|'; echo "${targets[*]}")|all) SECONDS [libFuzzer flags…]" >&2; exit 2; }
[ $# -ge 2 ] || usage
target=$1
seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
if [ "$target" = all ]; then
  selected=("${targets[@]}")
else
  [[ " ${targets[*]} " == *" $target "* ]] || usage
  selected=("$target")
fi

scratch=.build-fuzz
bin_dir=$root/$scratch/release
lock() { if command -v flock >/dev/null 2>&1; then flock /tmp/covenant-build.lock "$@"; else "$@"; fi; }

build() {
  local t=$1
  # The fuzz targets are in the package only with COVENANT_FUZZ set (see the end of Package.swift);
  # -sanitize=fuzzer,address instruments every module of the target (coverage, comparisons, ASan)
  # and links libFuzzer, whose driver the target's main hands over to (Sources/Fuzz/CFuzzDriver).
  local cmd=(swift build -c release --scratch-path "$scratch" --product "$t" -Xswiftc -sanitize=fuzzer,address)
  echo "+ COVENANT_FUZZ=1 ${cmd[*]}"
  local log
  log=$(mktemp)
  if ! COVENANT_FUZZ=1 lock "${cmd[@]}" >"$log" 2>&1; then
    grep -v "ld.gold: warning: Cannot export local symbol" "$log" | tail -40
    rm -f "$log"
    echo "fuzz: building $t failed" >&2
    return 1
  fi
  grep -E "warning:|Build of product" "$log" | grep -v "ld.gold: warning: Cannot export local symbol" | tail -5
  rm -f "$log"
}

declare -A result
status=0
for t in "${selected[@]}"; do
  echo "=== $t: ${seconds}s"
  if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    build "$t" || { result[$t]="build failed"; status=1; continue; }
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/covenant-fuzz-$t.XXXXXX")
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -R "Fuzz/corpus/$t/." "$work/corpus/" 2>/dev/null || true
  if [ -d "Fuzz/regressions/$t" ]; then
    find "Fuzz/regressions/$t" -maxdepth 1 -type f ! -name 'README*' -exec cp {} "$work/corpus/" \;
  fi
  seeds=$(find "$work/corpus" -type f | wc -l)
  extra=()
  [ -f "Fuzz/dict/$t.dict" ] && extra+=(-dict="$root/Fuzz/dict/$t.dict")
  # Longest generated input: the few large hostile seeds are replayed whole by the tests, but
  # mutating 100 KB inputs four formats at a time would cut FuzzIncidents to a few dozen runs a
  # second. A later -max_len among the flags given to this script wins.
  case "$t" in
    FuzzIncidents) extra+=(-max_len=8192) ;;
    FuzzYAML) extra+=(-max_len=16384) ;;
  esac
  # LeakSanitizer cannot follow pointers that Swift stores with tag bits (multi-payload enums,
  # strings, an object's reference-count word), so reachable memory can look leaked. Suppressed, and
  # nothing else: objects built by a lazy global's one-time initializer (they live for the whole
  # process by design) and weak-reference side tables. Every other unreachable allocation — a
  # retain cycle, say — is reported. (scripts/sanitizers.sh suppresses the same.)
  printf 'leak:swift::threading_impl::once_slow\nleak:formWeakReference\n' >"$work/lsan.supp"
  # SWIFT_BACKTRACE=enable=no: libFuzzer and ASan report crashes themselves (the Swift backtracer
  # would hold the process for its own report). Deterministic hashing keeps runs reproducible.
  run=(env SWIFT_BACKTRACE=enable=no SWIFT_DETERMINISTIC_HASHING=1 "ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:malloc_context_size=100}"
       "LSAN_OPTIONS=suppressions=$work/lsan.supp:print_suppressions=0"
       "$bin_dir/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
       -artifact_prefix="$work/artifacts/" "${extra[@]}" "$@" "$work/corpus")
  echo "+ ${run[*]}   ($seeds seed inputs)"
  start=$(date +%s)
  "${run[@]}" >"$work/fuzz.log" 2>&1
  code=$?
  elapsed=$(( $(date +%s) - start ))
  grep -E "^INFO: (Seed|Loaded [0-9]+ (modules|PC))|^Dictionary:|^#[0-9]+[[:space:]]+INITED" "$work/fuzz.log" | head -5
  grep -E "^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)" "$work/fuzz.log" | tail -1
  grep -E "^stat::" "$work/fuzz.log"
  grown=$(( $(find "$work/corpus" -type f | wc -l) - seeds ))
  # Inputs slower than -report_slow_units (10 s) are not failures, but worth a look: keep them.
  mapfile -t slow < <(find "$work/artifacts" -type f -name 'slow-unit-*' | sort)
  if [ ${#slow[@]} -gt 0 ]; then
    mkdir -p "$root/$scratch/findings/$t"
    for f in "${slow[@]}"; do
      cp "$f" "$root/$scratch/findings/$t/"
      echo "slow input (not a failure): $root/$scratch/findings/$t/$(basename "$f")"
    done
  fi
  mapfile -t found < <(find "$work/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
  if [ "$code" -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
    status=1
    keep=$root/$scratch/findings/$t
    mkdir -p "$keep"
    echo "--- $t FAILED (exit $code after ${elapsed}s); libFuzzer's report:"
    # The report: from the sanitizer's or libFuzzer's first error line, stack included.
    awk '/^==[0-9]+==ERROR|^==[0-9]+== ERROR|ERROR: libFuzzer|Fatal error:|deadly signal|^ALARM|out-of-memory/ {p=1} p' "$work/fuzz.log" | head -120
    for f in "${found[@]}"; do
      cp "$f" "$keep/"
      echo "finding: $keep/$(basename "$f")"
      echo "  reproduce: SWIFT_BACKTRACE=enable=no $bin_dir/$t $keep/$(basename "$f")"
    done
    cp "$work/fuzz.log" "$keep/fuzz-$(date +%Y%m%d-%H%M%S).log"
    result[$t]="FAILED (exit $code, ${#found[@]} finding(s) in $keep)"
  else
    result[$t]="ok (${elapsed}s, $(grep -E '^stat::number_of_executed_units' "$work/fuzz.log" | awk '{print $2}') runs, $grown new corpus inputs)"
  fi
  if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then echo "grown corpus kept in $work/corpus"; rm -rf "$work/artifacts"; else rm -rf "$work"; fi
done

echo "=== fuzz summary (${seconds}s per target)"
for t in "${selected[@]}"; do echo "$t: ${result[$t]}"; done
exit "$status"
