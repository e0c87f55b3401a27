# The lab: Debian's Xen 4.17 arm64 + a Debian dom0 under qemu-system-aarch64
# (TCG), with xenboot.bin as a guest's kernel= (tests/lab/README.md).
#   make lab          every case in tests/lab/cases/ (the *.case files and the
#                     cases generated from *.case.in), one dom0 boot
#   make run          one guest, its console on this terminal
#   make lab-build    only download and assemble the lab (LAB=dir, default build/lab)
#   make lab-gen      only generate the disk images and cases of the *.case.in
#                     templates (tests/lab/gen.py) into LAB_GEN
#   make lab-blk      only the PV block cases (blk*: xenboot, then Linux)
#   make lab-fs       only the filesystem cases (fs*: xenboot, then Linux)
#   make lab-net      only the network cases (net*: Linux baselines, xenboot)
#   make lab-efi      only the UEFI cases (efi*: direct control, EFI stub,
#                     GRUB, systemd-boot, a variable across a reboot)
#   make test         check, fuzz-smoke, lab, one after another: what CI runs
# Knobs: LAB_CASES=<case files, or bare names: efi1-stub>, LAB_KERNEL=<guest
# kernel>, LAB_ARGS=-v (show the serial console), LAB_TIMEOUT=<seconds for
# the whole QEMU run>,
# RUN_CASE=<case file whose xl lines make run uses, e.g. a 3136 MiB guest>.
LAB ?= $(O)/lab
LAB_GEN ?= $(O)/lab-gen
LAB_KERNEL ?= $(O)/xenboot.bin
LAB_TEMPLATES := $(sort $(wildcard tests/lab/cases/*.case.in))
LAB_CASES ?= $(sort $(wildcard tests/lab/cases/*.case)) \
	$(patsubst tests/lab/cases/%.case.in,$(LAB_GEN)/%.case,$(LAB_TEMPLATES))
LAB_ARGS ?=
LAB_TIMEOUT ?=
RUN_CASE ?=
# A bare case name (no /) stands for its case or generated case:
# make lab LAB_CASES="efi1-stub echo".
lab_case = $(if $(findstring /,$(1)),$(1),$(if $(wildcard tests/lab/cases/$(1).case.in), \
	$(LAB_GEN)/$(1).case,tests/lab/cases/$(1).case))
LAB_CASE_FILES = $(foreach c,$(LAB_CASES),$(call lab_case,$(c)))
LAB_RUN_CASE = $(if $(RUN_CASE),$(call lab_case,$(RUN_CASE)))
LAB_RUN := tests/lab/run.sh --lab $(LAB) --kernel $(LAB_KERNEL) $(if $(LAB_TIMEOUT),--timeout $(LAB_TIMEOUT))
# The templates behind the generated cases that this make run uses.
LAB_GEN_WANTED = $(patsubst $(LAB_GEN)/%.case,tests/lab/cases/%.case.in, \
	$(filter $(LAB_GEN)/%.case,$(LAB_CASE_FILES) $(LAB_RUN_CASE)))

lab-build:
	$(Q)tests/lab/build.sh $(LAB)

# Images are copied fresh from LAB/images on every run: cases write to them.
lab-gen:
	$(Q)$(if $(strip $(LAB_GEN_WANTED)),tests/lab/gen.py --lab $(LAB) --out $(LAB_GEN) $(LAB_GEN_WANTED))

lab: $(LAB_KERNEL) lab-build lab-gen
	$(Q)$(LAB_RUN) $(LAB_ARGS) $(LAB_CASE_FILES)

run: $(LAB_KERNEL) lab-build lab-gen
	$(Q)$(LAB_RUN) --interactive $(LAB_ARGS) $(LAB_RUN_CASE)

lab-blk lab-fs lab-net lab-efi:
	$(Q)$(MAKE) lab LAB_CASES="$(patsubst tests/lab/cases/%.case.in,$(LAB_GEN)/%.case, \
		$(filter tests/lab/cases/$(@:lab-%=%)%,$(LAB_TEMPLATES)))"

# One after another: the lab and the fuzzers each want both cores.
test:
	$(Q)$(MAKE) check
	$(Q)$(MAKE) fuzz-smoke
	$(Q)$(MAKE) lab

.PHONY: lab-build lab-gen lab lab-blk lab-fs lab-net lab-efi run test

# make soak: SOAK_N boots of xenboot (default 100) in one dom0 boot, each
# must reach the prompt, read its disk (CRC = host's) and power off; prints
# `usable N of M` (tests/lab/soak.sh). 100 boots: 41 min on busy cores, so
# not in make lab or make test.
SOAK_N ?= 100
soak: $(LAB_KERNEL) lab-build
	$(Q)LAB=$(LAB) KERNEL=$(LAB_KERNEL) GEN=$(O)/soak SOAK_N=$(SOAK_N) tests/lab/soak.sh

.PHONY: soak
