/* What the network load commands share (dhcp, tftpboot, pxe): U-Boot's
 * argument form "[addr] [[server:]file]", the room at a load address, and
 * one TFTP load into guest RAM with U-Boot's lines around it and the
 * fileaddr / filesize variables after it. */
#ifndef CMD_NETLOAD_H
#define CMD_NETLOAD_H

#include <lib/compiler.h>
#include <net/tftp.h>
#include <stdbool.h>
#include <stdint.h>

struct net_stack;

struct netload_args {
	uint64_t addr; /* $loadaddr unless given */
	bool has_addr;
	uint32_t server; /* 0 unless "server:file" */
	char file[TFTP_NAME_MAX]; /* "" unless given */
};

/**
 * netload_parse_args() - "[addr] [[server:]file]" from @argv[1..@argc-1]; a
 * lone argument is the address when it is a hex number, else the file.
 * Returns 0, CMD_RET_USAGE, or -EINVAL (a bad server address or
 * $loadaddr, with one line printed).
 */
int __must_check netload_parse_args(const char *who, int argc, char *argv[],
				    struct netload_args *a);

/**
 * netload_start() - how dhcp and tftpboot begin: netload_parse_args() with
 * argv[0] as the name, then the shell's stack (net_acquire(); a malformed
 * address variable was reported and reads as 0) into *@ns. Returns 0,
 * CMD_RET_USAGE or CMD_RET_FAILURE (reported).
 */
int __must_check netload_start(int argc, char *argv[], struct netload_args *a,
			       struct net_stack **ns);

/**
 * netload_room() - the most bytes that may be written at @addr: to the end of
 * its RAM bank or the first region <lib/memmap.h> keeps (memmap_check()).
 * -EFAULT (one line printed) when not even one byte may.
 */
int __must_check netload_room(const char *who, uint64_t addr, uint64_t *room);

/**
 * netload_tftp() - @file from @server (0: ns->server) into guest RAM at
 * @addr, checked first with netload_room(): U-Boot's "TFTP from server ..."
 * block, progress, "Bytes transferred = N (hex)" and our "N bytes
 * transferred in M ms (X MiB/s)"; sets fileaddr and filesize. A @file
 * of "" takes $bootfile, else U-Boot's <hex IP>.img. At most @max bytes
 * (0: all the room) are taken: a longer file fails with -EFBIG. *@size (may
 * be NULL) receives the length. Returns 0 or -errno, reported in one line.
 */
int __must_check netload_tftp(struct net_stack *ns, uint32_t server, const char *file,
			      uint64_t addr, uint64_t max, uint64_t *size);

/** netload_tftp_opts() - the TFTP options from $tftpblocksize / $tftpwindowsize. */
void netload_tftp_opts(struct tftp_opts *o);

#endif
