/* arch_random_u64() on the host: what the test plugged in, else none (a
 * CPU without FEAT_RNG), so results stay deterministic. */
#include <arch/random.h>
#include <lib/errno.h>
#include <sandbox/random.h>
#include <stddef.h>

static int (*random_fn)(uint64_t *out);

void sandbox_random_set(int (*fn)(uint64_t *out))
{
	random_fn = fn;
}

int arch_random_u64(uint64_t *out)
{
	return random_fn ? random_fn(out) : -EOPNOTSUPP;
}
