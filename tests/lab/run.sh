#!/bin/bash
# Host side of the lab: boots Xen 4.17 + the Debian dom0 under
# qemu-system-aarch64 (TCG) ONCE and runs every guest case in it, then prints
# one line per case and the closing line "N passed, N failed" (", N skipped"
# when cases skipped themselves: a skip-unless line, tests/lab/README.md).
#
# usage: tests/lab/run.sh [options] CASEFILE...
#   --lab DIR        lab built by build.sh (default build/lab)
#   --kernel FILE    the guest's kernel= (default build/xenboot.bin)
#   --ramdisk FILE   also give every guest this ramdisk= (e.g. to try the cases
#                    on a Linux guest)
#   --timeout S      hard limit for the whole QEMU run (default 120 + each case's
#                    timeout, at least 60);
#                    QEMU is then killed by its PID and the run fails
#   --out DIR        run directory (default LAB/runs/<date>-<pid>)
#   --interactive    one guest (the first CASEFILE's xl lines, or the defaults)
#                    with its console on this terminal; no verdicts
#   -v               also show the whole serial console while running
# exit: 0 all cases passed; 1 a case failed, had no verdict, or the run timed out;
#       2 usage or missing files
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
LAB=build/lab
KERNEL=build/xenboot.bin
RAMDISK=""
TIMEOUT=""
OUT=""
INTERACTIVE=0
VERBOSE=0
CASES=()
while [ $# -gt 0 ]; do
	case "$1" in
	--lab) LAB=$2; shift 2 ;;
	--kernel) KERNEL=$2; shift 2 ;;
	--ramdisk) RAMDISK=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--interactive) INTERACTIVE=1; shift ;;
	-v) VERBOSE=1; shift ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) CASES+=("$1"); shift ;;
	esac
done
for f in xen Image dom0-initrd.cpio.gz; do
	[ -f "$LAB/$f" ] || { echo "run.sh: $LAB/$f missing: run 'make lab-build'" >&2; exit 2; }
done
[ -f "$KERNEL" ] || { echo "run.sh: guest kernel $KERNEL missing: run 'make'" >&2; exit 2; }
[ $INTERACTIVE = 1 ] || [ ${#CASES[@]} -gt 0 ] || { echo "run.sh: no cases" >&2; exit 2; }
# Default hard limit: 120 s plus each case's own limit (at least 60 s).
if [ -z "$TIMEOUT" ]; then
	TIMEOUT=120
	for f in "${CASES[@]}"; do
		t=$(awk '$1 == "timeout" { t = $2 } END { print (t + 0 > 60) ? t + 0 : 60 }' "$f" 2>/dev/null)
		TIMEOUT=$((TIMEOUT + ${t:-60}))
	done
fi
command -v qemu-system-aarch64 >/dev/null ||
	{ echo "run.sh: qemu-system-aarch64 missing: run 'sudo scripts/install-deps'" >&2; exit 2; }

if [ -z "$OUT" ]; then
	OUT=$LAB/runs/$(date +%Y%m%d-%H%M%S)-$$
	# Keep the 20 newest run directories.
	ls -dt "$LAB"/runs/*/ 2>/dev/null | tail -n +20 | xargs -r rm -rf
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
P="$OUT/payload"
rm -rf "$P"
mkdir -p "$P"
cp "$KERNEL" "$P/kernel"
[ -z "$RAMDISK" ] || cp "$RAMDISK" "$P/ramdisk" || exit 2

# --- payload: one directory per case ------------------------------------------
# A case file is a console script (see tests/lab/README.md) plus header lines:
#   xl KEY = VALUE            xl config, overriding the defaults below
#   timeout S                 the case's own limit (default 60 s)
#   kernel FILE, ramdisk FILE this case's own kernel= / ramdisk= (one copy
#                             in the payload however many cases name it)
#   disk FILE VDEV [ro] [4k]  a raw image as a PV disk (4k: dom0 sees it with
#                             4096-byte logical sectors, so blkback does too)
#   net                       the guest gets a vif on dom0's bridge xenbr0
#                             (MAC 00:16:3e:4c:41:42) and dom0 serves DHCP,
#                             TFTP, DNS and HTTP (dom0-net.sh)
#   serve FILE [NAME]         dom0 serves FILE as NAME (default its base name)
#                             by TFTP and HTTP; implies net
# FILEs are relative to the current directory (the top of the tree) or absolute.
# Every distinct (image, sector size, ro) is one QEMU virtio disk with serial
# lab-diskN; dom0 links /dev/lab-diskN to it, and xl gets it as phy:. The
# case's exec/pre-exec commands find it as $DISK_<VDEV> (e.g. $DISK_xvda).
D_FILE=()
D_BS=()
D_RO=()
disk_index() { # $1 file, $2 512|4k, $3 0|1 -> DI
	local i
	for ((i = 0; i < ${#D_FILE[@]}; i++)); do
		if [ "${D_FILE[$i]}" = "$1" ] && [ "${D_BS[$i]}" = "$2" ] && [ "${D_RO[$i]}" = "$3" ]; then
			DI=$i
			return
		fi
	done
	DI=${#D_FILE[@]}
	D_FILE+=("$1")
	D_BS+=("$2")
	D_RO+=("$3")
}
# Files named by kernel/ramdisk lines: one payload copy each (a Linux Image is
# 30 MiB), by real path.
declare -A PFILE=()
payload_file() { # $1 file -> PF (its path in dom0)
	local r
	r=$(realpath "$1") && [ -f "$r" ] || { echo "run.sh: $1 missing" >&2; return 1; }
	if [ -z "${PFILE[$r]:-}" ]; then
		mkdir -p "$P/files"
		PFILE[$r]=files/${#PFILE[@]}-$(basename "$r")
		cp "$r" "$P/${PFILE[$r]}" || return 1
	fi
	PF=/payload/${PFILE[$r]}
}
make_case() { # $1 = case dir, $2 = case name, $3 = case file (may be empty)
	local d=$1 xl="" to=60 line f vdev opts bs ro disks="" denv="" net=0 name
	mkdir -p "$d"
	: > "$d/script"
	: > "$d/serve"
	if [ -n "$3" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			case "$line" in
			'xl '*) xl+="${line#xl }"$'\n' ;;
			'timeout '*) to=${line#timeout } ;;
			'kernel '* | 'ramdisk '*)
				payload_file "${line#* }" || return 1
				xl+="${line%% *} = \"$PF\""$'\n'
				;;
			net | 'net '*) net=1 ;;
			'serve '*)
				read -r _ f name opts <<< "$line"
				[ -n "$f" ] && [ -z "$opts" ] || { echo "run.sh: $3: bad line '$line'" >&2; return 1; }
				payload_file "$f" || return 1
				printf '%s %s\n' "$PF" "${name:-$(basename "$f")}" >> "$d/serve"
				net=1
				;;
			'disk '*)
				read -r _ f vdev opts <<< "$line"
				[ -f "$f" ] && [ -n "$vdev" ] || { echo "run.sh: $3: bad line '$line'" >&2; return 1; }
				bs=512
				ro=0
				case " $opts " in *" 4k "*) bs=4k ;; esac
				case " $opts " in *" ro "*) ro=1 ;; esac
				if [ $bs = 4k ] && [ $(($(stat -c %s "$f") % 4096)) != 0 ]; then
					echo "run.sh: $f: size is not a multiple of 4096" >&2
					return 1
				fi
				disk_index "$(realpath "$f")" $bs $ro
				disks+="${disks:+, }'phy:/dev/lab-disk$DI,$vdev,$([ $ro = 1 ] && echo r || echo w)'"
				denv+="DISK_${vdev//[^A-Za-z0-9_]/_}=/dev/lab-disk$DI"$'\n'
				;;
			*) printf '%s\n' "$line" >> "$d/script" ;;
			esac
		done < "$3"
	fi
	# "preserve" keeps a domain that stopped, so dom0 can read its reason
	# and xenconsoled can drain its ring before dom0 destroys it.
	{
		printf '%s' "$xl"
		key_set() { printf '%s' "$xl" | grep -Eq "^[[:space:]]*$1[[:space:]]*="; }
		key_set kernel || echo 'kernel = "/payload/kernel"'
		[ -z "$RAMDISK" ] || key_set ramdisk || echo 'ramdisk = "/payload/ramdisk"'
		[ -z "$disks" ] || key_set disk || echo "disk = [ $disks ]"
		[ $net = 0 ] || key_set vif || echo "vif = [ 'bridge=xenbr0,mac=00:16:3e:4c:41:42' ]"
		key_set memory || echo 'memory = 128'
		key_set vcpus || echo 'vcpus = 1'
		for k in on_poweroff on_reboot on_crash; do
			key_set $k || echo "$k = \"preserve\""
		done
		echo 'name = "lab"'
	} > "$d/domu.cfg"
	printf 'CASE=%s\nDOMU_TIMEOUT=%s\nNET=%s\n%s' "$2" "$to" "$net" "$denv" > "$d/case.env"
}

NAMES=()
if [ $INTERACTIVE = 1 ]; then
	make_case "$P/case1" run "${CASES[0]:-}" || exit 2
	# A reset reboots the guest and the console follows it.
	sed -i 's/^on_reboot = "preserve"$/on_reboot = "restart"/; s/^on_poweroff = "preserve"$/on_poweroff = "destroy"/' \
		"$P/case1/domu.cfg"
	touch "$P/interactive"
else
	i=0
	for f in "${CASES[@]}"; do
		[ -f "$f" ] || { echo "run.sh: case file $f missing" >&2; exit 2; }
		i=$((i + 1))
		n=$(basename "$f" .case)
		case " ${NAMES[*]} " in
		*" $n "*) echo "run.sh: two cases named $n" >&2; exit 2 ;;
		esac
		NAMES+=("$n")
		make_case "$P/case$i" "$n" "$f" || exit 2
		echo "case$i" >> "$P/cases.list"
	done
fi
install -m 755 "$HERE/dom0-case.sh" "$P/dom0-case.sh"
install -m 755 "$HERE/dom0-fwenv.sh" "$P/dom0-fwenv.sh"
install -m 755 "$HERE/dom0-net.sh" "$P/dom0-net.sh"
install -m 755 "$HERE/dom0-burst.sh" "$P/dom0-burst.sh"
install -m 755 "$HERE/dom0-stall.sh" "$P/dom0-stall.sh"
install -m 755 "$HERE/lab-dd.sh" "$P/lab-dd.sh"
tar -cf "$OUT/payload.tar" -C "$P" .

# --- QEMU ---------------------------------------------------------------------
# dom0_vcpus_pin is required: without it, dom0's virtio-blk interrupts get
# lost under QEMU's emulated GIC and PV-disk I/O hangs (tests/lab/README.md).
# 4608 MiB of machine RAM: 768 MiB dom0 plus room for a 3136 MiB guest.
XEN_ARGS="console=dtuart dom0_mem=768M,max:768M dom0_max_vcpus=2 dom0_vcpus_pin bootscrub=0"
DOM0_ARGS="console=hvc0 earlycon=xen rdinit=/init"
if [ $INTERACTIVE = 1 ]; then
	XEN_ARGS+=" loglvl=warning guest_loglvl=warning"
	DOM0_ARGS+=" quiet"
	# Ctrl-C goes to the guest; Ctrl-a x quits QEMU.
	# shellcheck disable=SC2054 # the commas belong to QEMU's options
	SERIAL=(-chardev stdio,id=con,mux=on,signal=off -serial chardev:con -mon chardev=con,mode=readline)
else
	XEN_ARGS+=" loglvl=all guest_loglvl=all"
	SERIAL=(-serial stdio -monitor none)
fi
# shellcheck disable=SC2054 # the commas belong to QEMU's options
QEMU=(qemu-system-aarch64
	-machine virt,virtualization=on -cpu cortex-a57 -smp 2 -m 4608
	-display none -no-reboot -nic none "${SERIAL[@]}"
	-kernel "$LAB/xen" -append "$XEN_ARGS"
	# QEMU puts the DTB at RAM base + 128 MiB: keep the modules clear of it.
	-device "guest-loader,addr=0x42000000,kernel=$LAB/Image,bootargs=$DOM0_ARGS"
	-device "guest-loader,addr=0x50000000,initrd=$LAB/dom0-initrd.cpio.gz"
	-drive "if=none,id=payload,file=$OUT/payload.tar,format=raw,readonly=on"
	-device virtio-blk-device,drive=payload,serial=lab-payload
)
for ((i = 0; i < ${#D_FILE[@]}; i++)); do
	ro=""
	blk=""
	[ "${D_RO[$i]}" = 1 ] && ro=",readonly=on"
	[ "${D_BS[$i]}" = 4k ] && blk=",logical_block_size=4096,physical_block_size=4096"
	# file.locking=off: one image may be attached twice (512 and 4k views, rw and ro).
	QEMU+=(-drive "if=none,id=disk$i,file=${D_FILE[$i]},format=raw,cache=writeback,file.locking=off$ro"
		-device "virtio-blk-device,drive=disk$i,serial=lab-disk$i$blk")
done
printf '%q ' "${QEMU[@]}" > "$OUT/qemu-cmdline.txt"
echo >> "$OUT/qemu-cmdline.txt"

if [ $INTERACTIVE = 1 ]; then
	echo "lab: booting Xen and dom0 (~10-30 s); the guest console follows."
	echo "lab: Ctrl-] leaves the guest console and shuts the lab down; Ctrl-a x quits QEMU at once."
	"${QEMU[@]}"
	exit $?
fi

# --- scripted run -------------------------------------------------------------
# Every console line goes to console.log, prefixed with seconds since QEMU
# started; verdicts are shown as they arrive.
T0=$EPOCHREALTIME
T0US=${T0/./}
stamp() {
	local l d
	while IFS= read -r l || [ -n "$l" ]; do
		while [[ $l == *$'\r' ]]; do l=${l%$'\r'}; done
		d=$((${EPOCHREALTIME/./} - T0US))
		printf '%5d.%02d %s\n' $((d / 1000000)) $((d % 1000000 / 10000)) "$l" >> "$OUT/console.log"
		if [ $VERBOSE = 1 ]; then
			printf '%s\n' "$l"
		else
			case "$l" in
			'LAB: DOM0-READY'* | LAB-VERDICT*) printf '  LAB     %s\n' "$l" ;;
			esac
		fi
	done
}
: > "$OUT/console.log"
mkfifo "$OUT/console.fifo"
stamp < "$OUT/console.fifo" &
STAMP_PID=$!
"${QEMU[@]}" < /dev/null > "$OUT/console.fifo" 2>&1 &
QEMU_PID=$!
echo "$QEMU_PID" > "$OUT/qemu.pid"

stop_qemu() {
	kill -0 "$QEMU_PID" 2>/dev/null || return 0
	kill -TERM "$QEMU_PID" 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$QEMU_PID" 2>/dev/null || return 0
		sleep 0.5
	done
	kill -KILL "$QEMU_PID" 2>/dev/null
}
trap 'stop_qemu; exit 130' INT TERM HUP

TIMED_OUT=0
deadline=$((${T0%.*} + TIMEOUT))
while kill -0 "$QEMU_PID" 2>/dev/null; do
	if [ "$(date +%s)" -ge "$deadline" ]; then
		echo "  LAB     hard timeout of ${TIMEOUT} s: killing QEMU (pid $QEMU_PID)" >&2
		stop_qemu
		TIMED_OUT=1
		break
	fi
	sleep 0.5
done
wait "$QEMU_PID" 2>/dev/null
wait "$STAMP_PID" 2>/dev/null
rm -f "$OUT/console.fifo"
trap - INT TERM HUP
T_WHOLE=$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

# --- verdicts -------------------------------------------------------------------
# Only the LAB-VERDICT lines decide; a case without one failed.
C="$OUT/console.log"
t_ready=$(grep -m1 'LAB: DOM0-READY' "$C" | awk '{print $1}')
mark_of() { # $1 case, $2 mark -> seconds since xl create, or empty
	grep -a " LAB-MARK $1 $2 " "$C" | head -1 | awk '{print $5}'
}
console_of() {
	sed -n "/ LAB-CONSOLE-BEGIN $1\$/,/ LAB-CONSOLE-END $1\$/p" "$C" | sed -e '1d' -e '$d' -e 's/^ *[0-9.]* //'
}
passed=0
failed=0
skipped=0
FAILED=()
PROMPTS=()
{
	echo "t_dom0_ready=$t_ready"
	echo "t_whole_run=$T_WHOLE"
} > "$OUT/timings.txt"
echo
for n in "${NAMES[@]}"; do
	v=$(grep -a -m1 " LAB-VERDICT $n " "$C" | sed 's/^ *[0-9.]* LAB-VERDICT [^ ]* //')
	[ -n "$v" ] || v="FAIL no verdict (timeout or dom0 died)"
	console_of "$n" > "$OUT/$n.console.log"
	info=""
	created=$(mark_of "$n" xl-create-returned)
	prompt=$(mark_of "$n" prompt)
	if [ -n "$created" ] && [ -n "$prompt" ]; then
		t=$(awk -v a="$created" -v b="$prompt" 'BEGIN { printf "%.2f", b - a }')
		info=" (prompt $t s after xl create returned)"
		echo "$n.t_prompt_after_create=$t" >> "$OUT/timings.txt"
		PROMPTS+=("$t")
	fi
	case "$v" in
	PASS*) passed=$((passed + 1)); echo "PASS  $n$info" ;;
	SKIP*) skipped=$((skipped + 1)); echo "SKIP  $n: ${v#SKIP }" ;;
	*) failed=$((failed + 1)); FAILED+=("$n"); echo "FAIL  $n: ${v#FAIL }$info" ;;
	esac
done
echo "lab: dom0 ready ${t_ready:-?} s after QEMU start, whole run $T_WHOLE s"
if [ ${#PROMPTS[@]} -gt 0 ]; then
	printf '%s\n' "${PROMPTS[@]}" | sort -n | awk '{ t[NR] = $1 } END {
		printf "lab: prompt after xl create returned: min %.2f s, median %.2f s, max %.2f s (%d cases)\n",
			t[1], t[int((NR + 1) / 2)], t[NR], NR }'
fi
if [ $TIMED_OUT = 1 ]; then
	echo "lab: the run hit the hard timeout of $TIMEOUT s"
fi
if [ $failed -gt 0 ] || [ $TIMED_OUT = 1 ]; then
	for n in "${FAILED[@]}"; do
		echo "---- guest console of $n ($OUT/$n.console.log) ----"
		if [ -s "$OUT/$n.console.log" ]; then
			cat "$OUT/$n.console.log"
		else
			echo "(none captured; last lines of the serial console:)"
			tail -15 "$C"
		fi
	done
	echo "lab: run directory $OUT"
fi
echo "$passed passed, $failed failed$([ $skipped = 0 ] || echo ", $skipped skipped")"
[ $failed = 0 ] && [ $TIMED_OUT = 0 ]
