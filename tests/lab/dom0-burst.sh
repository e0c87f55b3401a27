#!/bin/sh
# In dom0 (payload), for the console cases: the guest's console log must hold
# the whole output of `md BASE WORDS` (every line, in order, none missing or
# repeated), and the first non-empty line after it must match NEXT (an awk
# ERE, e.g. '^powering off'). Shows that a long burst printed right before
# poweroff/reset/a crash reached the console whole.
# usage: dom0-burst.sh BASE WORDS NEXT [LOG]   (BASE and WORDS in hex, 0x...)
base=$(($1))
lines=$((($2 + 3) / 4))
log=${4:-/var/log/xen/console/guest-lab.log}
[ -f "$log" ] || { echo "no console log $log"; exit 1; }
awk -v base="$base" -v want="$lines" -v next_re="$3" '
	function hexval(s,   v, k) {
		v = 0
		for (k = 1; k <= length(s); k++) {
			v = v * 16 + index("0123456789abcdef", substr(s, k, 1)) - 1
		}
		return v
	}
	{ sub(/\r+$/, "") }
	state == 0 && /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]: / { state = 1 }
	state == 1 && /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]: / {
		a = hexval(substr($1, 1, 8))
		if (a != base + 16 * got) {
			printf "md line %d: address %s, expected %08x\n", got + 1, $1, base + 16 * got
			bad = 1
			exit 1
		}
		got++
		next
	}
	state == 1 && $0 == "" { next }
	state == 1 {
		state = 2
		after = $0
	}
	END {
		if (bad) {
			exit 1
		}
		if (got != want) {
			printf "%d of %d md lines seen, then \"%s\"\n", got, want, after
			exit 1
		}
		if (after !~ next_re) {
			printf "after the md lines: \"%s\", not /%s/\n", after, next_re
			exit 1
		}
		printf "all %d md lines, then \"%s\"\n", got, after
	}' "$log"
