#!/bin/bash
# Builds the boot disks of the issue-7 lab cases (the bootdisk recipe of
# tests/lab/gen.py): guest disks holding Debian's own arm64 kernel and an
# initrd (LABDIR/linux-initrd.cpio.gz, /init = tests/lab/linux-init.sh) with
# the boot configuration a Debian system writes for itself. Debian's tools
# only, no root, no loop mounts: sgdisk/sfdisk, mkfs.ext4 -d, mkfs.vfat +
# mtools, mkimage (u-boot-tools). The kernel version is KVER
# (LABDIR/kver), e.g. 6.1.0-57-arm64.
#
#   mkbootdisk.sh LAYOUT LABDIR OUTDIR   writes OUTDIR/bootdisk.img and
#                                        OUTDIR/bootdisk.env
# Layouts:
#   gpt   GPT: p1 "ESP" FAT32 40 MiB (empty: uboot.env goes here), p2 "rootfs"
#         ext4 with /boot/vmlinuz-KVER (the plain Image, as Debian 12 ships
#         it), /boot/initrd.img-KVER and /boot/extlinux/extlinux.conf written
#         by Debian's own u-boot-update (package u-boot-menu) for that root:
#         labels l0 and l0r (rescue), timeout 50, prompt 0, fdtdir of the
#         kernel package's DTB directory (present on a real Debian arm64
#         system, empty here: no DTB for a Xen guest is in it)
#   mbr   MBR: p1 FAT16 16 MiB (empty), p2 ext4 marked bootable, as gpt but
#         /boot/vmlinuz-KVER is gzip-compressed (Image.gz, what Ubuntu and
#         Fedora ship as vmlinuz). No uboot.env: as in U-Boot, a saved
#         environment replaces the defaults (bootcmd included), so only a
#         complete one, saved by xenboot, belongs on a boot disk
#   scr   MBR: p1 FAT32 48 MiB mounted as /boot by flash-kernel's rules:
#         /boot.scr (flash-kernel's bootscr.uboot-generic with its @@...@@
#         filled as flash-kernel does, wrapped by mkimage -T script),
#         /vmlinuz-KVER, /initrd.img-KVER; no dtb-KVER: the script loads one,
#         and on a Xen guest it is Xen's own, which the case saves there from
#         xenboot's prompt first; p2 ext4 root (8 MiB, /etc only)
#   menu  MBR: p1 ext4: /extlinux/extlinux.conf with two labels, prompt 1,
#         timeout 3 s, "linux" + "initrd" in one, "kernel" + initrd= in
#         "append" in the other (lab.wait: Linux then waits for xl shutdown),
#         /vmlinuz, /initrd.img
#   efi-grub   GPT as a Debian arm64 installation with GRUB leaves it, no
#         extlinux.conf or boot.scr anywhere: p1 "ESP" FAT32 40 MiB (EF00)
#         with /EFI/BOOT/BOOTAA64.EFI = grub-mkstandalone -O arm64-efi from
#         Debian's grub-efi-arm64-bin modules (LABDIR/efi/grub, every module
#         in its memdisk) whose embedded grub.cfg finds the root by its UUID
#         and configfile's its /boot/grub/grub.cfg; p2 ext4 root with
#         /boot/vmlinuz-KVER (the plain Image, as Debian 12 ships it),
#         /boot/initrd.img-KVER and /boot/grub/grub.cfg written as
#         update-grub writes it for /etc/default/grub with GRUB_TIMEOUT=1,
#         GRUB_CMDLINE_LINUX="console=hvc0" (one menuentry, BOOT_IMAGE= is
#         GRUB's own addition to the command line)
#   efi-grub-t0   the same with GRUB_TIMEOUT=0: no menu, the default entry at
#         once (make bench-boot, as bootdelay 0 there)
#   efi-sdboot GPT: p1 "ESP" FAT32 64 MiB with /EFI/BOOT/BOOTAA64.EFI =
#         Debian's systemd-bootaa64.efi (systemd-boot-efi), /loader/loader.conf
#         (default debian.conf, timeout 1) and /loader/entries/debian.conf (Boot
#         Loader Specification type 1, as kernel-install lays it out with the
#         entry token "debian": linux /debian/KVER/linux, initrd
#         /debian/KVER/initrd.img-KVER, options root=UUID=... ro console=hvc0
#         quiet lab.sdboot); the kernel is the uncompressed Image
#         (systemd-boot cannot inflate a gzip one); p2 ext4 root (8 MiB, /etc)
#   efi-stub   GPT: p1 "ESP" FAT32 64 MiB with /Image (Debian's kernel, an
#         EFI application) and /initrd.img only, for `bootefi` by hand (and
#         the ESP the variable file goes to)
# bootdisk.env: KVER, UUID (of the ext4 root), APPEND_L0 / APPEND_L0R (the
# append lines of the written extlinux.conf), SCR_CMDLINE (the bootargs the
# boot script sets, given empty bootargs), TOTAL_SECTORS; for efi-*:
# KERNEL_SIZE and INITRD_SIZE (bytes), GRUB_CMDLINE (the command line GRUB
# gives Linux), SDBOOT_OPTIONS (the entry's options line), ESP_UUID (the FAT
# volume id), EFI_APP_SIZE (bytes of BOOTAA64.EFI).
set -euo pipefail
LAYOUT=$1
LAB=$(cd "$2" && pwd)
OUT=$3
PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C.UTF-8 MTOOLS_SKIP_CHECK=1 E2FSPROGS_FAKE_TIME=1700000000 SOURCE_DATE_EPOCH=1700000000
die() { echo "mkbootdisk: $*" >&2; exit 1; }
for t in mkimage sgdisk sfdisk mkfs.ext4 mkfs.vfat mcopy; do
	command -v $t >/dev/null || die "$t not found: run 'sudo scripts/install-deps'"
done
KVER=$(cat "$LAB/kver")
D=$LAB/distro
[ -f "$D/u-boot-update" ] || die "$D/u-boot-update missing: run 'make lab-build'"
mkdir -p "$OUT"
W=$OUT/bootdisk-work
rm -rf "$W"
mkdir -p "$W"
IMG=$OUT/bootdisk.img
# A fixed UUID per layout: the images (and the cases' expected lines) are
# reproducible.
case "$LAYOUT" in
gpt) UUID=6c61622d-0001-4000-8000-78656e626f6f ;;
mbr) UUID=6c61622d-0002-4000-8000-78656e626f6f ;;
scr) UUID=6c61622d-0003-4000-8000-78656e626f6f ;;
menu) UUID=6c61622d-0004-4000-8000-78656e626f6f ;;
efi-grub | efi-grub-t0) UUID=6c61622d-0005-4000-8000-78656e626f6f ;;
efi-sdboot) UUID=6c61622d-0006-4000-8000-78656e626f6f ;;
efi-stub) UUID=6c61622d-0007-4000-8000-78656e626f6f ;;
*) die "unknown layout $LAYOUT (gpt, mbr, scr, menu, efi-grub[-t0], efi-sdboot, efi-stub)" ;;
esac

# A root as Debian leaves it: the kernel package's files under /boot, its DTB
# directory, fstab and os-release (u-boot-update reads both).
stage_root() { # $1 root, $2 kernel file
	mkdir -p "$1/boot" "$1/etc/default" "$1/usr/lib/linux-image-$KVER" "$1/proc"
	cp "$2" "$1/boot/vmlinuz-$KVER"
	cp "$LAB/linux-initrd.cpio.gz" "$1/boot/initrd.img-$KVER"
	printf 'UUID=%s / ext4 errors=remount-ro 0 1\n' "$UUID" > "$1/etc/fstab"
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n' \
		> "$1/etc/os-release"
	: > "$1/proc/cmdline"
}

# Runs Debian's u-boot-update (u-boot-menu) against root $1 instead of /:
# its file-system paths get the prefix, the text it writes stays as on a
# real system. linux-version (linux-base, Perl) becomes a sorted ls.
u_boot_update() { # $1 root
	local r=$1 s=$W/u-boot-update
	cp "$D/u-boot" "$r/etc/default/u-boot"
	# What a Xen guest's admin adds: the console is hvc0.
	echo 'U_BOOT_PARAMETERS="ro quiet console=hvc0"' >> "$r/etc/default/u-boot"
	sed -e 's|"$(id -u)"|"0"|' \
		-e "s|/etc/|$r/etc/|g" \
		-e "s|/usr/share/u-boot-menu|$r/usr/share/u-boot-menu|g" \
		-e "s|/usr/lib/os-release|$r/usr/lib/os-release|g" \
		-e "s|/proc/cmdline|$r/proc/cmdline|g" \
		-e "s|\"\${_U_BOOT_DIRECTORY}\"|\"$r\${_U_BOOT_DIRECTORY}\"|g" \
		-e "s|Update \"\${_U_BOOT_DIRECTORY}|Update \"$r\${_U_BOOT_DIRECTORY}|" \
		-e "s#linux-version list --paths | linux-version sort --reverse#ls -d $r/boot/vmlinuz-* | sort -r -V#" \
		-e "s|stat --printf %d /)|stat --printf %d $r/)|" \
		-e "s|stat --printf %d /boot)|stat --printf %d $r/boot)|" \
		-e "s|-e \"/boot/|-e \"$r/boot/|g" \
		-e "s|\"\${_BOOT_PATH}|\"$r\${_BOOT_PATH}|g" \
		"$D/u-boot-update" > "$s"
	sh "$s" > "$W/u-boot-update.log" 2>&1 || { cat "$W/u-boot-update.log" >&2; die "u-boot-update failed"; }
	local c=$r/boot/extlinux/extlinux.conf
	# If a new u-boot-menu defeats the rewrite, say so instead of testing
	# something else.
	for want in "default l0" "prompt 0" "timeout 50" "label l0r" "linux /boot/vmlinuz-$KVER" \
		"initrd /boot/initrd.img-$KVER" "fdtdir /usr/lib/linux-image-$KVER/" \
		"append root=UUID=$UUID ro quiet console=hvc0"; do
		grep -qF "$want" "$c" 2>/dev/null || die "u-boot-update's extlinux.conf lacks '$want'"
	done
	grep -q "$r" "$c" && die "u-boot-update's extlinux.conf names the staging root"
	APPEND_L0=$(awk '/^label l0$/ {l = 1} l && /append/ {sub(/^[ \t]*append /, ""); print; exit}' "$c")
	APPEND_L0R=$(awk '/^label l0r$/ {l = 1} l && /append/ {sub(/^[ \t]*append /, ""); print; exit}' "$c")
	cp "$c" "$W/extlinux.conf"
}

mkext4() { # $1 dir, $2 image, $3 MiB
	mkfs.ext4 -q -F -b 4096 -L rootfs -U "$UUID" -E root_owner=0:0 -d "$1" "$2" "$3M" >/dev/null
}
mkfat() { # $1 image, $2 MiB, $3 FAT bits, $4 label
	mkfs.vfat -C -F "$3" -s 1 -S 512 -n "$4" -i 6c616200 "$1" $(($2 * 1024)) >/dev/null
}
# GPT or MBR disk of partitions: mkdisk gpt|mbr p1.img:TYPE[:boot] ...
mkdisk() {
	local kind=$1 p mib=2 lba=2048 n=0 args=() sf="label: dos" f t flag sz
	shift
	for p in "$@"; do mib=$((mib + $(stat -c %s "${p%%:*}") / 1048576)); done
	rm -f "$IMG"
	truncate -s "${mib}M" "$IMG"
	for p in "$@"; do
		IFS=: read -r f t flag <<< "$p"
		n=$((n + 1))
		sz=$(($(stat -c %s "$f") / 512))
		if [ "$kind" = gpt ]; then
			args+=(-n "$n:$lba:$((lba + sz - 1))" -t "$n:$t" -c "$n:$([ "$t" = ef00 ] && echo ESP || echo rootfs)")
		else
			sf+=$'\n'"start=$lba, size=$sz, type=$t${flag:+, bootable}"
		fi
		dd if="$f" of="$IMG" bs=512 seek="$lba" conv=notrunc status=none
		lba=$((lba + sz))
	done
	if [ "$kind" = gpt ]; then
		sgdisk "${args[@]}" "$IMG" >/dev/null
	else
		echo "$sf" | sfdisk -q --no-reread --no-tell-kernel --wipe never "$IMG" 2>/dev/null >/dev/null
	fi
}

# /boot/grub/grub.cfg as Debian 12's update-grub (grub-mkconfig, templates
# 00_header, 05_debian_theme, 10_linux) writes it for the root $UUID on
# (hd0,gpt2) with the /etc/default/grub above: GRUB_TERMINAL=console, one
# kernel, its recovery entry in the submenu. Printed to stdout.
grub_cfg() {
	local hint="--hint-bios=hd0,gpt2 --hint-efi=hd0,gpt2 --hint-baremetal=ahci0,gpt2"
	local search="search --no-floppy --fs-uuid --set=root"
	cat <<-EOF
	#
	# DO NOT EDIT THIS FILE
	#
	# It is automatically generated by grub-mkconfig using templates
	# from /etc/grub.d and settings from /etc/default/grub
	#

	### BEGIN /etc/grub.d/00_header ###
	if [ -s \$prefix/grubenv ]; then
	  set have_grubenv=true
	  load_env
	fi
	if [ "\${next_entry}" ] ; then
	   set default="\${next_entry}"
	   set next_entry=
	   save_env next_entry
	   set boot_once=true
	else
	   set default="0"
	fi

	if [ x"\${feature_menuentry_id}" = xy ]; then
	  menuentry_id_option="--id"
	else
	  menuentry_id_option=""
	fi

	export menuentry_id_option

	if [ "\${prev_saved_entry}" ]; then
	  set saved_entry="\${prev_saved_entry}"
	  save_env saved_entry
	  set prev_saved_entry=
	  save_env prev_saved_entry
	  set boot_once=true
	fi

	function savedefault {
	  if [ -z "\${boot_once}" ]; then
	    saved_entry="\${chosen}"
	    save_env saved_entry
	  fi
	}
	function load_video {
	  if [ x\$feature_all_video_module = xy ]; then
	    insmod all_video
	  else
	    insmod efi_gop
	    insmod efi_uga
	    insmod ieee1275_fb
	    insmod vbe
	    insmod vga
	    insmod video_bochs
	    insmod video_cirrus
	  fi
	}

	terminal_input console
	terminal_output console
	if [ x\$feature_timeout_style = xy ] ; then
	  set timeout_style=menu
	  set timeout=$GRUB_TIMEOUT
	# Fallback normal timeout code in case the timeout_style feature is
	# unavailable.
	else
	  set timeout=$GRUB_TIMEOUT
	fi
	### END /etc/grub.d/00_header ###

	### BEGIN /etc/grub.d/05_debian_theme ###
	set menu_color_normal=cyan/blue
	set menu_color_highlight=white/blue
	### END /etc/grub.d/05_debian_theme ###

	### BEGIN /etc/grub.d/10_linux ###
	function gfxmode {
	        set gfxpayload="\${1}"
	}
	set linux_gfx_mode=
	export linux_gfx_mode
	menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-simple-$UUID' {
	        load_video
	        insmod gzio
	        if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
	        insmod part_gpt
	        insmod ext2
	        if [ x\$feature_platform_search_hint = xy ]; then
	          $search $hint  $UUID
	        else
	          $search $UUID
	        fi
	        echo        'Loading Linux $KVER ...'
	        linux       /boot/vmlinuz-$KVER root=UUID=$UUID ro console=hvc0 quiet
	        echo        'Loading initial ramdisk ...'
	        initrd      /boot/initrd.img-$KVER
	}
	submenu 'Advanced options for Debian GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-$UUID' {
	        menuentry 'Debian GNU/Linux, with Linux $KVER (recovery mode)' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-$KVER-recovery-$UUID' {
	                load_video
	                insmod gzio
	                if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
	                insmod part_gpt
	                insmod ext2
	                $search $UUID
	                echo        'Loading Linux $KVER ...'
	                linux       /boot/vmlinuz-$KVER root=UUID=$UUID ro single console=hvc0
	                echo        'Loading initial ramdisk ...'
	                initrd      /boot/initrd.img-$KVER
	        }
	}

	### END /etc/grub.d/10_linux ###

	### BEGIN /etc/grub.d/40_custom ###
	# This file provides an easy way to add custom menu entries.  Simply type the
	# menu entries you want to add after this comment.  Be careful not to change
	# the 'exec tail' line above.
	### END /etc/grub.d/40_custom ###
	EOF
}

APPEND_L0=""
APPEND_L0R=""
SCR_CMDLINE=""
GRUB_CMDLINE=""
SDBOOT_OPTIONS=""
EFI_APP=""
R=$W/root
case "$LAYOUT" in
gpt | mbr)
	if [ "$LAYOUT" = gpt ]; then
		stage_root "$R" "$LAB/Image"
	else
		stage_root "$R" "$LAB/Image.gz"
	fi
	u_boot_update "$R"
	rm -rf "$R/proc"
	mkext4 "$R" "$W/p2.img" 64
	if [ "$LAYOUT" = gpt ]; then
		mkfat "$W/p1.img" 40 32 ESP
		mkdisk gpt "$W/p1.img:ef00" "$W/p2.img:8300"
	else
		mkfat "$W/p1.img" 16 16 ESP
		mkdisk mbr "$W/p1.img:e" "$W/p2.img:83:boot"
	fi
	;;
scr)
	# flash-kernel's mkimage_script(): a "# flash-kernel: <name>" banner
	# (dash's echo expands the \n), the script, its @@...@@ filled from
	# /etc/default/flash-kernel, the ubootenv.d and preboot.d snippets
	# (none here), booti on arm64; mkimage -A arm64 -O linux -T script.
	. "$D/flash-kernel.default"
	LINUX_KERNEL_CMDLINE="$LINUX_KERNEL_CMDLINE console=hvc0 lab.bootscr"
	LINUX_KERNEL_CMDLINE_DEFAULTS="root=UUID=$UUID"
	{
		printf '\n#\n# flash-kernel: bootscr.uboot-generic\n#\n\n'
		cat "$D/bootscr.uboot-generic"
	} > "$W/bootscript"
	: > "$W/empty"
	sed -e "s/@@KERNEL_VERSION@@/$KVER/g" \
		-e "s!@@LINUX_KERNEL_CMDLINE@@!$LINUX_KERNEL_CMDLINE!g" \
		-e "s!@@LINUX_KERNEL_CMDLINE_DEFAULTS@@!$LINUX_KERNEL_CMDLINE_DEFAULTS!g" \
		-e "s!@@BOOT_CMD@@!booti!g" \
		-e "/@@UBOOT_ENV_EXTRA@@/{
			s/@@UBOOT_ENV_EXTRA@@//g
			r $W/empty
		}" \
		-e "/@@UBOOT_PREBOOT_EXTRA@@/{
			s/@@UBOOT_PREBOOT_EXTRA@@//g
			r $W/empty
		}" < "$W/bootscript" > "$W/bootscript.out"
	grep -q '@@' "$W/bootscript.out" && die "a @@...@@ placeholder is left in the boot script"
	mkimage -A arm64 -O linux -T script -C none -a 0 -e 0 -n "boot script" \
		-d "$W/bootscript.out" "$W/boot.scr" >/dev/null
	cp "$W/bootscript.out" "$W/boot.script"
	# bootargs = "DEFAULTS ${bootargs} CMDLINE" with ${bootargs} empty.
	SCR_CMDLINE="$LINUX_KERNEL_CMDLINE_DEFAULTS  $LINUX_KERNEL_CMDLINE"
	mkfat "$W/p1.img" 48 32 BOOT
	cp "$LAB/Image" "$W/vmlinuz-$KVER"
	cp "$LAB/linux-initrd.cpio.gz" "$W/initrd.img-$KVER"
	mcopy -Q -i "$W/p1.img" "$W/boot.scr" "$W/vmlinuz-$KVER" "$W/initrd.img-$KVER" ::/
	mkdir -p "$R/etc" "$R/boot"
	printf 'UUID=%s / ext4 errors=remount-ro 0 1\nLABEL=BOOT /boot vfat defaults 0 2\n' "$UUID" > "$R/etc/fstab"
	mkext4 "$R" "$W/p2.img" 8
	mkdisk mbr "$W/p1.img:c" "$W/p2.img:83"
	;;
menu)
	mkdir -p "$R/extlinux"
	cp "$LAB/Image" "$R/vmlinuz"
	cp "$LAB/linux-initrd.cpio.gz" "$R/initrd.img"
	cat > "$R/extlinux/extlinux.conf" <<-'EOF'
	# Two labels, picked at the prompt (xenboot lab, tests/lab/boot/mkbootdisk.sh)
	MENU TITLE xenboot lab menu
	TIMEOUT 30
	PROMPT 1
	DEFAULT one

	LABEL one
	  MENU LABEL lab one: powers off
	  LINUX ../vmlinuz
	  INITRD ../initrd.img
	  APPEND console=hvc0 quiet lab.label=one

	label two
	  menu label lab two: waits for xl shutdown
	  kernel /vmlinuz
	  append console=hvc0 quiet lab.label=two lab.wait initrd=/initrd.img
	EOF
	cp "$R/extlinux/extlinux.conf" "$W/extlinux.conf"
	mkext4 "$R" "$W/p1.img" 64
	mkdisk mbr "$W/p1.img:83"
	;;
efi-grub | efi-grub-t0)
	GRUB_TIMEOUT=1
	[ "$LAYOUT" = efi-grub-t0 ] && GRUB_TIMEOUT=0
	EFI_GRUB=$LAB/efi/grub/arm64-efi
	[ -f "$EFI_GRUB/moddep.lst" ] || die "$EFI_GRUB missing: run 'make lab-build'"
	command -v grub-mkstandalone >/dev/null ||
		die "grub-mkstandalone not found (grub-common): run 'sudo scripts/install-deps'"
	stage_root "$R" "$LAB/Image"
	rm -rf "$R/proc"
	printf 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=%s\nGRUB_DISTRIBUTOR=Debian\n%s\n%s\n%s\n' "$GRUB_TIMEOUT" \
		'GRUB_CMDLINE_LINUX_DEFAULT="quiet"' 'GRUB_CMDLINE_LINUX="console=hvc0"' \
		'GRUB_TERMINAL=console' > "$R/etc/default/grub"
	mkdir -p "$R/boot/grub"
	GRUB_CMDLINE="BOOT_IMAGE=/boot/vmlinuz-$KVER root=UUID=$UUID ro console=hvc0 quiet"
	grub_cfg > "$R/boot/grub/grub.cfg"
	cp "$R/boot/grub/grub.cfg" "$W/grub.cfg"
	mkext4 "$R" "$W/p2.img" 64
	# What grub-install embeds, for a standalone image: the partition and
	# file system modules (search probes only loaded file systems), find the
	# root, then its configuration. The modules stay in the memdisk
	# ($prefix), where the real grub.cfg's insmod lines find them. If the
	# root is not found, $root is still the memdisk: configfile would read
	# this file again, forever.
	cat > "$W/embedded.cfg" <<-EOF
	insmod part_gpt
	insmod part_msdos
	insmod ext2
	if search --no-floppy --fs-uuid --set=root $UUID; then
	  configfile (\$root)/boot/grub/grub.cfg
	else
	  echo "lab: no file system with UUID $UUID"
	fi
	EOF
	grub-script-check "$W/embedded.cfg" || die "embedded grub.cfg: syntax"
	grub-script-check "$R/boot/grub/grub.cfg" || die "grub.cfg: syntax"
	grub-mkstandalone -O arm64-efi -d "$EFI_GRUB" --locales= --fonts= --themes= \
		-o "$W/BOOTAA64.EFI" "boot/grub/grub.cfg=$W/embedded.cfg"
	mkfat "$W/p1.img" 40 32 ESP
	mmd -i "$W/p1.img" ::/EFI ::/EFI/BOOT
	mcopy -Q -i "$W/p1.img" "$W/BOOTAA64.EFI" ::/EFI/BOOT/BOOTAA64.EFI
	EFI_APP=$W/BOOTAA64.EFI
	mkdisk gpt "$W/p1.img:ef00" "$W/p2.img:8300"
	;;
efi-sdboot)
	SDBOOT=$LAB/efi/systemd-bootaa64.efi
	[ -f "$SDBOOT" ] || die "$SDBOOT missing: run 'make lab-build'"
	SDBOOT_OPTIONS="root=UUID=$UUID ro console=hvc0 quiet lab.sdboot"
	mkdir -p "$W/esp/loader/entries" "$W/esp/debian/$KVER" "$W/esp/EFI/BOOT"
	cp "$SDBOOT" "$W/esp/EFI/BOOT/BOOTAA64.EFI"
	printf 'default debian.conf\ntimeout 1\neditor no\n' > "$W/esp/loader/loader.conf"
	{
		echo '# Boot Loader Specification type#1 entry'
		echo 'title      Debian GNU/Linux 12 (bookworm)'
		echo "version    $KVER"
		echo 'sort-key   debian'
		echo "options    $SDBOOT_OPTIONS"
		echo "linux      /debian/$KVER/linux"
		echo "initrd     /debian/$KVER/initrd.img-$KVER"
	} > "$W/esp/loader/entries/debian.conf"
	# Debian's arm64 vmlinuz is already an uncompressed Image; a gzip one
	# would have to be inflated here.
	if [ "$(head -c 2 "$LAB/Image" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		gunzip -c "$LAB/Image" > "$W/esp/debian/$KVER/linux"
	else
		cp "$LAB/Image" "$W/esp/debian/$KVER/linux"
	fi
	cp "$LAB/linux-initrd.cpio.gz" "$W/esp/debian/$KVER/initrd.img-$KVER"
	mkfat "$W/p1.img" 64 32 ESP
	mcopy -Q -s -i "$W/p1.img" "$W/esp/EFI" "$W/esp/loader" "$W/esp/debian" ::/
	cp "$W/esp/loader/entries/debian.conf" "$W/debian.conf"
	cp "$W/esp/loader/loader.conf" "$W/loader.conf"
	EFI_APP=$SDBOOT
	mkdir -p "$R/etc/kernel"
	printf 'UUID=%s / ext4 errors=remount-ro 0 1\nLABEL=ESP /boot/efi vfat umask=0077 0 1\n' \
		"$UUID" > "$R/etc/fstab"
	echo "${SDBOOT_OPTIONS}" > "$R/etc/kernel/cmdline"
	mkext4 "$R" "$W/p2.img" 8
	mkdisk gpt "$W/p1.img:ef00" "$W/p2.img:8300"
	;;
efi-stub)
	mkfat "$W/p1.img" 64 32 ESP
	mcopy -Q -i "$W/p1.img" "$LAB/Image" ::/Image
	mcopy -Q -i "$W/p1.img" "$LAB/linux-initrd.cpio.gz" ::/initrd.img
	mkdisk gpt "$W/p1.img:ef00"
	;;
esac
{
	echo "KVER=$KVER"
	echo "UUID=$UUID"
	echo "APPEND_L0=$APPEND_L0"
	echo "APPEND_L0R=$APPEND_L0R"
	echo "SCR_CMDLINE=$SCR_CMDLINE"
	echo "TOTAL_SECTORS=$(($(stat -c %s "$IMG") / 512))"
	echo "KERNEL_SIZE=$(stat -c %s "$LAB/Image")"
	echo "INITRD_SIZE=$(stat -c %s "$LAB/linux-initrd.cpio.gz")"
	echo "GRUB_CMDLINE=$GRUB_CMDLINE"
	echo "SDBOOT_OPTIONS=$SDBOOT_OPTIONS"
	echo "ESP_UUID=6C61-6200"
	echo "EFI_APP_SIZE=$([ -n "$EFI_APP" ] && stat -c %s "$EFI_APP" || echo 0)"
} > "$OUT/bootdisk.env"
# The written configuration, for a reader of the run.
for f in extlinux.conf boot.script grub.cfg debian.conf loader.conf; do
	[ -f "$W/$f" ] && cp "$W/$f" "$OUT/bootdisk.$f"
done
rm -rf "$W"
echo "$IMG"
