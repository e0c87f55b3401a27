# libFuzzer targets (STYLE T3), built with clang, ASan and UBSan.
#
#   make fuzz         build every target into $(O)/fuzz/bin/
#   make fuzz-smoke   replay each target's corpus, then fuzz it for
#                     FUZZ_TIME seconds (default 20) starting from it
#
# Convention: one tests/fuzz/<name>_fuzz.c per target, defining its entry
# with FUZZ_TARGET(fn) from tests/fuzz/fuzz.h; seeds (small, hand-made or
# generated, checked in) live in tests/fuzz/corpus/<name>/. Adding a file is
# all it takes: the target list comes from the wildcard below. New inputs
# found during a smoke run go to $(O)/fuzz/corpus/<name>/, crashes to
# $(O)/fuzz/artifacts/; copy a crash into the corpus once it is fixed, so the
# replay keeps it fixed (STYLE T5).
#
# The targets link a clang-built copy of the sandbox library (generic code,
# arch/sandbox and sim/) from $(O)/fuzz/, so they run the same code the
# unit tests do, against the same simulated Xen.
FUZZ_CC ?= clang
FUZZ_TIME ?= 20
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := $(COMMON_CFLAGS) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	-Iarch/sandbox/include -Itests/fuzz
FUZZ_LIB_OBJS := $(patsubst %,$(O)/fuzz/%.o,$(basename $(GEN_SRCS) \
	$(filter-out arch/sandbox/main.c,$(SBX_SRCS))))
FUZZ_TARGETS := $(patsubst tests/fuzz/%_fuzz.c,%,$(wildcard tests/fuzz/*_fuzz.c))
FUZZ_BINS := $(addprefix $(O)/fuzz/bin/,$(addsuffix _fuzz,$(FUZZ_TARGETS)))

$(O)/fuzz/%.o: %.c $(O)/fdt-include/libfdt.h
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(O)/fuzz/libxenboot.a: $(FUZZ_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/fuzz/bin/%_fuzz: $(O)/fuzz/tests/fuzz/%_fuzz.o $(O)/fuzz/libxenboot.a
	@mkdir -p $(@D)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(SBX_LIBS)

# Keep the targets' objects: they are intermediate only by accident.
.SECONDARY: $(patsubst %,$(O)/fuzz/tests/fuzz/%_fuzz.o,$(FUZZ_TARGETS))

fuzz: $(FUZZ_BINS)

# Replay first (-runs=0 only executes the given inputs), so a regression in
# a known crash fails fast; then a bounded fuzzing run.
fuzz-smoke: $(FUZZ_BINS)
	$(Q)set -e; for t in $(FUZZ_TARGETS); do \
		seeds=tests/fuzz/corpus/$$t; work=$(O)/fuzz/corpus/$$t; \
		mkdir -p $$seeds $$work $(O)/fuzz/artifacts; \
		echo "  FUZZ    $$t: replay $$(ls $$seeds | wc -l) seeds"; \
		$(O)/fuzz/bin/$${t}_fuzz -runs=0 $$seeds >$(O)/fuzz/$$t.log 2>&1 || \
			{ cat $(O)/fuzz/$$t.log; exit 1; }; \
		echo "  FUZZ    $$t: $(FUZZ_TIME) s"; \
		$(O)/fuzz/bin/$${t}_fuzz -max_total_time=$(FUZZ_TIME) -timeout=10 \
			-artifact_prefix=$(O)/fuzz/artifacts/$$t- $$work $$seeds \
			>>$(O)/fuzz/$$t.log 2>&1 || { tail -60 $(O)/fuzz/$$t.log; exit 1; }; \
		tail -1 $(O)/fuzz/$$t.log; \
	done

.PHONY: fuzz fuzz-smoke
