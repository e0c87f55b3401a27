# make bench: xenboot vs a Linux domU reading the same 256 MiB PV disk, in
# one lab run (bench/bench.sh). make lab-blk: the PV block lab cases
# (tests/lab/blk/pvblock-lab.sh). Both use the shared xenlab, whose runner
# can attach disks, until tests/lab/run.sh can.
XENLAB ?= /work/shared/lab
XENLAB_BUILD ?= /work/labcache

bench: $(O)/xenboot.bin
	$(Q)XENLAB=$(XENLAB) XENLAB_BUILD=$(XENLAB_BUILD) bench/bench.sh $(O)/xenboot.bin

lab-blk: $(O)/xenboot.bin
	$(Q)XENLAB=$(XENLAB) XENLAB_BUILD=$(XENLAB_BUILD) tests/lab/blk/pvblock-lab.sh $(O)/xenboot.bin

.PHONY: bench lab-blk

# ---- filesystem commands (issue 4) ----
# make bench-fs: `load` of a 128 MiB ext4 file vs `pvblock read` of the same
# span, one lab run (bench/bench-fs.sh). make lab-fs: the filesystem lab
# case, a GPT disk with a FAT ESP and an ext4 root built on the host
# (tests/lab/fs/fs-lab.sh). Shared xenlab, like lab-blk, until
# tests/lab/run.sh can attach disks.
bench-fs: $(O)/xenboot.bin
	$(Q)XENLAB=$(XENLAB) XENLAB_BUILD=$(XENLAB_BUILD) bench/bench-fs.sh $(O)/xenboot.bin

lab-fs: $(O)/xenboot.bin
	$(Q)XENLAB=$(XENLAB) XENLAB_BUILD=$(XENLAB_BUILD) tests/lab/fs/fs-lab.sh $(O)/xenboot.bin

.PHONY: bench-fs lab-fs
