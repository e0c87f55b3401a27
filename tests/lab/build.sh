#!/bin/bash
# Builds the lab: Debian's Xen 4.17 arm64 hypervisor, Debian's arm64 kernel and
# a dom0 initramfs holding the Xen toolstack. Everything comes from Debian
# packages, fetched with `apt-get download` and unpacked with `dpkg-deb -x`;
# no arm64 program runs on the host.
#
#   tests/lab/build.sh LABDIR
#
# Needs (scripts/install-deps): the arm64 architecture in dpkg, cpio, gzip.
# Root is not needed. Work already done is skipped: .debs already in
# LABDIR/debs are not downloaded again, and the outputs are rebuilt only when
# this script, dom0-init.sh, domu-init.sh, linux-init.sh, udhcpc.sh or the set
# of .debs changed.
#
# Outputs in LABDIR: xen, Image (dom0 kernel, also the Linux domU cases'
# kernel), Image.gz (the same, gzip-compressed as Ubuntu and Fedora ship it),
# kver (its version), dom0-initrd.cpio.gz (with xen-netback, the bridge and
# dnsmasq for the network cases), domu-initrd.cpio.gz (busybox + xen-blkfront
# + xen-netfront + vfat for Linux domU cases, /init = domu-init.sh),
# linux-initrd.cpio.gz (what the boot disks hold as initrd.img-<kver>, and
# what dom0 serves for pxe boot: busybox + xen-blkfront + xen-netfront, /init
# = linux-init.sh); both Linux initrds have udhcpc.sh as udhcpc's script;
# distro/ (Debian's own boot
# config generators, taken from their packages at build time: u-boot-update of
# u-boot-menu, bootscr.uboot-generic and the defaults of flash-kernel; used by
# boot/mkbootdisk.sh), efi/ (the UEFI boot loaders of the EFI boot disks:
# grub/arm64-efi, GRUB's modules for grub-mkstandalone, and
# systemd-bootaa64.efi), manifest.txt (exact package versions).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${1:?usage: build.sh LABDIR}
mkdir -p "$LAB/debs"
LAB=$(cd "$LAB" && pwd)

T0=$EPOCHREALTIME
log() { printf '  LAB     [%5.1fs] %s\n' "$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN{print b-a}')" "$*"; }
die() { echo "lab build: $*" >&2; exit 1; }

dpkg --print-foreign-architectures | grep -qx arm64 ||
	die "dpkg has no arm64 architecture; run 'sudo scripts/install-deps' first"
for t in cpio gzip dpkg-deb apt-get; do
	command -v "$t" >/dev/null || die "$t not found; run 'sudo scripts/install-deps' first"
done

# The kernel ABI package (linux-image-6.1.0-N-arm64) is named by the
# linux-image-arm64 meta package; resolving it picks up Debian's security
# updates. An empty answer means the arm64 package lists are missing.
KPKG=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/{sub(":arm64", "", $2); print $2; exit}')
[ -n "$KPKG" ] || die "cannot resolve linux-image-arm64:arm64 (run 'sudo apt-get update')"
KVER=${KPKG#linux-image-}

# The lab's network (tests/lab/dom0-net.sh): dnsmasq serves DHCP, TFTP and
# DNS on dom0's bridge (busybox has brctl, ip and httpd, but Debian's build
# has no tftpd); the rest are the libraries dnsmasq links, checked below.
NET_PKGS="
dnsmasq-base libdbus-1-3 libsystemd0 libcap2 libgcrypt20 libgpg-error0 liblz4-1
liblzma5 libzstd1 libidn2-0 libunistring2 libnetfilter-conntrack3 libnfnetlink0
libmnl0 libnettle8 libhogweed6 libgmp10 libnftables1 libnftnl11 libjansson4
libxtables12
"
# What dom0 needs: Xen, the toolstack and its libraries, busybox, bash (the
# hotplug scripts), flock from util-linux (hotplug locking), and the kernel.
ARM64_PKGS="
xen-hypervisor-4.17-arm64 xen-utils-4.17 xen-utils-common xenstore-utils
libxencall1 libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenmisc4.17
libxenstore4 libxentoollog1 libxenhypfs1 libxendevicemodel1 libxentoolcore1
libyajl2 libfdt1 libuuid1 zlib1g libncurses6 libtinfo6 libc6 libgcc-s1
busybox-static bash util-linux
libubootenv-tool libubootenv0.1
$NET_PKGS
$KPKG
"
# Not unpacked into dom0: the tools a Debian system uses to write its boot
# configuration (extlinux.conf, boot.scr); only their scripts are taken.
DISTRO_PKGS="u-boot-menu flash-kernel"
# Not unpacked into dom0 either: the UEFI boot loaders the EFI boot disks
# hold (boot/mkbootdisk.sh efi-*): GRUB's arm64-efi modules, from which the
# host's grub-mkstandalone (grub-common, scripts/install-deps) builds
# BOOTAA64.EFI, and systemd-boot's systemd-bootaa64.efi.
EFI_PKGS="grub-efi-arm64-bin systemd-boot-efi"

# --- 1. download what is missing ---------------------------------------------
deb_of() { ls "$LAB/debs/$1"_*_arm64.deb "$LAB/debs/$1"_*_all.deb 2>/dev/null | head -1; }
need=""
for p in $ARM64_PKGS; do
	[ -n "$(deb_of "$p")" ] || need="$need $p:arm64"
done
# u-boot-menu is Architecture: all (no :arm64), flash-kernel arm64 only.
[ -n "$(deb_of u-boot-menu)" ] || need="$need u-boot-menu"
[ -n "$(deb_of flash-kernel)" ] || need="$need flash-kernel:arm64"
for p in $EFI_PKGS; do
	[ -n "$(deb_of "$p")" ] || need="$need $p:arm64"
done
if [ -n "$need" ]; then
	log "downloading:$need"
	# As root, apt warns that the download is unsandboxed; that is harmless.
	(cd "$LAB/debs" && apt-get download -q $need 2>&1 |
		grep -v -e '^W: Download is performed unsandboxed' -e '^Get:' || true)
	for p in $ARM64_PKGS $DISTRO_PKGS $EFI_PKGS; do
		[ -n "$(deb_of "$p")" ] || die "download of $p:arm64 failed"
	done
fi

# --- 2. up to date? ----------------------------------------------------------
# The key covers the build recipe and the exact .debs used.
key=$( {
	cat "$HERE/build.sh" "$HERE/dom0-init.sh" "$HERE/domu-init.sh" "$HERE/linux-init.sh" \
		"$HERE/udhcpc.sh"
	for p in $ARM64_PKGS $DISTRO_PKGS $EFI_PKGS; do basename "$(deb_of "$p")"; done
} | md5sum | cut -d' ' -f1)
if [ -f "$LAB/build.key" ] && [ "$(cat "$LAB/build.key")" = "$key" ] &&
	[ -f "$LAB/xen" ] && [ -f "$LAB/Image" ] && [ -f "$LAB/dom0-initrd.cpio.gz" ] &&
	[ -f "$LAB/domu-initrd.cpio.gz" ] && [ -f "$LAB/linux-initrd.cpio.gz" ] &&
	[ -f "$LAB/Image.gz" ] && [ -f "$LAB/distro/u-boot-update" ] &&
	[ -f "$LAB/efi/systemd-bootaa64.efi" ] && [ -f "$LAB/efi/grub/arm64-efi/moddep.lst" ]; then
	log "up to date ($LAB)"
	exit 0
fi
rm -f "$LAB/build.key"

: > "$LAB/manifest.txt"
for p in $ARM64_PKGS $DISTRO_PKGS $EFI_PKGS; do
	printf '%s:%s %s\n' "$p" "$(dpkg-deb -f "$(deb_of "$p")" Architecture)" \
		"$(dpkg-deb -f "$(deb_of "$p")" Version)" >> "$LAB/manifest.txt"
done
for p in qemu-system-arm grub-common; do
	printf '%s %s (host)\n' "$p" \
		"$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo '?')" >> "$LAB/manifest.txt"
done

# --- 3. unpack ----------------------------------------------------------------
STAGE="$LAB/stage"
rm -rf "$STAGE"
mkdir -p "$STAGE"
for p in $ARM64_PKGS; do
	dpkg-deb -x "$(deb_of "$p")" "$STAGE"
done
log "packages unpacked"

# Both boot binaries are in arm64 Image format: Debian's arm64 "vmlinuz" is
# an uncompressed Image, and Xen 4.17 ships one too.
cp "$STAGE/boot/xen-4.17-arm64" "$LAB/xen"
cp "$STAGE/boot/vmlinuz-$KVER" "$LAB/Image"
gzip -9 -n -c "$LAB/Image" > "$LAB/Image.gz"
echo "$KVER" > "$LAB/kver"

# Debian's boot config generators, as their packages ship them.
rm -rf "$LAB/distro" "$STAGE.distro"
mkdir -p "$LAB/distro"
for p in $DISTRO_PKGS; do
	dpkg-deb -x "$(deb_of "$p")" "$STAGE.distro"
done
cp "$STAGE.distro/usr/sbin/u-boot-update" "$STAGE.distro/etc/default/u-boot" \
	"$STAGE.distro/etc/flash-kernel/bootscript/bootscr.uboot-generic" "$LAB/distro/"
cp "$STAGE.distro/usr/share/flash-kernel/default/flash-kernel" "$LAB/distro/flash-kernel.default"
rm -rf "$STAGE.distro"

# The UEFI boot loaders, as their packages ship them: GRUB's module
# directory (grub-mkstandalone -d LABDIR/efi/grub/arm64-efi) and the
# systemd-boot binary.
rm -rf "$LAB/efi" "$STAGE.efi"
mkdir -p "$LAB/efi/grub"
for p in $EFI_PKGS; do
	dpkg-deb -x "$(deb_of "$p")" "$STAGE.efi"
done
cp -a "$STAGE.efi/usr/lib/grub/arm64-efi" "$LAB/efi/grub/"
cp "$STAGE.efi/usr/lib/systemd/boot/efi/systemd-bootaa64.efi" "$LAB/efi/"
rm -rf "$STAGE.efi"

# --- 4. dom0 initramfs -----------------------------------------------------------
MODDIR="$STAGE/lib/modules/$KVER"
# Prints module paths relative to MODDIR, dependencies first. The
# dependencies come from each module's .modinfo, so no depmod is needed.
mod_closure() {
	local m f deps
	for m in "$@"; do
		f=$(find "$MODDIR/kernel" -name "$m.ko" -o -name "${m//-/_}.ko" | head -1)
		[ -n "$f" ] || die "module $m not found in $KPKG"
		deps=$(tr '\0' '\n' < "$f" | grep -a '^depends=' | head -1 | cut -d= -f2 | tr ',' ' ')
		[ -z "$deps" ] || mod_closure $deps
		echo "${f#"$MODDIR"/}"
	done
}

# Every shared library the ELF files $2... (relative to root $1) need, and
# the ones those need, must be in $1: a missing one only shows in dom0 as a
# program that does not start.
check_needed() {
	local root=$1 todo seen=" " f lib p
	shift
	command -v readelf >/dev/null || return 0
	todo="$*"
	while [ -n "$todo" ]; do
		set -- $todo
		f=$1
		shift
		todo="$*"
		for lib in $(readelf -d "$root/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case "$seen" in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			for p in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib; do
				[ -e "$root/$p/$lib" ] && break
				p=""
			done
			[ -n "$p" ] || die "$f needs $lib, which no package in the lab has"
			todo="$todo $p/$lib"
		done
	done
}

R="$LAB/dom0-root"
rm -rf "$R"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,usr/lib,lib,etc,proc,sys,dev,tmp,run,payload,root}
mkdir -p "$R"/var/{lib/xen,lib/xenstored,log/xen/console}
ln -s ../run "$R/var/run"
ln -s ../run/lock "$R/var/lock"
cp "$STAGE/bin/busybox" "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
cp "$STAGE/bin/bash" "$R/bin/bash"
# Debian's busybox has no flock applet; Xen's hotplug locking.sh needs one.
cp "$STAGE/usr/bin/flock" "$R/usr/bin/flock"
cp -a "$STAGE/lib/." "$R/lib/"
rm -rf "$R/lib/modules" "$R/lib/firmware"
cp -a "$STAGE/usr/lib/aarch64-linux-gnu" "$R/usr/lib/"
rm -rf "$R/usr/lib/aarch64-linux-gnu/gconv" "$R/usr/lib/aarch64-linux-gnu/audit"
mkdir -p "$R/usr/lib/xen-4.17"
cp -a "$STAGE/usr/lib/xen-4.17/bin" "$R/usr/lib/xen-4.17/"
cp -a "$STAGE"/usr/bin/xenstore* "$R/usr/bin/"
# Debian's fw_printenv/fw_setenv (libubootenv-tool): the env cases read and
# change what xenboot saved on a guest's ESP.
cp -a "$STAGE"/usr/bin/fw_printenv "$STAGE"/usr/bin/fw_setenv "$R/usr/bin/"
cp -a "$STAGE/etc/xen" "$R/etc/"
cp -a "$STAGE/usr/sbin/dnsmasq" "$R/usr/sbin/"
mkdir -p "$R/srv"
check_needed "$R" usr/sbin/dnsmasq
# Copies modules $2... and their dependencies into root $1 and lists them, in
# load order, in $1/etc/modules.load.
install_modules() {
	local root=$1 rel
	shift
	mkdir -p "$root/lib/modules/$KVER" "$root/etc"
	: > "$root/etc/modules.load"
	for rel in $(mod_closure "$@" | awk '!seen[$0]++'); do
		mkdir -p "$root/lib/modules/$KVER/$(dirname "$rel")"
		cp "$MODDIR/$rel" "$root/lib/modules/$KVER/$rel"
		echo "/lib/modules/$KVER/$rel" >> "$root/etc/modules.load"
	done
}
mk_cpio() { # $1 root, $2 output
	(cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) |
		gzip -1 > "$2.tmp"
	mv "$2.tmp" "$2"
}
# privcmd/xenfs/evtchn/gntdev/gntalloc: the toolstack; blkback + virtio:
# the payload disk and PV disks for guests; netback + bridge: the guests'
# vifs on xenbr0.
install_modules "$R" xen-privcmd xenfs xen-evtchn xen-gntdev xen-gntalloc xen-blkback \
	virtio_mmio virtio_blk loop vfat nls_cp437 nls_ascii nls_utf8 xen-netback bridge
install -m 755 "$HERE/dom0-init.sh" "$R/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\n' > "$R/etc/group"
mk_cpio "$R" "$LAB/dom0-initrd.cpio.gz"

# --- 5. Linux domU initramfs ------------------------------------------------------
# For the cases whose guest is Linux (Debian's kernel, the same Image as
# dom0's): busybox, xen-blkfront, vfat (to read what xenboot saved on a FAT
# partition) and domu-init.sh as /init.
U="$LAB/domu-root"
rm -rf "$U"
mkdir -p "$U"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,mnt}
cp "$STAGE/bin/busybox" "$U/bin/busybox"
ln -s busybox "$U/bin/sh"
install_modules "$U" xen-blkfront xen-netfront vfat nls_cp437 nls_ascii nls_utf8
install -m 755 "$HERE/domu-init.sh" "$U/init"
install -D -m 755 "$HERE/udhcpc.sh" "$U/etc/udhcpc/default.script"
mk_cpio "$U" "$LAB/domu-initrd.cpio.gz"

# --- 6. the initrd on the boot disks ------------------------------------------------
# What xenboot loads as /boot/initrd.img-<kver>: busybox, xen-blkfront and
# linux-init.sh as /init (marker, command line, disks, kernel log, poweroff).
L="$LAB/linux-root"
rm -rf "$L"
mkdir -p "$L"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp}
cp "$STAGE/bin/busybox" "$L/bin/busybox"
ln -s busybox "$L/bin/sh"
# efivarfs, vfat and its code pages: the EFI cases read and write UEFI
# variables and copy the variable file to the ESP (linux-init.sh lab.efi*).
install_modules "$L" xen-blkfront xen-netfront efivarfs vfat nls_cp437 nls_ascii nls_utf8
install -m 755 "$HERE/linux-init.sh" "$L/init"
install -D -m 755 "$HERE/udhcpc.sh" "$L/etc/udhcpc/default.script"
mk_cpio "$L" "$LAB/linux-initrd.cpio.gz"
rm -rf "$STAGE" "$R" "$U" "$L"
echo "$key" > "$LAB/build.key"
log "dom0 initramfs $(du -h "$LAB/dom0-initrd.cpio.gz" | cut -f1), domU initramfs" \
	"$(du -h "$LAB/domu-initrd.cpio.gz" | cut -f1), boot-disk initrd" \
	"$(du -h "$LAB/linux-initrd.cpio.gz" | cut -f1), kernel $KVER"
