# Benchmarks on the project lab (tests/lab/run.sh, one QEMU boot each); they
# print figures and are not part of make test.
#   make bench      PV read of a whole 256 MiB disk: xenboot `pvblock read` vs
#                   a Linux domU's `dd iflag=direct bs=1M`, MiB/s and the ratio
#                   (bench/bench.sh)
#   make bench-fs   ext4 `load` of a 128 MiB file vs `pvblock read` of the same
#                   span, MiB/s and the ratio (bench/bench-fs.sh)
#   make bench-boot `xl create` to Linux's marker through xenboot (extlinux,
#                   Image.gz + initrd from ext4) vs xl's direct boot of the
#                   same kernel and initrd, split toolstack / xenboot / kernel
#                   (bench/bench-boot.sh)
#   make bench-net  TFTP and HTTP load of a 64 MiB file served by dom0:
#                   xenboot `tftpboot`/`wget` vs a Linux domU's busybox
#                   tftp/wget, MiB/s and the ratios (bench/bench-net.sh)
# Knobs: LAB, LAB_KERNEL (as for make lab), BENCH_SEGS=<n> (make bench:
# `pvblock segs n` first), BENCH_RUNS=<n> (make bench-boot: runs of each, 2). Images and generated cases go to $(O)/bench.
BENCH_ENV = LAB=$(LAB) KERNEL=$(LAB_KERNEL) GEN=$(O)/bench

bench: $(LAB_KERNEL) lab-build
	$(Q)$(BENCH_ENV) bench/bench.sh

bench-fs: $(LAB_KERNEL) lab-build
	$(Q)$(BENCH_ENV) bench/bench-fs.sh

bench-boot: $(LAB_KERNEL) lab-build
	$(Q)$(BENCH_ENV) $(if $(BENCH_RUNS),BENCH_RUNS=$(BENCH_RUNS)) bench/bench-boot.sh

bench-net: $(LAB_KERNEL) lab-build
	$(Q)$(BENCH_ENV) bench/bench-net.sh

.PHONY: bench bench-fs bench-boot bench-net
