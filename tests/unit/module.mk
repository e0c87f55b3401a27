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

check: check-layers $(UNIT_BINS)
	$(Q)tests/unit/run $(UNIT_BINS)

.PHONY: unit check check-layers
