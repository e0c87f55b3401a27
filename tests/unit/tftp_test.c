/* net/tftp.c: the RRQ with options, OACK negotiation (only what we asked,
 * only lower), windows with the ACK on the last block, a lost block (one
 * ACK per gap), a lost ACK (the block again is re-ACKed), block numbers
 * wrapping past 65535, a file larger than the load area (nothing written
 * past max, guard bytes intact), blocks larger than negotiated, another
 * port's packets, server errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <lib/be.h>
#include <lib/errno.h>
#include <net/tftp.h>
#include <string.h>

#define PORT 40001
static struct tftp_xfer x;
static uint8_t pkt[2048];

static uint8_t byte_at(uint64_t i)
{
	return (uint8_t)(i * 7 + (i >> 9));
}

/* DATA block @n carrying file bytes [off, off+count). */
static size_t data(uint16_t n, uint64_t off, size_t count)
{
	store_be16(pkt, 3);
	store_be16(pkt + 2, n);
	for (size_t i = 0; i < count; i++) {
		pkt[4 + i] = byte_at(off + i);
	}
	return 4 + count;
}

static size_t oack(const char *pairs, size_t len)
{
	store_be16(pkt, 6);
	memcpy(pkt + 2, pairs, len);
	return 2 + len;
}

static void start(uint8_t *dst, uint64_t max, uint16_t blksize, uint16_t window)
{
	memset(&x, 0, sizeof(x));
	x.dst = dst;
	x.max = max;
	x.blksize_req = blksize;
	x.window_req = window;
	assert_int_equal(tftp_start(&x, "pxelinux.cfg/default"), 0);
}

static bool is_ack(uint16_t n)
{
	return x.out_len == 4 && load_be16(x.out) == 4 && load_be16(x.out + 2) == n;
}

static void test_rrq(void **state)
{
	static const char want[] = "\0\1pxelinux.cfg/default\0octet\0blksize\0"
				   "1468\0windowsize\0"
				   "8\0tsize\0"
				   "0";

	start(NULL, 0, 1468, 8);
	assert_int_equal(x.out_len, sizeof(want));
	assert_memory_equal(x.out, want, sizeof(want));
	x.blksize_req = 0;
	assert_int_equal(tftp_start(&x, "a"), 0);
	assert_int_equal(x.out_len, 2 + 2 + 6);
	assert_int_equal(tftp_start(&x, ""), -EINVAL);
	assert_int_equal(tftp_start(&x, "a\nb"), -EINVAL);
	char long_name[TFTP_NAME_MAX + 1];
	memset(long_name, 'a', TFTP_NAME_MAX);
	long_name[TFTP_NAME_MAX] = '\0';
	assert_int_equal(tftp_start(&x, long_name), -ENAMETOOLONG);
}

/* A whole windowed transfer: ACK 0 after the OACK, an ACK after every
 * 4th block only, then the short last block ends it. */
static void test_window(void **state)
{
	static uint8_t buf[10000];
	const uint64_t size = 1000 * 7 + 123;
	static const char o[] = "blksize\0"
				"1000\0windowsize\0"
				"4\0tsize\0"
				"7123";

	start(buf, sizeof(buf), 1468, 8);
	assert_int_equal(tftp_input(&x, PORT, pkt, oack(o, sizeof(o))), TFTP_CONTINUE);
	assert_true(is_ack(0));
	assert_int_equal(x.blksize, 1000);
	assert_int_equal(x.window, 4);
	assert_true(x.has_tsize && x.tsize == size);
	for (uint16_t n = 1; n <= 7; n++) {
		assert_int_equal(tftp_input(&x, PORT, pkt, data(n, (n - 1) * 1000u, 1000)),
				 TFTP_CONTINUE);
		assert_int_equal(x.out_len, n % 4 == 0 ? 4 : 0);
	}
	assert_int_equal(tftp_input(&x, PORT, pkt, data(8, 7000, 123)), TFTP_DONE);
	assert_true(is_ack(8));
	assert_true(x.received == size);
	for (uint64_t i = 0; i < size; i++) {
		assert_int_equal(buf[i], byte_at(i));
	}
}

/* Block 3 lost: 4 arrives, we ACK 2 once (not again for 5), the server
 * resends from 3. A duplicate of an old block changes nothing. */
static void test_loss_and_duplicates(void **state)
{
	static uint8_t buf[8192];

	start(buf, sizeof(buf), 512, 8);
	const char o[] = "windowsize\0"
			 "8";
	assert_int_equal(tftp_input(&x, PORT, pkt, oack(o, sizeof(o))), TFTP_CONTINUE);
	assert_int_equal(x.window, 8);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(1, 0, 512)), TFTP_CONTINUE);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(2, 512, 512)), TFTP_CONTINUE);
	assert_int_equal(x.out_len, 0);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(4, 1536, 512)), TFTP_CONTINUE);
	assert_true(is_ack(2));
	assert_int_equal(tftp_input(&x, PORT, pkt, data(5, 2048, 512)), TFTP_CONTINUE);
	assert_int_equal(x.out_len, 0);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(1, 0, 512)), TFTP_CONTINUE);
	assert_int_equal(x.out_len, 0);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(3, 1024, 512)), TFTP_CONTINUE);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(4, 1536, 100)), TFTP_DONE);
	assert_true(x.received == 1636);
	for (uint64_t i = 0; i < 1636; i++) {
		assert_int_equal(buf[i], byte_at(i));
	}
	/* A timeout resends the last ACK; before any answer, the RRQ. */
	start(buf, sizeof(buf), 0, 0);
	size_t rrq = x.out_len;
	assert_int_equal(tftp_input(&x, PORT, pkt, 3), TFTP_CONTINUE); /* runt */
	tftp_timeout(&x);
	assert_int_equal(x.out_len, rrq);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(1, 0, 512)), TFTP_CONTINUE);
	assert_true(is_ack(1)); /* window 1: every block */
	/* The ACK was lost: block 1 again is answered again. */
	assert_int_equal(tftp_input(&x, PORT, pkt, data(1, 0, 512)), TFTP_CONTINUE);
	assert_true(is_ack(1));
	tftp_timeout(&x);
	assert_true(is_ack(1));
}

/* 65536 blocks of 8 bytes and more: the block number wraps to 0. */
static void test_wrap(void **state)
{
	const uint64_t blocks = 65540, size = blocks * 8 + 3;
	uint8_t *buf = malloc(size);
	const char o[] = "blksize\0"
			 "8";

	start(buf, size, 8, 1);
	assert_int_equal(tftp_input(&x, PORT, pkt, oack(o, sizeof(o))), TFTP_CONTINUE);
	for (uint64_t i = 0; i < blocks; i++) {
		assert_int_equal(tftp_input(&x, PORT, pkt, data((uint16_t)(i + 1), i * 8, 8)),
				 TFTP_CONTINUE);
		assert_true(is_ack((uint16_t)(i + 1)));
	}
	assert_int_equal(tftp_input(&x, PORT, pkt, data((uint16_t)(blocks + 1), blocks * 8, 3)),
			 TFTP_DONE);
	assert_true(x.received == size);
	assert_int_equal(buf[size - 1], byte_at(size - 1));
	free(buf);
}

/* The file is longer than the room: the transfer stops, an ERROR goes to
 * the server, and not one byte lands past max. */
static void test_too_big(void **state)
{
	static uint8_t buf[3000];

	memset(buf, 0xee, sizeof(buf));
	start(buf, 1500, 0, 0);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(1, 0, 512)), TFTP_CONTINUE);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(2, 512, 512)), TFTP_CONTINUE);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(3, 1024, 512)), -EFBIG);
	assert_int_equal(load_be16(x.out), 5);
	for (size_t i = 1024; i < sizeof(buf); i++) {
		assert_int_equal(buf[i], 0xee);
	}
	/* tsize over max: refused before any data. */
	start(buf, 1500, 512, 1);
	const char o[] = "tsize\0"
			 "1501";
	assert_int_equal(tftp_input(&x, PORT, pkt, oack(o, sizeof(o))), -EFBIG);
	assert_int_equal(load_be16(x.out), 5);
}

static void test_hostile(void **state)
{
	static uint8_t buf[4096];
	static const struct {
		const char *o;
		size_t len;
	} bad[] = {
	    {"blksize\0"
	     "2000",
	     13}, /* more than asked */
	    {"blksize\0"
	     "4",
	     10}, /* under RFC 2348's 8 */
	    {"windowsize\0"
	     "9",
	     13},
	    {"timeout\0"
	     "1",
	     10}, /* not asked */
	    {"blksize\0"
	     "12x",
	     12},
	    {"blksize\0"
	     "512",
	     11}, /* no NUL at the end */
	    {"blksize", 7},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		start(buf, sizeof(buf), 1468, 8);
		assert_int_equal(tftp_input(&x, PORT, pkt, oack(bad[i].o, bad[i].len)), -EBADMSG);
		assert_int_equal(load_be16(x.out), 5);
		assert_int_equal(load_be16(x.out + 2), 8);
	}
	/* An OACK to a request without options. */
	start(buf, sizeof(buf), 0, 0);
	assert_int_equal(tftp_input(&x, PORT, pkt,
				    oack("tsize\0"
					 "1",
					 8)),
			 -EBADMSG);
	/* A block larger than negotiated. */
	start(buf, sizeof(buf), 0, 0);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(1, 0, 513)), -EBADMSG);
	/* Another port's packet is ignored once the transfer has its port. */
	start(buf, sizeof(buf), 0, 0);
	assert_int_equal(tftp_input(&x, PORT, pkt, data(1, 0, 512)), TFTP_CONTINUE);
	assert_int_equal(tftp_input(&x, PORT + 1, pkt, data(2, 512, 10)), TFTP_CONTINUE);
	assert_int_equal(x.out_len, 0);
	assert_true(x.received == 512 && x.stray == 1);
	/* A server error: its code and (bounded) text. */
	store_be16(pkt, 5);
	store_be16(pkt + 2, 1);
	memset(pkt + 4, 'z', 500); /* no NUL */
	assert_int_equal(tftp_input(&x, PORT, pkt, 504), -ENOENT);
	assert_int_equal(strlen(x.msg), TFTP_MSG_MAX - 1);
	assert_int_equal(x.out_len, 0);
	/* Options refused (ERROR 8) before any answer: start again without. */
	start(buf, sizeof(buf), 1468, 8);
	store_be16(pkt + 2, 8);
	strcpy((char *)pkt + 4, "no options");
	assert_int_equal(tftp_input(&x, PORT, pkt, 15), -EOPNOTSUPP);
	/* ...but not in the middle of a transfer, or when none were asked. */
	start(buf, sizeof(buf), 0, 0);
	assert_int_equal(tftp_input(&x, PORT, pkt, 15), -EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rrq),
	    cmocka_unit_test(test_window),
	    cmocka_unit_test(test_loss_and_duplicates),
	    cmocka_unit_test(test_wrap),
	    cmocka_unit_test(test_too_big),
	    cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
