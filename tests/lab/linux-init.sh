#!/bin/sh
# /init of the initramfs that xenboot boots from a guest's own disk
# (/boot/initrd.img-<kver> on the boot disks of tests/lab/boot/mkbootdisk.sh;
# built by tests/lab/build.sh as LABDIR/linux-initrd.cpio.gz). It proves on
# hvc0 what Linux found after xenboot's handoff, one line per fact:
#   XENBOOT-LINUX-UP uptime=<s>   first line, <s> = Linux's /proc/uptime
#   XENBOOT-CMDLINE <the kernel command line>
#   XENBOOT-BLOCK <the names in /sys/block, sorted, space-separated>
#                 after every vbd xenbus device has its disk (or 20 s)
#   XENBOOT-VBD <dev> <xenbus state of the frontend>
#   XENBOOT-VIF <dev> <xenbus state of the frontend>   for each vif, and
#   XENBOOT-NET <iface> <ip>|NONE   its interface (xen-netfront), brought up
#                 with DHCP (busybox udhcpc, 10 tries): the booted Linux
#                 gets its own network after xenboot used the vif
#   XENBOOT-RAM <start>-<end>   each "System RAM" range of /proc/iomem
#   XENBOOT-KLOG <line>     each kernel log line naming xen, grant or evtchn
#   XENBOOT-XEN-ERRORS <n>  how many of those report an error or failure
#   XENBOOT-CONSOLE <the names in /proc/consoles>
#   XENBOOT-EFI yes <ls /sys/firmware/efi>|no   booted through UEFI or not
#   XENBOOT-EFI-KLOG <line> each kernel log line from Linux's EFI code
#                 ("efi: EFI v2.x by <vendor>", "efi: ...", efivars)
#   XENBOOT-LINUX-DONE
# UEFI variables (efivarfs), asked for on the command line; NAME-GUID is a
# file name of efivarfs, e.g. LabVar-6c61622d-7661-7200-8000-78656e626f6f:
#   lab.efiset=NAME-GUID=TEXT  writes TEXT as the variable (attributes NV+BS+RT)
#                 XENBOOT-EFISET NAME-GUID ok|FAIL <why>
#   lab.efiget=NAME-GUID  XENBOOT-EFIVAR NAME-GUID <attributes, hex> <data as
#                 text>, or XENBOOT-EFIVAR NAME-GUID NONE
#   lab.efitofile=NAME-GUID,DEV,FILE  copies the variable's data (not its
#                 attributes) to FILE on the vfat partition /dev/DEV; FILE is
#                 a path (/ubootefi.var) or another variable NAME-GUID whose
#                 data is the path (NUL and leading / ignored): firmware that
#                 keeps runtime writes in RAM publishes its variable file
#                 that way (U-Boot: VarToFile and RTStorageVolatile)
#                 XENBOOT-EFITOFILE <file> <bytes> <md5>|FAIL <why>
#   lab.efivars   XENBOOT-EFIVARS <every efivarfs file name>
# A NAME without -GUID gets the lab's GUID 6c61622d-7661-7200-8000-78656e626f6f,
# and lab.efitofile=DEV alone means U-Boot's VarToFile to the file its
# RTStorageVolatile names (vendor GUID b2ac5fc9-92b7-4acd-aeac-11e818c3130c):
# short command lines.
# lab.reboot: reboot at the end instead of powering off.
# Then it powers off, unless the command line has lab.wait: it waits for a
# shutdown request instead (xl shutdown: Linux's xenbus watch runs
# /sbin/poweroff, here a script that sends SIGUSR2 to this PID 1 as
# busybox's init expects), prints XENBOOT-LINUX-SHUTDOWN and powers off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /usr/sbin /sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s
# Without `quiet` the kernel's boot log is on the console already; its later
# lines (module loads) would split the lines below, so they go to dmesg only.
case " $(cat /proc/cmdline) " in *" quiet "*) ;; *) dmesg -n 1 ;; esac

say() { echo "XENBOOT-$*"; }
# The value of lab.$1=... on the command line (first one), empty if none.
arg() {
	for w in $(cat /proc/cmdline); do
		case "$w" in "lab.$1="*) echo "${w#lab.$1=}"; return ;; esac
	done
}
has() { case " $(cat /proc/cmdline) " in *" lab.$1 "*) return 0 ;; esac; return 1; }

EV=/sys/firmware/efi/efivars
UBOOT_GUID=b2ac5fc9-92b7-4acd-aeac-11e818c3130c
# NAME-GUID as given, or NAME with the lab's GUID.
efiname() {
	case "$1" in
	*-*) echo "$1" ;;
	*) echo "$1-6c61622d-7661-7200-8000-78656e626f6f" ;;
	esac
}
# The lab.efi* requests (see the header), in that order: set, get, to file.
lab_efi() {
	local a v f dev file n
	[ -n "$(arg efiset)$(arg efiget)$(arg efitofile)" ] || has efivars || return 0
	grep -q efivarfs /proc/mounts || mount -t efivarfs efivarfs $EV 2>/tmp/err ||
		say "EFIVARFS FAIL $(cat /tmp/err)"
	a=$(arg efiset)
	if [ -n "$a" ]; then
		v=${a#*=}
		a=$(efiname "${a%%=*}")=$v
		f=$EV/${a%%=*}
		# attributes NV|BS|RT (7, little-endian) then the data, in one write
		printf '\007\000\000\000%s' "$v" > /tmp/efiset
		if cat /tmp/efiset > "$f" 2>/tmp/err; then
			say "EFISET ${a%%=*} ok"
		else
			say "EFISET ${a%%=*} FAIL $(cat /tmp/err)"
		fi
	fi
	has efivars && say "EFIVARS $(ls $EV | tr '\n' ' ' | sed 's/ $//')"
	a=$(arg efiget)
	[ -z "$a" ] || a=$(efiname "$a")
	if [ -n "$a" ]; then
		if [ -f "$EV/$a" ]; then
			say "EFIVAR $a $(od -An -tx4 -N4 "$EV/$a" | tr -d ' ') $(tail -c +5 "$EV/$a")"
		else
			say "EFIVAR $a NONE"
		fi
	fi
	a=$(arg efitofile)
	[ -n "$a" ] || return 0
	case "$a" in *,*) ;; *) a="VarToFile-$UBOOT_GUID,$a,RTStorageVolatile-$UBOOT_GUID" ;; esac
	v=${a%%,*}
	a=${a#*,}
	dev=${a%%,*}
	file=${a#*,}
	case "$file" in
	/*) ;;
	*) file=/$(tail -c +5 "$EV/$file" 2>/dev/null | tr -d '\000' | sed 's|^/*||') ;;
	esac
	mkdir -p /mnt
	if [ "$file" = / ] || [ ! -f "$EV/$v" ]; then
		say "EFITOFILE $file FAIL no variable $v or no file name"
	elif ! mount -t vfat "/dev/$dev" /mnt 2>/tmp/err; then
		say "EFITOFILE $file FAIL mount /dev/$dev: $(cat /tmp/err)"
	else
		tail -c +5 "$EV/$v" > /tmp/varfile
		n=$(wc -c < /tmp/varfile)
		if cp /tmp/varfile "/mnt$file" 2>/tmp/err && sync; then
			say "EFITOFILE $file $n $(md5sum < "/mnt$file" | cut -c1-32)"
		else
			say "EFITOFILE $file FAIL $(cat /tmp/err)"
		fi
		umount /mnt
	fi
}
say "LINUX-UP uptime=$(cut -d' ' -f1 /proc/uptime)"
say "CMDLINE $(cat /proc/cmdline)"
while read -r m; do
	# efivarfs refuses to load without UEFI runtime services: not an error
	case "$m" in */efivarfs.ko) [ -d /sys/firmware/efi ] || continue ;; esac
	insmod "$m" 2>/dev/null || say "KLOG insmod $m failed"
done < /etc/modules.load

# Every vbd xenbus device should get its disk: one xenboot left in a bad
# state never does (xen-blkfront waits for the backend forever). A guest
# with no vbd after 2 s has none (xenbus lists them before /init runs).
i=0
while [ $i -lt 200 ]; do
	want=$(ls -d /sys/bus/xen/devices/vbd-* 2>/dev/null | wc -l)
	have=$(ls -d /sys/block/xvd* 2>/dev/null | wc -l)
	[ "$want" -gt 0 ] && [ "$have" -ge "$want" ] && break
	[ "$want" = 0 ] && [ $i -ge 20 ] && break
	usleep 100000
	i=$((i + 1))
done
say "BLOCK $(ls /sys/block | grep -v -e '^loop' -e '^ram' | sort | tr '\n' ' ' | sed 's/ $//')"
for d in /sys/bus/xen/devices/vbd-*; do
	[ -e "$d" ] || continue
	say "VBD ${d##*/} $(cat "$d/state" 2>/dev/null)"
done
for d in /sys/bus/xen/devices/vif-*; do
	[ -e "$d" ] || continue
	i=0
	while [ ! -d "$d/net" ] && [ $i -lt 100 ]; do
		usleep 100000
		i=$((i + 1))
	done
	say "VIF ${d##*/} $(cat "$d/state" 2>/dev/null)"
	for n in "$d"/net/*; do
		[ -e "$n" ] || { say "NET ${d##*/} NONE"; continue; }
		n=${n##*/}
		ip link set dev "$n" up 2>/dev/null
		udhcpc -i "$n" -f -q -n -t 10 -T 1 > /tmp/udhcpc.log 2>&1
		a=$(ip -4 addr show dev "$n" 2>/dev/null | awk '$1 == "inet" { print $2; exit }')
		a=${a:-NONE}
		say "NET $n ${a%/*}"
	done
done
grep -E '^[0-9a-f]+-[0-9a-f]+ : System RAM' /proc/iomem | while read -r r _; do
	say "RAM $r"
done
dmesg | grep -i -E 'xen|grant|evtchn' > /tmp/klog
while IFS= read -r l; do
	say "KLOG $l"
done < /tmp/klog
say "XEN-ERRORS $(grep -c -i -E 'error|fail|bug|warn|unable|timed? ?out|refus|invalid|-ebusy|-16' /tmp/klog)"
say "CONSOLE $(awk '{print $1}' /proc/consoles | tr '\n' ' ' | sed 's/ $//')"
if [ -d /sys/firmware/efi ]; then
	say "EFI yes $(ls /sys/firmware/efi | tr '\n' ' ' | sed 's/ $//')"
else
	say "EFI no"
fi
dmesg | grep -E 'efi:|efivars|EFI stub|EFI v[0-9]' | grep -v 'Kernel command line' > /tmp/efilog
while IFS= read -r l; do
	say "EFI-KLOG $l"
done < /tmp/efilog
lab_efi
say "LINUX-DONE"

case " $(cat /proc/cmdline) " in
*" lab.wait "*)
	rm -f /sbin/poweroff
	printf '#!/bin/sh\nkill -USR2 1\n' > /sbin/poweroff
	chmod 755 /sbin/poweroff
	trap 'say LINUX-SHUTDOWN; sync; /bin/busybox poweroff -f' USR2 TERM INT
	while :; do
		sleep 1
	done
	;;
esac
sync
if has reboot; then
	reboot -f
fi
poweroff -f
