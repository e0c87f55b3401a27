#!/bin/bash
# Run libFuzzer targets (make fuzz-smoke / fuzz-long), FUZZ_JOBS at a time
# (default: one per CPU), each with the whole SECONDS of its own.
#
#   tests/fuzz/smoke.sh OUT SECONDS TARGET...
#
# For each target: replay its checked-in seeds (tests/fuzz/corpus/<t>; a
# known crash fails fast), then fuzz for SECONDS starting from the seeds and
# from what earlier runs found (OUT/corpus/<t>, kept between runs), and
# print one summary line: executions, coverage (cov: edges, ft: features,
# from libFuzzer's last status line) and corpus size. The lines are also
# collected in OUT/summary.txt, in the order given. A crash fails the run
# with the target's log tail and the input saved under OUT/artifacts/.
set -euo pipefail

out=$1
secs=$2
shift 2
mkdir -p "$out/artifacts"
summary=$out/summary.txt
: >"$summary"
start=$(date +%s)

jobs=${FUZZ_JOBS:-$(nproc)}

# One target; its summary line goes to OUT/<t>.line.
run_one() {
	local t=$1 bin=$out/bin/${1}_fuzz seeds=tests/fuzz/corpus/$1 work=$out/corpus/$1
	local log=$out/$1.log execs last line
	mkdir -p "$seeds" "$work"
	echo "  FUZZ    $t: replay $(find "$seeds" -type f | wc -l) seeds, then ${secs} s"
	if ! "$bin" -runs=0 "$seeds" >"$log" 2>&1; then
		tail -60 "$log"
		echo "FUZZ    $t: a seed fails (see $log)" >&2
		return 1
	fi
	if ! "$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$t-" "$work" "$seeds" >>"$log" 2>&1; then
		tail -60 "$log"
		echo "FUZZ    $t: crash or hang, input in $out/artifacts/ (log $log)" >&2
		return 1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	field() { sed -n "s/.* $1: \\([0-9]*\\).*/\\1/p" <<<"$last"; }
	line=$(printf '%-12s %6s s  execs %10s (%s/s)  cov %5s  ft %6s  corpus %5s' "$t" "$secs" \
		"${execs:-?}" "$((${execs:-0} / (secs > 0 ? secs : 1)))" "$(field cov)" "$(field ft)" \
		"$(find "$work" -type f | wc -l)")
	echo "  FUZZ    $line"
	echo "$line" >"$out/$t.line"
}

failed=0
for t in "$@"; do
	rm -f "$out/$t.line"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n || failed=1
	done
	run_one "$t" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do
	wait -n || failed=1
done
for t in "$@"; do
	cat "$out/$t.line" >>"$summary" 2>/dev/null || failed=1
done
if [ "$failed" -ne 0 ]; then
	echo "  FUZZ    failed: see the lines above" >&2
	exit 1
fi
echo "  FUZZ    $# target(s) in $(($(date +%s) - start)) s, $jobs at a time; summary in $summary"
