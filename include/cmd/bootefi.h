/* bootefi's memory of the last file `load` read (cmd/bootefi.c): an image
 * run from that address gets the partition and the file as its Loaded
 * Image DeviceHandle and FilePath, as U-Boot does, so GRUB and
 * systemd-boot find the ESP they came from. */
#ifndef CMD_BOOTEFI_H
#define CMD_BOOTEFI_H

#include <stdint.h>

/**
 * bootefi_note_load() - `load` read @size bytes of @path from @iface @spec
 * to @addr. Strings are copied (too long ones forget the load).
 */
void bootefi_note_load(const char *iface, const char *spec, const char *path, uint64_t addr,
		       uint64_t size);

#endif
