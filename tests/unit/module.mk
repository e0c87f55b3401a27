# Host unit tests: every tests/unit/<name>_test.c is one cmocka program, linked
# with the sandbox library (generic code + arch/sandbox + sim).
UNIT_TESTS := $(patsubst tests/unit/%_test.c,%,$(wildcard tests/unit/*_test.c))
UNIT_BINS := $(addprefix $(O)/tests/unit/,$(addsuffix _test,$(UNIT_TESTS)))

$(O)/tests/unit/%_test: tests/unit/%_test.c $(O)/sandbox/libxenboot.a
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(SBX_CFLAGS) -Itests/unit -o $@ $< $(O)/sandbox/libxenboot.a $(SBX_LIBS) -lcmocka

unit: $(UNIT_BINS)

# STYLE L1: the include graph of generic code points down the layers.
check-layers:
	$(Q)tools/check-layers

# The saved environment read and written by Debian's fw_printenv/fw_setenv.
check-fw-env: $(O)/sandbox/xenboot
	$(Q)tests/env/fw-env-interop.sh $(O)/sandbox/xenboot $(O)/tests/env

check: check-layers check-fw-env size-check $(UNIT_BINS)
	$(Q)tests/unit/run $(UNIT_BINS)

.PHONY: unit check check-layers check-fw-env
