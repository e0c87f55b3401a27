#!/bin/sh
# In dom0 (payload), for the console*-stall cases (issue 8 #10): stops
# xenconsoled while the guest writes its last output and shuts down, and
# tells whether the guest waited for it (a console flush) or ended with its
# output still in the ring.
#
# Stopping alone loses nothing: Xen 4.17's xenconsoled still reads a
# destroyed domain's ring when it resumes (its mapping keeps the page and it
# handles the pending event before the domain's release; seen in the lab,
# 2026-11-30). Text is lost for real when xenconsoled handles the release
# first, a race no script can force; `restart` reproduces its outcome: a new
# xenconsoled knows only the domains still alive, so a dead domain's unread
# ring is gone while a guest waiting in its flush is drained.
#
#   dom0-stall.sh start MARK [cont|restart [MAX]]  in the background: wait
#       until the line MARK is in the guest's console log (xenconsoled has
#       passed the shell line in and the guest is past it), `kill -STOP`
#       xenconsoled, then as soon as the guest waits (domain blocked and not
#       shut down: its flush; "guest-blocked"), or the domain is dying or
#       gone ("domain-gone"), or after MAX seconds (default 10, "max"):
#       `kill -CONT` it (cont), or kill it and start a new one (restart).
#   dom0-stall.sh wait [WHY]        waits (<= 30 s) for `start` to end,
#       prints its report; fails unless xenconsoled was stopped and resumed
#       and, with WHY, resumed for that reason.
# State in /tmp/stall.out (report) and /tmp/stall.done.
NAME=lab
LOG=/var/log/xen/console/guest-$NAME.log
OUTF=/tmp/stall.out
DONE=/tmp/stall.done

up_cs() {
	read -r _u _x < /proc/uptime
	echo $((${_u%.*} * 100 + 1${_u#*.} - 100))
}
state() { xl list "$NAME" 2>/dev/null | awk 'NR == 2 {print $5}'; }

do_start() {
	mark=$1
	how=${2:-cont}
	max=${3:-10}
	pid=$(cat /run/xenconsoled.pid 2>/dev/null)
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || { echo "stall: no xenconsoled"; return 1; }
	t0=$(up_cs)
	until grep -q "^$mark" "$LOG" 2>/dev/null; do
		[ $(($(up_cs) - t0)) -lt 3000 ] || { echo "stall: '$mark' not in the log after 30 s"; return 1; }
		usleep 10000
	done
	kill -STOP "$pid" || return 1
	ts=$(up_cs)
	# xenconsoled resumes whatever happens to this script from here on.
	trap 'kill -CONT $pid' EXIT
	why=max
	down=""
	while [ $(($(up_cs) - ts)) -lt $((max * 100)) ]; do
		st=$(state)
		case "$st" in
		'' | *d*) why=domain-gone; break ;;
		*s* | *c*) down=$st ;;
		*b*) why=guest-blocked; break ;;
		esac
		usleep 20000
	done
	if [ "$how" = restart ]; then
		# A new xenconsoled knows only the domains alive now: a dead
		# domain's unread ring is lost, as when xenconsoled handles the
		# release before the ring (the race that loses text for real).
		kill -KILL "$pid" || return 1
		trap - EXIT
		while kill -0 "$pid" 2>/dev/null; do usleep 10000; done
		xenconsoled --pid-file=/run/xenconsoled.pid --log=guest \
			--log-dir=/var/log/xen/console || return 1
	else
		kill -CONT "$pid" || return 1
		trap - EXIT
	fi
	d=$(($(up_cs) - ts))
	echo "stall: xenconsoled stopped $(((ts - t0) * 10)) ms after start, for $((d * 10)) ms, $how: $why (state '$st'${down:+, shut down while stopped: '$down'})"
	echo "stall-why: $why"
}

case "$1" in
start)
	shift
	rm -f "$OUTF" "$DONE"
	do_start "$@" > "$OUTF" 2>&1
	echo "rc=$?" > "$DONE"
	;;
wait)
	i=0
	while [ ! -f "$DONE" ] && [ $i -lt 300 ]; do
		usleep 100000
		i=$((i + 1))
	done
	cat "$OUTF" 2>/dev/null
	[ -f "$DONE" ] || { echo "stall: still running after 30 s"; exit 1; }
	grep -q '^rc=0$' "$DONE" && grep -q '^stall: xenconsoled stopped' "$OUTF" || exit 1
	if [ -n "$2" ] && ! grep -q "^stall-why: $2\$" "$OUTF"; then
		echo "stall: wanted '$2': the guest ended while its console output was still in the ring"
		exit 1
	fi
	;;
*)
	echo "usage: dom0-stall.sh start MARK [cont|restart [MAX]] | wait [WHY]" >&2
	exit 2
	;;
esac
