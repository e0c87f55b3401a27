/* The register frame vectors.S builds on the exception stack. Offsets
 * are used from assembly too, so they are spelled out and checked. */
#ifndef ARM64_EXCEPTION_H
#define ARM64_EXCEPTION_H

#define EXC_FRAME_X0 0
#define EXC_FRAME_SP 248
#define EXC_FRAME_ELR 256
#define EXC_FRAME_ESR 272
#define EXC_FRAME_SIZE 288 /* multiple of 16: SP stays aligned */

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

struct exc_frame {
	uint64_t x[31];
	uint64_t sp; /* SP of the interrupted code */
	uint64_t elr, spsr, esr, far;
};

static_assert(offsetof(struct exc_frame, sp) == EXC_FRAME_SP, "exc_frame.sp");
static_assert(offsetof(struct exc_frame, elr) == EXC_FRAME_ELR, "exc_frame.elr");
static_assert(offsetof(struct exc_frame, esr) == EXC_FRAME_ESR, "exc_frame.esr");
static_assert(sizeof(struct exc_frame) == EXC_FRAME_SIZE, "exc_frame size");

/** arm64_exception() - report @f and crash the domain; called by vectors.S. */
__attribute__((noreturn)) void arm64_exception(struct exc_frame *f, unsigned long type);
#endif

#endif
