/* Device trees like the one libxl gives an arm64 domU (xen-abi.md §7), built
 * with libfdt's sequential-write API, plus ways to break them. */
#ifndef SIM_DT_H
#define SIM_DT_H

#include <sim/sim.h>
#include <stddef.h>

/**
 * sim_dt_build() - write a DT for @cfg (banks, dt_mode, bootargs, initrd,
 * extended regions) into @buf. Returns the blob size, or -XEN_ENOSPC.
 * With SIM_DT_GARBAGE the result is deterministic non-DT bytes.
 */
int sim_dt_build(const struct sim_config *cfg, void *buf, size_t size);

/** sim_config_defaults() - fill the banks of @cfg if it has none (one 256 MiB bank). */
void sim_config_defaults(struct sim_config *cfg);

#endif
