/* The sandbox's record of arch_boot_linux(): what the arm64 port would
 * have put in the registers before branching to the kernel. For tests. */
#ifndef SANDBOX_JUMP_H
#define SANDBOX_JUMP_H

#include <stdint.h>

struct sandbox_jump {
	unsigned int count; /* jumps recorded since sandbox_jump_reset() */
	uint64_t entry; /* the branch target */
	uint64_t x[4]; /* x0 (the DTB) .. x3 */
};

/** sandbox_jump_last() - the last jump recorded. */
const struct sandbox_jump *sandbox_jump_last(void);
/** sandbox_jump_reset() - forget it. */
void sandbox_jump_reset(void);

#endif
