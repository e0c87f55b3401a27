/* One libFuzzer target per tests/fuzz/<name>_fuzz.c (see module.mk). */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Declares @fn(const uint8_t *data, size_t size) as the target's entry.
 * It returns nothing: a target reports a bug by crashing (ASan, UBSan or
 * fuzz_check()), never by a return value. */
#define FUZZ_TARGET(fn)                                                                           \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                            \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                             \
	{                                                                                          \
		fn(data, size);                                                                    \
		return 0;                                                                          \
	}

/* An invariant of the code under test: abort so libFuzzer saves the input. */
#define fuzz_check(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			__builtin_trap();                                                          \
		}                                                                                  \
	} while (0)

#endif
