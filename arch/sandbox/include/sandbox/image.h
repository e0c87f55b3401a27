/* How the sandbox "runs" a UEFI image: the host cannot execute AArch64
 * code, so a test registers a hook that arch_call_image() calls in its
 * place, with the entry point and the two arguments the image would get. */
#ifndef SANDBOX_IMAGE_H
#define SANDBOX_IMAGE_H

#include <stdint.h>

/* What arch_call_image() returns for code in guest RAM with no hook set:
 * the bits of EFI_UNSUPPORTED, so StartImage reports it as such. */
#define SANDBOX_IMAGE_NOT_RUN ((1ULL << 63) | 3)

typedef uint64_t (*sandbox_image_hook)(void *entry, void *a0, void *a1);

/** sandbox_image_hook_set() - call @hook for every image started (NULL: none). */
void sandbox_image_hook_set(sandbox_image_hook hook);

#endif
