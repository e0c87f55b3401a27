# The lab: Debian's Xen 4.17 arm64 + a Debian dom0 under qemu-system-aarch64
# (TCG), with xenboot.bin as a guest's kernel= (tests/lab/README.md).
#   make lab          every case in tests/lab/cases/, one dom0 boot
#   make run          one guest, its console on this terminal
#   make lab-build    only download and assemble the lab (LAB=dir, default build/lab)
#   make test         check, fuzz-smoke, lab, one after another: what CI runs
# Knobs: LAB_CASES=<case files>, LAB_KERNEL=<guest kernel>, LAB_ARGS=-v (show
# the serial console), LAB_TIMEOUT=<seconds for the whole QEMU run>,
# RUN_CASE=<case file whose xl lines make run uses, e.g. a 3136 MiB guest>.
LAB ?= $(O)/lab
LAB_KERNEL ?= $(O)/xenboot.bin
LAB_CASES ?= $(sort $(wildcard tests/lab/cases/*.case))
LAB_ARGS ?=
LAB_TIMEOUT ?=
RUN_CASE ?=
LAB_RUN := tests/lab/run.sh --lab $(LAB) --kernel $(LAB_KERNEL) $(if $(LAB_TIMEOUT),--timeout $(LAB_TIMEOUT))

lab-build:
	$(Q)tests/lab/build.sh $(LAB)

lab: $(LAB_KERNEL) lab-build
	$(Q)$(LAB_RUN) $(LAB_ARGS) $(LAB_CASES)

run: $(LAB_KERNEL) lab-build
	$(Q)$(LAB_RUN) --interactive $(LAB_ARGS) $(RUN_CASE)

# One after another: the lab and the fuzzers each want both cores.
test:
	$(Q)$(MAKE) check
	$(Q)$(MAKE) fuzz-smoke
	$(Q)$(MAKE) lab

.PHONY: lab-build lab run test
