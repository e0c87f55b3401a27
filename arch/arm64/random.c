/* RNDR (Arm ARM, FEAT_RNG): a 64-bit number from the CPU's generator,
 * which the CPU reseeds from its true random source. NZCV is 0b0100 (Z set)
 * when it has none to give. */
#include <arch/random.h>
#include <lib/errno.h>

#define ID_AA64ISAR0_RNDR_SHIFT 60

int arch_random_u64(uint64_t *out)
{
	uint64_t isar0, v, ok;

	/* At EL1 under Xen this reads the ID value Xen chose for the guest. */
	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if (!((isar0 >> ID_AA64ISAR0_RNDR_SHIFT) & 0xf)) {
		return -EOPNOTSUPP;
	}
	/* s3_3_c2_c4_0 is RNDR, spelled out for assemblers that lack the name. */
	__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(v), "=r"(ok) : : "cc");
	if (!ok) {
		return -EAGAIN;
	}
	*out = v;
	return 0;
}
