# xenboot: one non-recursive make for three builds of the same sources.
#   make            build/xenboot.bin (arm64, freestanding)
#   make sandbox    build/sandbox/xenboot (the host build on the simulated Xen)
#   make check      host unit tests (sandbox + sim)
#   make fuzz-smoke libFuzzer targets, FUZZ_TIME (60) s each; make fuzz-long: an hour each
#   make lab        end-to-end cases on Xen 4.17 arm64 under QEMU
#   make run        boot xenboot in the lab with the console attached
#   make test       check, fuzz-smoke and lab: what CI runs (.ci/run)
# O=dir puts every output below dir (default: build).
MAKEFLAGS += -rR --no-print-directory
.SUFFIXES:
O ?= build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

VERSION := $(shell cat VERSION)

# Generic code: built for every target. Each folder's module.mk adds its
# sources to obj-y; arch and host-only folders use their own lists.
GENERIC_DIRS := lib xen drivers/console drivers/block disk fs boot cmd init
# CONFIG_NET=n leaves out the network drivers, the IP stack and their
# commands: the boot-path-only image (SIZE_LIMIT 160 KiB, else 208 KiB).
CONFIG_NET ?= y
ifeq ($(CONFIG_NET),y)
GENERIC_DIRS += drivers/net net
SIZE_LIMIT ?= 212992
else
SIZE_LIMIT ?= 163840
endif
# CONFIG_EFI=n leaves out the UEFI layer (efi/, bootefi): it may add 96 KiB.
CONFIG_EFI ?= y
ifeq ($(CONFIG_EFI),y)
GENERIC_DIRS += efi
SIZE_LIMIT := $(shell echo $$(($(SIZE_LIMIT) + 98304)))
endif
SANDBOX_DIRS := arch/sandbox sim
ARM64_DIRS := arch/arm64

obj-y :=
$(foreach d,$(GENERIC_DIRS),$(eval obj-y :=)$(eval include $(d)/module.mk)$(eval GEN_SRCS += $(addprefix $(d)/,$(obj-y))))
$(foreach d,$(SANDBOX_DIRS),$(eval obj-y :=)$(eval include $(d)/module.mk)$(eval SBX_SRCS += $(addprefix $(d)/,$(obj-y))))
$(foreach d,$(ARM64_DIRS),$(eval obj-y :=)$(eval include $(d)/module.mk)$(eval A64_SRCS += $(addprefix $(d)/,$(obj-y))))

COMMON_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -fno-common \
	-Iinclude -I$(O)/fdt-include -DXENBOOT_VERSION='"$(VERSION)"' -MMD -MP \
	$(if $(filter y,$(CONFIG_NET)),-DCONFIG_NET) $(if $(filter y,$(CONFIG_EFI)),-DCONFIG_EFI)

# ---------------------------------------------------------------- arm64 image
CROSS ?= aarch64-linux-gnu-
A64_CC := $(CROSS)gcc
PICOLIBC_SPECS ?= /usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs
A64_LIBDIR ?= /usr/lib/aarch64-linux-gnu
# picolibc's release build type brings its optimised memcpy/memset: the
# default one copies a byte at a time, and every PV disk read passes a copy.
# x18 is the platform register: UEFI firmware leaves it alone, and Linux
# checks it around runtime-service calls.
A64_CFLAGS := $(COMMON_CFLAGS) -ffixed-x18 -flto=auto -mcmodel=tiny --specs=$(PICOLIBC_SPECS) -ffreestanding -fpie -Os \
	--picolibc-buildtype=release -ffunction-sections -fdata-sections -mcpu=cortex-a53 -Iarch/arm64/include
# Cortex-A53 erratum 843419: ld rewrites an affected ADRP as ADR (always in
# range in an image this small) instead of adding a veneer section, which
# costs a 4 KiB-aligned hole in .text.
A64_LDFLAGS := -Wl,--fix-cortex-a53-843419=adr -nostartfiles -static-pie -Wl,--no-dynamic-linker \
	-Wl,-z,norelro -Wl,--gc-sections -Wl,-z,max-page-size=4096 -T arch/arm64/link.lds \
	-Wl,-Map,$(O)/xenboot.map
A64_LIBS := -L$(A64_LIBDIR) -l:libfdt.a -l:libz.a

A64_OBJS := $(patsubst %,$(O)/arm64/%.o,$(basename $(GEN_SRCS) $(A64_SRCS)))

all: $(O)/xenboot.bin

$(O)/fdt-include/libfdt.h:
	$(Q)mkdir -p $(@D)
	$(Q)cp /usr/include/libfdt.h /usr/include/libfdt_env.h /usr/include/fdt.h $(@D)/

# Objects depend on a file holding the flags, rewritten only when they
# change, so a flag change rebuilds everything it affects.
$(O)/%/.cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(CFLAGS_$*)' | cmp -s - $@ || echo '$(CFLAGS_$*)' > $@
CFLAGS_arm64 = $(A64_CFLAGS)
CFLAGS_sandbox = $(SBX_CFLAGS)

$(O)/arm64/%.o: %.c $(O)/fdt-include/libfdt.h $(O)/arm64/.cflags
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(A64_CC) $(A64_CFLAGS) -c $< -o $@

$(O)/arm64/%.o: %.S $(O)/arm64/.cflags
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(A64_CC) $(A64_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(O)/xenboot.elf: $(A64_OBJS) arch/arm64/link.lds
	@echo "  LD      $@"
	$(Q)$(A64_CC) $(A64_CFLAGS) $(A64_LDFLAGS) -o $@ $(A64_OBJS) $(A64_LIBS)
	$(Q)tools/check-relocs $(CROSS) $@

$(O)/xenboot.bin: $(O)/xenboot.elf
	@echo "  OBJCOPY $@"
	$(Q)$(CROSS)objcopy -O binary $< $@
	$(Q)tools/pack-relocs $< $@
	@echo "  SIZE    $@: $$(stat -c %s $@) bytes (limit $(SIZE_LIMIT))"
	$(Q)test $$(stat -c %s $@) -le $(SIZE_LIMIT) || { echo "$@ is over $(SIZE_LIMIT) bytes" >&2; rm -f $@; exit 1; }

# Every image against its limit: with EFI and the network, the network
# without EFI, and the boot path alone.
size-check: $(O)/xenboot.bin
	$(Q)$(MAKE) O=$(O)/noefi CONFIG_EFI=n $(O)/noefi/xenboot.bin
	$(Q)$(MAKE) O=$(O)/nonet CONFIG_NET=n CONFIG_EFI=n $(O)/nonet/xenboot.bin

# ---------------------------------------------------------------- sandbox
HOST_CC ?= gcc
SBX_SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=all
SBX_CFLAGS := $(COMMON_CFLAGS) -g -O1 $(SBX_SAN) -Iarch/sandbox/include
SBX_LIBS := -l:libfdt.so.1 -lz
SBX_LIB_OBJS := $(patsubst %,$(O)/sandbox/%.o,$(basename $(GEN_SRCS) $(filter-out arch/sandbox/main.c,$(SBX_SRCS))))

$(O)/sandbox/%.o: %.c $(O)/fdt-include/libfdt.h $(O)/sandbox/.cflags
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(SBX_CFLAGS) -c $< -o $@

$(O)/sandbox/libxenboot.a: $(SBX_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/sandbox/xenboot: $(O)/sandbox/arch/sandbox/main.o $(O)/sandbox/libxenboot.a
	@echo "  HOSTLD  $@"
	$(Q)$(HOST_CC) $(SBX_CFLAGS) -o $@ $^ $(SBX_LIBS)

sandbox: $(O)/sandbox/xenboot

# ---------------------------------------------------------------- tests
include tests/unit/module.mk
include tests/fuzz/module.mk
include tests/lab/module.mk
include bench/module.mk

clean:
	rm -rf $(O)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

FORCE:
.SECONDARY: $(O)/arm64/.cflags $(O)/sandbox/.cflags
.PHONY: all sandbox clean format size-check FORCE
-include $(shell find $(O) -name '*.d' 2>/dev/null)
