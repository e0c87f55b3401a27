# libFuzzer targets (STYLE T3), built with clang, ASan and UBSan.
#
#   make fuzz         build every target into $(O)/fuzz/bin/
#   make fuzz-smoke   replay each target's corpus, then fuzz it for
#                     FUZZ_TIME seconds (default 60; CI runs this),
#                     FUZZ_JOBS targets at a time (default: one per CPU,
#                     each fuzzer is one process), with one summary line each
#                     (execs, cov, ft, corpus) also in $(O)/fuzz/summary.txt
#   make fuzz-long    the same for FUZZ_LONG_TIME seconds (default 3600) a
#                     target; pick targets with FUZZ_TARGETS, e.g.
#                     make fuzz-long FUZZ_TARGETS="fat ext4"
#                     (or FUZZ_TIME=3600 make fuzz-smoke FUZZ_TARGETS=fat)
#
# Convention: one tests/fuzz/<name>_fuzz.c per target, defining its entry
# with FUZZ_TARGET(fn) from tests/fuzz/fuzz.h; seeds (small, hand-made or
# generated, checked in) live in tests/fuzz/corpus/<name>/, made by the
# scripts in tests/fuzz/seeds/ (run one again to remake its seeds). Adding a
# file is all it takes: the target list comes from the wildcard below. New inputs
# found during a smoke run go to $(O)/fuzz/corpus/<name>/, crashes to
# $(O)/fuzz/artifacts/; copy a crash into the corpus once it is fixed, so the
# replay keeps it fixed (STYLE T5).
#
# The targets link a clang-built copy of the sandbox library (generic code,
# arch/sandbox and sim/) from $(O)/fuzz/, so they run the same code the
# unit tests do, against the same simulated Xen.
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_LONG_TIME ?= 3600
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := $(COMMON_CFLAGS) -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	-Iarch/sandbox/include -Itests/fuzz
FUZZ_LIB_OBJS := $(patsubst %,$(O)/fuzz/%.o,$(basename $(GEN_SRCS) \
	$(filter-out arch/sandbox/main.c,$(SBX_SRCS))))
FUZZ_TARGETS ?= $(patsubst tests/fuzz/%_fuzz.c,%,$(wildcard tests/fuzz/*_fuzz.c))
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

# tests/fuzz/smoke.sh: per target, replay the seeds first (-runs=0 only
# executes them), so a regression in a known crash fails fast; then a
# bounded fuzzing run and its summary line.
fuzz-smoke: $(FUZZ_BINS)
	$(Q)tests/fuzz/smoke.sh $(O)/fuzz $(FUZZ_TIME) $(FUZZ_TARGETS)

fuzz-long: $(FUZZ_BINS)
	$(Q)tests/fuzz/smoke.sh $(O)/fuzz $(FUZZ_LONG_TIME) $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-smoke fuzz-long
