/* printenv -e: the UEFI variables, as U-Boot's printenv -e shows them. */
#ifndef CMD_PRINTENV_EFI_H
#define CMD_PRINTENV_EFI_H

/**
 * printenv_efi() - @argv is "-e" [-n] [name]: every UEFI variable (or those
 * called @name, whatever their GUID) with its GUID, attributes, size and,
 * without -n, its data as a hex dump. 0, CMD_RET_USAGE, or -ENOENT when
 * @name matched none.
 */
int printenv_efi(int argc, char *argv[]);

#endif
