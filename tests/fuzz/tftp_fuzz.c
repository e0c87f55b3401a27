/* A TFTP server's packets against one transfer (STYLE U6). The input is a
 * sequence of packets, each: one byte of flags (bit 0: from another port,
 * bit 1: a timeout first), two length bytes, the packet. Invariants: no byte
 * is written outside [dst, dst + max) (guards around the buffer, and ASan),
 * what we send is bounded, the transfer ends with DONE or an error, and a
 * finished transfer holds exactly the bytes counted. */
#include <fuzz.h>
#include <lib/errno.h>
#include <net/tftp.h>
#include <string.h>

#define ROOM 4096
#define GUARD 64

static void tftp_fuzz(const uint8_t *data, size_t size)
{
	static uint8_t buf[GUARD + ROOM + GUARD];
	static struct tftp_xfer x;
	int rc = TFTP_CONTINUE;

	if (size < 1) {
		return;
	}
	memset(buf, 0xa5, sizeof(buf));
	memset(&x, 0, sizeof(x));
	x.dst = buf + GUARD;
	x.max = ROOM - (data[0] & 0x3f) * 37; /* varied rooms */
	x.blksize_req = data[0] & 0x80 ? 0 : 1468;
	x.window_req = data[0] & 0x40 ? 1 : 8;
	fuzz_check(tftp_start(&x, "pxelinux.cfg/default") == 0);
	data++;
	size--;
	while (size >= 3 && rc == TFTP_CONTINUE) {
		size_t n = MIN((size_t)(data[1] << 8 | data[2]), size - 3);

		if (data[0] & 2) {
			tftp_timeout(&x);
			fuzz_check(x.out_len <= sizeof(x.out));
		}
		rc = tftp_input(&x, data[0] & 1 ? 1000 : 2000, data + 3, n);
		fuzz_check(x.out_len <= sizeof(x.out));
		fuzz_check(x.received <= x.max);
		fuzz_check(memchr(x.msg, 0, sizeof(x.msg)));
		data += 3 + n;
		size -= 3 + n;
	}
	fuzz_check(rc == TFTP_CONTINUE || rc == TFTP_DONE || rc < 0);
	for (size_t i = 0; i < GUARD; i++) {
		fuzz_check(buf[i] == 0xa5 && buf[GUARD + x.max + i] == 0xa5);
	}
}

FUZZ_TARGET(tftp_fuzz)
