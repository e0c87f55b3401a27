/* The generic start of xenboot, called by the arch once C can run. */
#ifndef INIT_MAIN_H
#define INIT_MAIN_H

#include <lib/compiler.h>
#include <stdint.h>

/**
 * xenboot_main() - bring up the console, parse the DT, map memory, start
 * the Xen services and run the shell. Never returns.
 * @fdt: the DT Xen passed (mapped, untrusted), or NULL if there was none.
 * @fdt_size: bytes readable at @fdt.
 */
__noreturn void xenboot_main(const void *fdt, uint64_t fdt_size);

/**
 * xenboot_early_console() - attach the PV console; the arch calls it from its
 * first C function so even start-up faults are reported.
 */
void xenboot_early_console(void);

struct dtinfo;
/**
 * xenboot_reserve_own_memory() - record in <lib/memmap.h> what loads must
 * never overwrite: xenboot (image, stack, heap with the rings and grant pool)
 * and the DT Xen gave us (@dt->fdt).
 */
void xenboot_reserve_own_memory(const struct dtinfo *dt);

/**
 * xenboot_autoboot() - U-Boot's autoboot: "Hit any key to stop autoboot: N"
 * for $bootdelay seconds on one line (any key stops it and is consumed; 0
 * still looks once for a key; -2 boots without looking; -1 or any other
 * negative value: no autoboot), then `run bootcmd`. Returns 1 when nothing
 * was run, else bootcmd's result (it returns only when nothing booted).
 */
int xenboot_autoboot(void);

#endif
