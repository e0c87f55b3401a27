#!/bin/sh
# Runs Debian's fw_printenv or fw_setenv (libubootenv-tool, in the dom0
# initramfs) on the environment a guest saved on its FAT partition, from dom0
# while the guest is gone (a case's `exec` after `destroy`). Shipped in the
# payload as /payload/dom0-fwenv.sh.
#
#   dom0-fwenv.sh DISK PART fw_printenv|fw_setenv ARGS...
#     DISK  the dom0 device of the guest's disk (a case's $DISK_xvda)
#     PART  the partition number of the FAT partition (1)
# The copies are /uboot.env and /uboot-redund.env, 16 KiB each (xenboot's
# ENV_STORE_SIZE), U-Boot's redundant layout: fw_env.config lists both. If
# the guest wrote only one, the other is created zero-filled (an invalid
# copy, as U-Boot and libubootenv treat a missing one) and this is said.
# Prints the files, the command and its output; exits with the command's
# status.
disk=$(readlink -f "$1")
part=$2
shift 2
mnt=/mnt/fwenv
mkdir -p $mnt
mount -t vfat "$disk$part" $mnt || { echo "cannot mount $disk$part"; exit 1; }
for f in uboot.env uboot-redund.env; do
	if [ ! -f "$mnt/$f" ]; then
		echo "$f missing: creating it zero-filled"
		dd if=/dev/zero of="$mnt/$f" bs=16384 count=1 2>/dev/null
	fi
done
ls -l $mnt
printf '%s 0x0 0x4000\n%s 0x0 0x4000\n' "$mnt/uboot.env" "$mnt/uboot-redund.env" > /tmp/fw_env.config
echo "$*:"
cmd=$1
shift
"$cmd" -c /tmp/fw_env.config "$@" 2>&1
rc=$?
sync
umount $mnt
exit $rc
