#!/bin/bash
# Run libFuzzer targets one after another (make fuzz-smoke / fuzz-long).
#
#   tests/fuzz/smoke.sh OUT SECONDS TARGET...
#
# For each target: replay its checked-in seeds (tests/fuzz/corpus/<t>; a
# known crash fails fast), then fuzz for SECONDS starting from the seeds and
# from what earlier runs found (OUT/corpus/<t>, kept between runs), and
# print one summary line: executions, coverage (cov: edges, ft: features,
# from libFuzzer's last status line) and corpus size. The lines are also
# collected in OUT/summary.txt. A crash stops the run with the target's log
# tail and the input saved under OUT/artifacts/.
set -euo pipefail

out=$1
secs=$2
shift 2
mkdir -p "$out/artifacts"
summary=$out/summary.txt
: >"$summary"
start=$(date +%s)

for t in "$@"; do
	bin=$out/bin/${t}_fuzz
	seeds=tests/fuzz/corpus/$t
	work=$out/corpus/$t
	log=$out/$t.log
	mkdir -p "$seeds" "$work"
	echo "  FUZZ    $t: replay $(find "$seeds" -type f | wc -l) seeds, then ${secs} s"
	if ! "$bin" -runs=0 "$seeds" >"$log" 2>&1; then
		tail -60 "$log"
		echo "FUZZ    $t: a seed fails (see $log)" >&2
		exit 1
	fi
	if ! "$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$t-" "$work" "$seeds" >>"$log" 2>&1; then
		tail -60 "$log"
		echo "FUZZ    $t: crash or hang, input in $out/artifacts/ (log $log)" >&2
		exit 1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	field() { sed -n "s/.* $1: \\([0-9]*\\).*/\\1/p" <<<"$last"; }
	line=$(printf '%-12s %6s s  execs %10s (%s/s)  cov %5s  ft %6s  corpus %5s' "$t" "$secs" \
		"${execs:-?}" "$((${execs:-0} / (secs > 0 ? secs : 1)))" "$(field cov)" "$(field ft)" \
		"$(find "$work" -type f | wc -l)")
	echo "  FUZZ    $line"
	echo "$line" >>"$summary"
done
echo "  FUZZ    $# target(s) in $(($(date +%s) - start)) s; summary in $summary"
