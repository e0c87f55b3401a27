#!/bin/sh
# Runs ONE guest case in dom0 (busybox sh) and prints its verdict line:
#   LAB-VERDICT <case> PASS
#   LAB-VERDICT <case> FAIL <reason>
# The host runner ships this file in the payload (changing it needs no lab
# rebuild) and parses only the verdict lines, the LAB-MARK timing lines and
# the guest console between the LAB-CONSOLE BEGIN/END lines.
#
# usage: dom0-case.sh CASEDIR                 scripted case
#        dom0-case.sh --interactive CASEDIR   console on this tty (make run)
#   CASEDIR/case.env   CASE (name), DOMU_TIMEOUT (seconds), DISK_<vdev> (the
#                      dom0 device behind each of the case's PV disks), NET (1:
#                      the case has a vif on xenbr0, dom0-net.sh serves it)
#   CASEDIR/serve      "SRC NAME" lines: files dom0 serves by TFTP and HTTP
#   CASEDIR/domu.cfg   xl config
#   CASEDIR/script     console script (see tests/lab/README.md)
INTERACTIVE=0
[ "$1" = --interactive ] && { INTERACTIVE=1; shift; }
CASEDIR=$1
. "$CASEDIR/case.env"
NAME=lab
DOMU_TIMEOUT=${DOMU_TIMEOUT:-60}
LOG=/var/log/xen/console/guest-$NAME.log
CR=$(printf '\r')

# Time: /proc/uptime in centiseconds, read without running a program (under
# TCG every exec costs milliseconds).
up_cs() {
	read -r _u _x < /proc/uptime
	echo $((${_u%.*} * 100 + 1${_u#*.} - 100))
}
since() { # seconds since `xl create` was started
	_d=$(($(up_cs) - T0))
	printf '%d.%02d' $((_d / 100)) $((_d % 100))
}
mark() { echo "LAB-MARK $CASE $1 $(since)"; }
# "State" column of xl list: r/b/p/s/c/d flags, empty if the domain is gone.
state() { xl list "$NAME" 2>/dev/null | awk 'NR == 2 {print $5}'; }

rm -f "$LOG"
T0=$(up_cs)

# exec / pre-exec: one shell command in dom0, with case.env (DISK_xvda=...)
# exported; its output goes to the serial console as "LAB-EXEC <case> ...".
# Fails the case if it exits non-zero or runs longer than 120 s.
do_exec() {
	(
		set -a
		. "$CASEDIR/case.env"
		timeout -s KILL 120 sh -c "$1"
	) > /tmp/exec.out 2>&1 < /dev/null
	_rc=$?
	sed "s/^/LAB-EXEC $CASE /" /tmp/exec.out
	[ $_rc = 0 ] || FAIL="exec '$1': exit $_rc: $(tail -n 1 /tmp/exec.out)"
}

# The network of a `net` case: bridge and servers (once per dom0 boot), and
# this case's files in the served directory. Sets FAIL on error.
net_setup() {
	[ "${NET:-0}" = 1 ] || return 0
	if ! sh /payload/dom0-net.sh up > /tmp/net.out 2>&1 || ! sh /payload/dom0-net.sh clear; then
		FAIL="net: $(tail -n 1 /tmp/net.out)"
		return
	fi
	while read -r _src _name; do
		sh /payload/dom0-net.sh serve "$_src" "$_name" > /tmp/net.out 2>&1 ||
			{ FAIL="net: $(tail -n 1 /tmp/net.out)"; return; }
	done < "$CASEDIR/serve"
}

if [ $INTERACTIVE = 1 ]; then
	FAIL=""
	net_setup
	[ -z "$FAIL" ] || { echo "lab: $FAIL"; exit 1; }
	# Attach until the guest is gone. A reset reboots it (on_reboot =
	# "restart") under a new domid: attach again. If the same domain is
	# still running when the console returns, the user left with Ctrl-].
	xl create "$CASEDIR/domu.cfg" || exit 1
	id=$(xl domid "$NAME")
	while :; do
		xl console "$NAME"
		if [ "$(xl domid "$NAME" 2>/dev/null)" = "$id" ]; then
			case "$(state)" in *s* | *c*) ;; *) break ;; esac
		fi
		i=0
		new=""
		while [ $i -lt 100 ] && [ -z "$new" ]; do
			new=$(xl domid "$NAME" 2>/dev/null)
			[ "$new" = "$id" ] && new=""
			# xl's domain monitor ends its log so when it will not restart it.
			tail -n 1 "/var/log/xen/xl-$NAME.log" 2>/dev/null | grep -q 'Exiting now' && break
			usleep 100000
			i=$((i + 1))
		done
		[ -n "$new" ] || break
		id=$new
	done
	echo
	echo "lab: guest console closed, shutting the lab down"
	xl destroy "$NAME" 2>/dev/null
	exit 0
fi

echo "LAB-CASE-BEGIN $CASE"
FAIL=""
net_setup
[ -z "$FAIL" ] || { echo "LAB-VERDICT $CASE FAIL $FAIL"; exit 1; }
# pre-exec lines run before the guest exists, in their order.
ln=0
while IFS= read -r line <&3 || [ -n "$line" ]; do
	ln=$((ln + 1))
	line=${line%"$CR"}
	case "$line" in
	'pre-exec '*)
		do_exec "${line#pre-exec }"
		[ -z "$FAIL" ] || { echo "LAB-VERDICT $CASE FAIL line $ln: $FAIL"; exit 1; }
		;;
	esac
done 3< "$CASEDIR/script"
if ! xl create "$CASEDIR/domu.cfg" > /tmp/xl-create.out 2>&1; then
	cat /tmp/xl-create.out
	echo "LAB-VERDICT $CASE FAIL xl create failed: $(tail -1 /tmp/xl-create.out)"
	exit 1
fi
mark xl-create-returned
DOMID=""
TTY=""

# Reasons in `xl list -v` (libxl_shutdown_reason): 0 poweroff, 1 reboot,
# 2 suspend, 3 crash, 4 watchdog, 5 soft_reset.
reason_name() {
	case "$1" in
	0) echo poweroff ;; 1) echo reboot ;; 2) echo suspend ;; 3) echo crash ;;
	4) echo watchdog ;; 5) echo soft_reset ;; *) echo "unknown($1)" ;;
	esac
}

POS=0      # guest log bytes consumed by the previous expect
SEND_POS=0 # POS at the last send: refute looks at the output since then
FAIL=""
SKIP=""
DEADLINE=$((T0 + DOMU_TIMEOUT * 100))

# Prints the log offset just past the first match of ERE $1 after POS.
find_match() {
	awk -v pos="$POS" -v re="$1" 'BEGIN { RS = "\001" } { b = b $0 }
		END { s = substr(b, pos + 1); if (match(s, re)) print pos + RSTART + RLENGTH - 1 }' \
		"$LOG" 2>/dev/null
}
get_tty() {
	# Looked up at the first send, not before: under TCG `xl domid` takes
	# long enough to blur the first expect's timing.
	[ -n "$DOMID" ] || DOMID=$(xl domid "$NAME" 2>/dev/null)
	i=0
	while [ -z "$TTY" ] && [ $i -lt 100 ]; do
		TTY=$(xenstore-read "/local/domain/$DOMID/console/tty" 2>/dev/null)
		[ -c "$TTY" ] || { TTY=""; usleep 100000; }
		i=$((i + 1))
	done
	[ -n "$TTY" ]
}
# Strips one pair of quotes and a trailing timeout: sets ARG and TO.
parse_arg() {
	ARG=$1
	TO=$2
	last=${ARG##* }
	case "$last" in
	*[!0-9]* | '') ;;
	*) [ "$last" != "$ARG" ] && { TO=$last; ARG=${ARG% *}; } ;;
	esac
	case "$ARG" in
	\'*\') ARG=${ARG#\'}; ARG=${ARG%\'} ;;
	\"*\") ARG=${ARG#\"}; ARG=${ARG%\"} ;;
	esac
}
do_expect() {
	parse_arg "$1" 10
	tend=$(($(up_cs) + TO * 100))
	n=0
	while :; do
		found=$(find_match "$ARG")
		[ -n "$found" ] && break
		now=$(up_cs)
		[ $now -ge $tend ] && { FAIL="expect '$ARG': nothing after $TO s"; return; }
		[ $now -ge $DEADLINE ] && { FAIL="expect '$ARG': case timeout"; return; }
		n=$((n + 1))
		if [ $((n % 20)) = 0 ]; then
			case "$(state)" in
			'') FAIL="expect '$ARG': domain gone" ;;
			*c*) FAIL="expect '$ARG': domain crashed" ;;
			*s*) FAIL="expect '$ARG': domain shut down" ;;
			esac
			if [ -n "$FAIL" ]; then
				found=$(find_match "$ARG")
				[ -n "$found" ] && FAIL=""
				[ -n "$FAIL" ] && return
				break
			fi
		fi
		usleep 20000
	done
	POS=$found
}
do_refute() {
	parse_arg "$1" 0
	awk -v a="$SEND_POS" -v b="$POS" -v re="$ARG" 'BEGIN { RS = "\001" } { s = s $0 }
		END { exit match(substr(s, a + 1, b - a), re) ? 1 : 0 }' "$LOG" ||
		FAIL="refute '$ARG': found in the output since the last send"
}
# seen REGEX: fail unless REGEX is in the output between the last send and
# the last match (lines whose order the case does not fix).
do_seen() {
	parse_arg "$1" 0
	awk -v a="$SEND_POS" -v b="$POS" -v re="$ARG" 'BEGIN { RS = "\001" } { s = s $0 }
		END { exit match(substr(s, a + 1, b - a), re) ? 0 : 1 }' "$LOG" ||
		FAIL="seen '$ARG': not in the output since the last send"
}
# skip-unless REGEX: the case stops here with verdict SKIP unless REGEX is in
# the output between the last send and the last match (e.g. `help dhcp`
# before a command exists).
do_skip_unless() {
	parse_arg "$1" 0
	awk -v a="$SEND_POS" -v b="$POS" -v re="$ARG" 'BEGIN { RS = "\001" } { s = s $0 }
		END { exit match(substr(s, a + 1, b - a), re) ? 0 : 1 }' "$LOG" ||
		SKIP="'$ARG' not in the output since the last send"
}
# Waits for the domain to shut down and checks why: down poweroff|reboot|crash [S]
do_down() {
	parse_arg "$1" 10
	tend=$(($(up_cs) + TO * 100))
	while :; do
		line=$(xl list -v "$NAME" 2>/dev/null | awk 'NR == 2')
		[ -n "$line" ] || { FAIL="down $ARG: domain vanished"; return; }
		case "$(echo "$line" | awk '{print $5}')" in
		*s* | *c*) break ;;
		esac
		[ "$(up_cs)" -ge $tend ] && { FAIL="down $ARG: still running after $TO s"; return; }
		usleep 100000
	done
	got=$(reason_name "$(echo "$line" | awk '{print $8}')")
	mark "down-$got"
	[ "$got" = "$ARG" ] || FAIL="down $ARG: domain shut down with reason $got"
}

# Waits until the domain is gone and checks why it shut down, from xl's own
# log (on_poweroff/on_reboot/on_crash = "destroy", xl's defaults, leave no
# domain for `xl list -v`): gone poweroff|reboot|crash [S]
do_gone() {
	parse_arg "$1" 10
	tend=$(($(up_cs) + TO * 100))
	while [ -n "$(state)" ]; do
		[ "$(up_cs)" -ge $tend ] && { FAIL="gone $ARG: still there after $TO s"; return; }
		usleep 100000
	done
	mark gone
	# "Domain N has shut down, reason code R 0xR", written before the destroy.
	code=$(sed -n 's/.*has shut down, reason code \([0-9]*\) .*/\1/p' \
		"/var/log/xen/xl-$NAME.log" 2>/dev/null | tail -n 1)
	[ -n "$code" ] || { FAIL="gone $ARG: no shutdown reason in xl's log"; return; }
	got=$(reason_name "$code")
	[ "$got" = "$ARG" ] || FAIL="gone $ARG: domain shut down with reason $got"
}

ln=0
while IFS= read -r line <&3 || [ -n "$line" ]; do
	ln=$((ln + 1))
	line=${line%"$CR"}
	case "$line" in '' | '#'*) continue ;; esac
	cmd=${line%% *}
	rest=""
	[ "$cmd" != "$line" ] && rest=${line#* }
	case "$cmd" in
	expect) do_expect "$rest" ;;
	refute) do_refute "$rest" ;;
	seen) do_seen "$rest" ;;
	skip-unless) do_skip_unless "$rest" ;;
	send | sendraw)
		get_tty || { FAIL="no console tty for domid $DOMID"; break; }
		SEND_POS=$POS
		if [ "$cmd" = send ]; then
			printf '%b\r' "$rest" > "$TTY"
		else
			printf '%b' "$rest" > "$TTY"
		fi || FAIL="write to $TTY failed"
		;;
	sleep) usleep $((rest * 1000)) ;;
	mark) mark "$rest" ;;
	down) do_down "$rest" ;;
	gone) do_gone "$rest" ;;
	exec) do_exec "$rest" ;;
	pre-exec) ;;
	destroy)
		# The guest and its backends go away now: later exec lines see
		# the disks as the guest left them, with no blkback holding them.
		xl destroy "$NAME" 2>/dev/null
		[ -z "$(state)" ] || FAIL="destroy: the domain is still there"
		mark destroyed
		;;
	*) FAIL="unknown command '$cmd'" ;;
	esac
	if [ -n "$FAIL" ]; then
		FAIL="line $ln: $FAIL"
		break
	fi
	[ -z "$SKIP" ] || break
done 3< "$CASEDIR/script"

# The guest may have output still in its ring; give xenconsoled a moment
# before destroying the domain (on_* = "preserve" kept it until now).
usleep 300000
# The guest's CPU time (Time(s)) shows a guest that spins instead of blocking.
xl list "$NAME" 2>/dev/null
xl destroy "$NAME" 2>/dev/null
echo "LAB-CONSOLE-BEGIN $CASE"
cat "$LOG" 2>/dev/null
echo
echo "LAB-CONSOLE-END $CASE"
# What dom0's network saw, for a failed network case.
if [ -n "$FAIL" ] && [ "${NET:-0}" = 1 ]; then
	sh /payload/dom0-net.sh status 2>&1 | sed "s/^/LAB-NET $CASE /"
fi
if [ -n "$SKIP" ]; then
	echo "LAB-VERDICT $CASE SKIP line $ln: $SKIP"
elif [ -z "$FAIL" ]; then
	echo "LAB-VERDICT $CASE PASS"
else
	echo "LAB-VERDICT $CASE FAIL $FAIL"
	exit 1
fi
