#!/usr/bin/env bash
# The main job on the bundled rules/ and samples/: check the conventions, run their rule tests,
# judge a quarter of incidents, tally them, name the role models and write the committee report.
# Usage: scripts/demo.sh [--lang zh|en]
set -euo pipefail
cd "$(dirname "$0")/.."
lang=${2:-${LANG_OVERRIDE:-}}
[ "${1:-}" = "--lang" ] && lang=$2
args=()
[ -n "$lang" ] && args=(--lang "$lang")

swift build -c release --product covenant >/dev/null
covenant=.build/release/covenant
out=${OUT:-/tmp/covenant-demo}
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }

step "covenant check rules/"
$covenant check "${args[@]}" rules/

step "covenant test rules/ --coverage"
$covenant test "${args[@]}" rules/ --coverage | tail -3

step "covenant validate (one grid worker's report)"
$covenant validate "${args[@]}" -r rules/zh samples/incidents/one-incident.yaml || [ $? -eq 1 ]

step "covenant eval (Q3 2026, with Q2 as history) → $out/verdicts.ndjson"
$covenant eval "${args[@]}" -r rules/zh --roster samples/roster.csv --history samples/incidents/history-2026-q2.ndjson \
  samples/incidents/2026-q3.ndjson > "$out/verdicts.ndjson" || [ $? -eq 1 ]
head -3 "$out/verdicts.ndjson"

step "covenant tally --by grid --period month"
$covenant tally "${args[@]}" -r rules/zh --roster samples/roster.csv --by grid --period month samples/incidents/2026-q3.ndjson

step "covenant recognize --period 2026-Q3"
$covenant recognize "${args[@]}" -r rules/zh --roster samples/roster.csv --history samples/incidents/history-2026-q2.ndjson \
  --period 2026-Q3 samples/incidents/2026-q3.ndjson

step "covenant report → $out/report.html and $out/report-public.html"
$covenant report "${args[@]}" -r rules/zh --roster samples/roster.csv --history samples/incidents/history-2026-q2.ndjson \
  --period 2026-Q3 --html "$out/report.html" samples/incidents/2026-q3.ndjson
$covenant report "${args[@]}" -r rules/zh --roster samples/roster.csv --history samples/incidents/history-2026-q2.ndjson \
  --period 2026-Q3 --public --html "$out/report-public.html" samples/incidents/2026-q3.ndjson
