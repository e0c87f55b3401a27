/* The sandbox's arch_random_u64(): no generator unless a test plugs one in. */
#ifndef SANDBOX_RANDOM_H
#define SANDBOX_RANDOM_H

#include <stdint.h>

/** sandbox_random_set() - answer arch_random_u64() with @fn (NULL: -EOPNOTSUPP). */
void sandbox_random_set(int (*fn)(uint64_t *out));

#endif
