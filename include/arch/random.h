/* The CPU's random number instruction, where there is one (arm64: RNDR,
 * FEAT_RNG, announced by ID_AA64ISAR0_EL1.RNDR). */
#ifndef ARCH_RANDOM_H
#define ARCH_RANDOM_H

#include <lib/compiler.h>
#include <stdint.h>

/**
 * arch_random_u64() - 64 bits from the CPU's random number generator.
 * Returns 0, -EOPNOTSUPP (the CPU has none, or the hypervisor hides it) or
 * -EAGAIN (none this time: the CPU asks to try again later).
 */
int __must_check arch_random_u64(uint64_t *out);

#endif
