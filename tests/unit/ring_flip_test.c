/* blkfront's response loop against a backend that flips rsp_prod between
 * "nothing new" and "one more" in step with the final check (issue 8 #8,
 * fixed in bf_rsp_parse() without a test until now): it must stop once a
 * re-check brought nothing, not run as long as the flipping lasts.
 * netfront's loops get the same test in netfront_hostile_test.c. */
#define _GNU_SOURCE /* REG_EFL, in ring_flip.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../drivers/block/blkfront_internal.h"
#include "ring_flip.h"

static void test_blkfront_flip_bounded(void **state)
{
#ifndef RING_FLIP_OK
	skip(); /* needs ring_flip.h's trap: x86-64 Linux */
#else
	struct blkfront_dev dev;
	void *page = aligned_alloc(RING_FLIP_PAGE, RING_FLIP_PAGE);

	assert_non_null(page);
	memset(page, 0, RING_FLIP_PAGE);
	memset(&dev, 0, sizeof(dev));
	dev.sring = page;
	dev.ring = (union blkif_sring_entry *)((uint8_t *)page + XEN_SRING_HDR_SIZE);
	/* One request in flight, so "one more" is a producer the check allows. */
	dev.rsp_cons = 7;
	dev.req_pushed = 8;
	assert_int_equal(ring_flip_start(dev.sring, dev.rsp_cons), 0);
	int done = bf_rsp_parse(&dev);
	unsigned int reads = ring_flip_stop();

	assert_int_equal(done, 0);
	assert_false(dev.is_broken);
	if (reads > 4) {
		fail_msg("rsp_prod read %u times in one parse", reads);
	}
	free(page);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_blkfront_flip_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
