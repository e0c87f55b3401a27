# Benchmarks on the project lab (tests/lab/run.sh, one QEMU boot each); they
# print figures and are not part of make test.
#   make bench      PV read of a whole 256 MiB disk, side by side: xenboot
#                   `pvblock read`, a Linux domU's `dd iflag=direct bs=32M`
#                   and dom0's own O_DIRECT read of the same device (the
#                   lab's limit); MiB/s per pass, medians, ratios
#                   (bench/bench.sh)
#   make bench-fs   ext4 `load` of a 128 MiB file vs `pvblock read` of the same
#                   span, a Linux domU reading the file through ext4 (dd
#                   iflag=direct bs=32M) and dom0's O_DIRECT read of the disk;
#                   MiB/s, medians, ratios (bench/bench-fs.sh)
#   make bench-boot `xl create` to Linux's marker through xenboot (extlinux,
#                   Image.gz or Image + initrd from ext4; UEFI GRUB from the
#                   ESP, Image from ext4) vs xl's direct boot of the same
#                   kernel and initrd, split toolstack / xenboot / loader /
#                   kernel, with the ratios (bench/bench-boot.sh)
#   make bench-net  TFTP and HTTP load of a 64 MiB file served by dom0:
#                   xenboot `tftpboot`/`wget` vs a Linux domU's busybox
#                   tftp/wget, MiB/s and the ratios (bench/bench-net.sh)
# bench and bench-fs give figures only for passes that proved they moved the
# data (CRC of every pass over a poisoned buffer, the drivers' byte counts;
# bench/bench-check.py), else "bench: ERROR ..." and exit 1.
#   make check-bench (part of make check) shows that they can fail: their
#                   command lines on the sandbox with a backend that moves
#                   nothing, and the checker on edited logs (bench/selftest.sh)
# Knobs: LAB, LAB_KERNEL (as for make lab), BENCH_SEGS=<n> (make bench:
# `pvblock segs n` first), BENCH_DIRECT=1 (make bench: xenboot without
# persistent grants), BENCH_PASSES=<n> (bench, bench-fs: timed passes,
# 3), BENCH_RUNS=<n> (make bench-boot: runs of each, 2),
# BENCH_BOOT_KINDS="direct xenboot extimg efigrub" (make bench-boot: the
# paths it times). Images and generated cases go to $(O)/bench.
BENCH_ENV = LAB=$(LAB) KERNEL=$(LAB_KERNEL) GEN=$(O)/bench $(if $(BENCH_PASSES),BENCH_PASSES=$(BENCH_PASSES)) \
	$(if $(BENCH_DIRECT),BENCH_DIRECT=$(BENCH_DIRECT))

bench: $(LAB_KERNEL) lab-build
	$(Q)$(BENCH_ENV) bench/bench.sh

bench-fs: $(LAB_KERNEL) lab-build
	$(Q)$(BENCH_ENV) bench/bench-fs.sh

bench-boot: $(LAB_KERNEL) lab-build
	$(Q)$(BENCH_ENV) $(if $(BENCH_RUNS),BENCH_RUNS=$(BENCH_RUNS)) \
		$(if $(BENCH_BOOT_KINDS),BENCH_BOOT_KINDS="$(BENCH_BOOT_KINDS)") bench/bench-boot.sh

bench-net: $(LAB_KERNEL) lab-build
	$(Q)$(BENCH_ENV) bench/bench-net.sh

check-bench: $(O)/sandbox/xenboot
	$(Q)bench/selftest.sh $(O)/sandbox/xenboot $(O)/bench-selftest

check: check-bench

.PHONY: bench bench-fs bench-boot bench-net check-bench
