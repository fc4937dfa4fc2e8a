#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer and/or ThreadSanitizer, each in its own scratch
# path so the ordinary .build is left alone:
#
#   scripts/sanitizers.sh [address|thread|all]     (default: all)
#
# address: swift test --sanitize=address --scratch-path .build-asan
# thread:  swift test --sanitize=thread  --scratch-path .build-tsan
#
# The build runs under /tmp/covenant-build.lock (one Swift build at a time on a shared machine),
# module by module so that no single step holds the lock for long; the tests then run without it.
# Prints each sanitizer's result line and exits non-zero when either fails; the full logs are
# .build-asan/sanitizer-test.log and .build-tsan/sanitizer-test.log.
set -uo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
case "$which" in
  address) selected=(address) ;;
  thread) selected=(thread) ;;
  all) selected=(address thread) ;;
  *) echo "usage: scripts/sanitizers.sh [address|thread|all]" >&2; exit 2 ;;
esac

lock() { if command -v flock >/dev/null 2>&1; then flock /tmp/covenant-build.lock "$@"; else "$@"; fi; }

# Each sanitizer's suppressions are linked into every binary it builds (the runtime asks for
# `__lsan_default_suppressions` / `__tsan_default_suppressions`) rather than passed in LSAN_OPTIONS or
# TSAN_OPTIONS, because the CLI tests run `covenant` with an environment of their own — and a
# child's ~100 KB report on a pipe the test does not read yet hangs that test.
#
# address — LeakSanitizer cannot follow pointers that Swift stores with tag bits (multi-payload
# enums, strings, an object's reference-count word), so reachable memory looks leaked at exit
# (32 "leaks" for `covenant expr 1`). Suppressed, and nothing else:
#   once_slow           objects built by a lazy global's or `static let`'s one-time initializer
#   formWeakReference   weak-reference side tables (found through the object's refcount bits)
#   libXCTest.so        XCTest's own runner objects (the package has no XCTest tests)
# Allocation stacks are kept 100 frames deep so that a lazy initializer far down a stack (a
# convention loaded into a `static let`) is still seen.
#
# thread — ThreadSanitizer does not see the lock of Synchronization's `Mutex` on Linux (Swift
# 6.3.1: two `withLock` calls on one Mutex from two threads are reported as a race; the same code
# with pthread_mutex is clean), so the state kept behind the package's three Mutexes is suppressed:
# TimeZoneDB's zone cache, RegexCache, and Terminal.stdoutClosed (used in Terminal.writeAll). Races
# anywhere else are reported.
sanitizer_defaults() {
  local sanitizer=$1 dir=$2
  case "$sanitizer" in
    address) printf '%s\n' \
      'const char *__lsan_default_suppressions(void) {' \
      '  return "leak:swift::threading_impl::once_slow\n" "leak:formWeakReference\n" "leak:libXCTest.so\n";' \
      '}' \
      'const char *__lsan_default_options(void) { return "print_suppressions=0"; }' \
      'const char *__asan_default_options(void) { return "malloc_context_size=100"; }' ;;
    thread) printf '%s\n' \
      'const char *__tsan_default_suppressions(void) {' \
      '  return "race:CovenantCEL10TimeZoneDB\n" "race:CovenantCEL10RegexCache\n" "race:TerminalO8writeAll\n";' \
      '}' ;;
  esac >"$dir/sanitizer-defaults.c"
  clang -c -fPIC -O1 -o "$dir/sanitizer-defaults.o" "$dir/sanitizer-defaults.c"
}

# Library modules first, in dependency order, then everything with the tests. (A step that fails —
# a module renamed, say — only ends the steps early: the full build after them is what counts.)
steps=(CovenantSource CovenantCEL CovenantYAML CovenantModel CovenantLoader CovenantIO CovenantEngine CovenantReports
       CovenantLedger)

declare -A result
status=0
for s in "${selected[@]}"; do
  case "$s" in address) scratch=.build-asan ;; thread) scratch=.build-tsan ;; esac
  mkdir -p "$scratch"
  log=$scratch/sanitizer-test.log
  flags=(--sanitize="$s" --scratch-path "$scratch")
  sanitizer_defaults "$s" "$scratch" || { result[$s]="could not compile $scratch/sanitizer-defaults.c"; status=1; continue; }
  flags+=(-Xlinker "$PWD/$scratch/sanitizer-defaults.o")
  echo "=== $s sanitizer (scratch path $scratch)"
  start=$(date +%s)
  built=1
  for t in "${steps[@]}"; do
    echo "+ swift build ${flags[*]} --target $t"
    if ! lock swift build "${flags[@]}" --target "$t" >"$scratch/build-$t.log" 2>&1; then
      echo "(building $t alone failed; see $scratch/build-$t.log — going on with the full build)"; break
    fi
  done
  echo "+ swift build ${flags[*]} --build-tests"
  if ! lock swift build "${flags[@]}" --build-tests >"$scratch/build-tests.log" 2>&1; then
    grep -E "error:" "$scratch/build-tests.log" | head -20; tail -5 "$scratch/build-tests.log"; built=0
  fi
  if ! ((built)); then
    result[$s]="build failed (see $scratch/build-*.log)"
    status=1
    continue
  fi
  echo "build: $(( $(date +%s) - start ))s"
  echo "+ swift test ${flags[*]} --skip-build"
  start=$(date +%s)
  # halt_on_error: the first report fails the run, with its stack, instead of scrolling past.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}" \
  TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}" \
    swift test "${flags[@]}" --skip-build >"$log" 2>&1
  code=$?
  echo "tests: $(( $(date +%s) - start ))s, exit $code"
  # Swift Testing's and XCTest's summary lines.
  grep -E "^(✔|✘|􁁛|􀢄)? ?Test run with .* (passed|failed)|Executed [0-9]+ tests?, with" "$log" | tail -3
  if [ "$code" -ne 0 ]; then
    status=1
    echo "--- $s: failures and sanitizer reports"
    grep -nE "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|SUMMARY: |✘ Test|􀢄 Test|error: .*failed|Fatal error" "$log" | head -40
    awk '/^==[0-9]+==ERROR|^WARNING: ThreadSanitizer/ {p=1; n=0} p && n < 60 {print; n++}' "$log" | head -150
    result[$s]="FAILED (exit $code; log: $log)"
  else
    result[$s]="passed (log: $log)"
  fi
done

echo "=== sanitizer summary"
for s in "${selected[@]}"; do echo "$s: ${result[$s]}"; done
exit "$status"
