/* boot/image.c and boot/layout.c: the arm64 Image header and the placement
 * arithmetic of booting.rst over made-up RAM layouts (one bank like a small
 * xl guest, two banks like a guest over 3 GiB, banks side by side). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <boot/image.h>
#include <lib/errno.h>

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define RAM0 0x40000000ULL
#define RAM1 0x200000000ULL

static void header(uint8_t *h, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	struct image_header ih;

	memset(&ih, 0, sizeof(ih));
	put_le32(&ih.code0, 0x14000010); /* b +0x40, as a real Image starts */
	put_le64(&ih.text_offset, text_offset);
	put_le64(&ih.image_size, image_size);
	put_le64(&ih.flags, flags);
	put_le32(&ih.magic, IMAGE_MAGIC);
	memcpy(h, &ih, sizeof(ih));
}

static void test_parse(void **state)
{
	uint8_t h[IMAGE_HEADER_SIZE];
	struct image_info im;

	header(h, 0, 40 * MIB, 0xa);
	assert_int_equal(image_parse(h, sizeof(h), &im), 0);
	assert_int_equal(im.text_offset, 0);
	assert_int_equal(im.size, 40 * MIB);
	assert_true(im.is_anywhere);
	/* Byte for byte: the magic is "ARM\x64" at 0x38. */
	assert_memory_equal(h + 0x38, "ARM\x64", 4);

	header(h, 0x80000, 20 * MIB, 0x2); /* 4K pages, not anywhere */
	assert_int_equal(image_parse(h, sizeof(h), &im), 0);
	assert_int_equal(im.text_offset, 0x80000);
	assert_false(im.is_anywhere);

	assert_int_equal(image_parse(h, sizeof(h) - 1, &im), -ENODATA);
	h[0x3b] = 0x65;
	assert_int_equal(image_parse(h, sizeof(h), &im), -ENOEXEC);
	header(h, 0, 40 * MIB, 0xb); /* big-endian kernel */
	assert_int_equal(image_parse(h, sizeof(h), &im), -EINVAL);
	header(h, 0x80010, 40 * MIB, 0xa);
	assert_int_equal(image_parse(h, sizeof(h), &im), -EINVAL);
	header(h, 16 * MIB, 40 * MIB, 0xa);
	assert_int_equal(image_parse(h, sizeof(h), &im), -EINVAL);
	header(h, 0, 63, 0xa); /* smaller than its own header */
	assert_int_equal(image_parse(h, sizeof(h), &im), -EINVAL);
	header(h, 0xfff000, 40 * MIB, 0xa); /* largest randomized offset */
	assert_int_equal(image_parse(h, sizeof(h), &im), 0);
}

/* image_size 0: a pre-3.17 kernel, whatever the other fields say. */
static void test_parse_old(void **state)
{
	uint8_t h[IMAGE_HEADER_SIZE];
	struct image_info im;

	header(h, 0, 0, 0x8);
	assert_int_equal(image_parse(h, sizeof(h), &im), 0);
	assert_int_equal(im.text_offset, 0x80000);
	assert_int_equal(im.size, 16 * MIB);
	assert_false(im.is_anywhere);
}

/* A 256 MiB guest: xenboot + heap at 0x40080000..0x41100000, DT at +128 MiB. */
static void small_guest(struct boot_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->banks[0] = (struct mem_range){RAM0, 256 * MIB};
	l->bank_count = 1;
	assert_int_equal(layout_add_busy(l, RAM0 + 0x80000, 0x1080000), 0);
	assert_int_equal(layout_add_busy(l, RAM0 + 128 * MIB, 0x10000), 0);
}

static void test_kernel_stays(void **state)
{
	struct image_info im = {0, 40 * MIB, true};
	struct boot_layout l;
	uint64_t load = 0;

	small_guest(&l);
	assert_int_equal(image_place_kernel(&l, &im, RAM0 + 32 * MIB, &load), 0);
	assert_int_equal(load, RAM0 + 32 * MIB);
	/* text_offset 0x80000: the base is load - 0x80000. */
	im.text_offset = 0x80000;
	assert_int_equal(image_place_kernel(&l, &im, RAM0 + 32 * MIB + 0x80000, &load), 0);
	assert_int_equal(load, RAM0 + 32 * MIB + 0x80000);
}

static void test_kernel_moves(void **state)
{
	struct image_info im = {0, 40 * MIB, true};
	struct boot_layout l;
	uint64_t load = 0;

	small_guest(&l);
	/* Unaligned: the lowest 2 MiB boundary above xenboot. */
	assert_int_equal(image_place_kernel(&l, &im, RAM0 + 32 * MIB + 4096, &load), 0);
	assert_int_equal(load, RAM0 + 18 * MIB);
	im.text_offset = 0x80000;
	assert_int_equal(image_place_kernel(&l, &im, RAM0 + 32 * MIB, &load), 0);
	assert_int_equal(load, RAM0 + 18 * MIB + 0x80000);
	/* Aligned but its bss would reach the DT at +128 MiB. */
	im.text_offset = 0;
	assert_int_equal(image_place_kernel(&l, &im, RAM0 + 100 * MIB, &load), 0);
	assert_int_equal(load, RAM0 + 18 * MIB);
	/* Aligned but running off the end of RAM. */
	assert_int_equal(image_place_kernel(&l, &im, RAM0 + 230 * MIB, &load), 0);
	assert_int_equal(load, RAM0 + 18 * MIB);
	/* Inflated (no current place): skips a busy source. */
	assert_int_equal(layout_add_busy(&l, RAM0 + 30 * MIB, 10 * MIB), 0);
	assert_int_equal(image_place_kernel(&l, &im, IMAGE_NOWHERE, &load), 0);
	assert_int_equal(load, RAM0 + 40 * MIB);
}

/* Without flags bit 3, as close to the start of RAM as possible. */
static void test_kernel_not_anywhere(void **state)
{
	struct image_info im = {0x80000, 16 * MIB, false};
	struct boot_layout l;
	uint64_t load = 0;

	small_guest(&l);
	assert_int_equal(image_place_kernel(&l, &im, RAM0 + 64 * MIB + 0x80000, &load), 0);
	assert_int_equal(load, RAM0 + 18 * MIB + 0x80000);
	/* The text_offset bytes below it must be free too (early page tables)... */
	assert_int_equal(layout_add_busy(&l, RAM0 + 18 * MIB, 4096), 0);
	assert_int_equal(image_place_kernel(&l, &im, IMAGE_NOWHERE, &load), 0);
	assert_int_equal(load, RAM0 + 20 * MIB + 0x80000);
	/* ... which a kernel with bit 3 does not need. */
	im.is_anywhere = true;
	assert_int_equal(image_place_kernel(&l, &im, IMAGE_NOWHERE, &load), 0);
	assert_int_equal(load, RAM0 + 18 * MIB + 0x80000);
	im.is_anywhere = false;
	/* With the start of RAM free, the very first slot. */
	l.busy_count = 0;
	assert_int_equal(image_place_kernel(&l, &im, RAM0 + 64 * MIB + 0x80000, &load), 0);
	assert_int_equal(load, RAM0 + 0x80000);
}

static void test_kernel_two_banks(void **state)
{
	struct image_info im = {0, 60 * MIB, true};
	struct boot_layout l;
	uint64_t load = 0;

	small_guest(&l);
	l.banks[1] = (struct mem_range){RAM1, 1 * GIB};
	l.bank_count = 2;
	/* Bank 0 has 110 MiB free in pieces of < 60 MiB after the DT... */
	assert_int_equal(layout_add_busy(&l, RAM0 + 70 * MIB, 2 * MIB), 0);
	assert_int_equal(image_place_kernel(&l, &im, IMAGE_NOWHERE, &load), 0);
	assert_int_equal(load, RAM0 + 130 * MIB);
	/* ... and none once more is busy: bank 1. */
	assert_int_equal(layout_add_busy(&l, RAM0 + 160 * MIB, 4096), 0);
	assert_int_equal(layout_add_busy(&l, RAM0 + 220 * MIB, 4096), 0);
	assert_int_equal(image_place_kernel(&l, &im, IMAGE_NOWHERE, &load), 0);
	assert_int_equal(load, RAM1);
	/* A kernel already in bank 1 stays there. */
	assert_int_equal(image_place_kernel(&l, &im, RAM1 + 512 * MIB, &load), 0);
	assert_int_equal(load, RAM1 + 512 * MIB);
}

static void test_kernel_no_room(void **state)
{
	struct image_info im = {0, 300 * MIB, true};
	struct boot_layout l;
	uint64_t load = 0;

	small_guest(&l);
	assert_int_equal(image_place_kernel(&l, &im, IMAGE_NOWHERE, &load), -ENOSPC);
	/* Two banks side by side are still two banks: no straddling. */
	memset(&l, 0, sizeof(l));
	l.banks[0] = (struct mem_range){RAM0, 200 * MIB};
	l.banks[1] = (struct mem_range){RAM0 + 200 * MIB, 200 * MIB};
	l.bank_count = 2;
	assert_int_equal(image_place_kernel(&l, &im, RAM0, &load), -ENOSPC);
	/* text_offset + image_size wrapping, for a kernel without bit 3 (fuzzer). */
	struct image_info wrap = {0x80000, UINT64_MAX, false};
	assert_int_equal(image_place_kernel(&l, &wrap, IMAGE_NOWHERE, &load), -ENOSPC);
	/* A size that wraps the address space. */
	im.size = UINT64_MAX - 4096;
	assert_int_equal(image_place_kernel(&l, &im, IMAGE_NOWHERE, &load), -ENOSPC);
	assert_false(layout_is_free(&l, RAM0, 0));
}

static void test_window(void **state)
{
	assert_true(image_in_window(RAM0, 40 * MIB, RAM0 + 31 * GIB, GIB));
	assert_false(image_in_window(RAM0, 40 * MIB, RAM0 + 31 * GIB, GIB + 1));
	/* The window is 1 GiB-aligned: from 1 GiB, not from the kernel. */
	assert_false(image_in_window(RAM0 + 512 * MIB, 40 * MIB, RAM0 + 32 * GIB - 4096, 8192));
	assert_true(image_in_window(RAM1 + 30 * GIB, 40 * MIB, RAM1, 4096));
}

static void test_initrd(void **state)
{
	const uint64_t k = RAM0 + 18 * MIB, ksize = 40 * MIB;
	struct boot_layout l;
	uint64_t at = 0;

	small_guest(&l);
	assert_int_equal(layout_add_busy(&l, k, ksize), 0);
	/* Free and in the window: stays, even unaligned. */
	assert_int_equal(
	    image_place_after(&l, k, ksize, true, RAM0 + 64 * MIB + 12, 20 * MIB, 4096, &at), 0);
	assert_int_equal(at, RAM0 + 64 * MIB + 12);
	/* Over the kernel's bss: the first page above the kernel. */
	assert_int_equal(
	    image_place_after(&l, k, ksize, true, k + ksize - 4096, 20 * MIB, 4096, &at), 0);
	assert_int_equal(at, k + ksize);
	/* Over the DT: above the kernel, below the DT, where it fits. */
	assert_int_equal(
	    image_place_after(&l, k, ksize, true, RAM0 + 127 * MIB, 2 * MIB, 4096, &at), 0);
	assert_int_equal(at, k + ksize);
	/* Too big for what is above the kernel: below it if allowed. */
	assert_int_equal(layout_add_busy(&l, k + ksize, 256 * MIB - 58 * MIB), 0);
	assert_int_equal(image_place_after(&l, k, ksize, false, IMAGE_NOWHERE, 4096, 4096, &at),
			 -ENOSPC);
	assert_int_equal(image_place_after(&l, k, ksize, true, IMAGE_NOWHERE, 4096, 4096, &at), 0);
	assert_int_equal(at, RAM0);
	/* Not below a kernel that can only see memory above itself. */
	assert_int_equal(image_place_after(&l, k, ksize, false, RAM0, 4096, 4096, &at), -ENOSPC);
}

/* A 40 GiB guest: an initrd high in bank 1 is outside the kernel's window. */
static void test_initrd_window(void **state)
{
	const uint64_t k = RAM0 + 18 * MIB, ksize = 40 * MIB;
	struct boot_layout l;
	uint64_t at = 0;

	small_guest(&l);
	l.banks[0].size = 3 * GIB;
	l.banks[1] = (struct mem_range){RAM1, 37 * GIB};
	l.bank_count = 2;
	assert_int_equal(layout_add_busy(&l, k, ksize), 0);
	assert_int_equal(
	    image_place_after(&l, k, ksize, true, RAM1 + 24 * GIB, 30 * MIB, 4096, &at), 0);
	assert_int_equal(at, RAM1 + 24 * GIB);
	assert_int_equal(
	    image_place_after(&l, k, ksize, true, RAM1 + 26 * GIB, 30 * MIB, 4096, &at), 0);
	assert_int_equal(at, k + ksize);
	/* A kernel high in bank 1 takes an initrd from bank 0 up into its window. */
	const uint64_t k1 = RAM1 + 34 * GIB;
	assert_int_equal(layout_add_busy(&l, k1, ksize), 0);
	assert_int_equal(
	    image_place_after(&l, k1, ksize, true, RAM0 + 64 * MIB, 30 * MIB, 4096, &at), 0);
	assert_int_equal(at, k1 + ksize);
}

static void test_find(void **state)
{
	struct boot_layout l;
	uint64_t at = 0;

	small_guest(&l);
	assert_int_equal(layout_find(&l, 0, UINT64_MAX, 4096, 0, 4096, &at), 0);
	assert_int_equal(at, RAM0);
	assert_int_equal(layout_find(&l, RAM0 + 1, UINT64_MAX, 4096, 0, 4096, &at), 0);
	assert_int_equal(at, RAM0 + 4096);
	assert_int_equal(layout_find(&l, 0, UINT64_MAX, 4096, 0, 0x80001, &at), 0);
	assert_int_equal(at, RAM0 + 0x1100000);
	assert_int_equal(layout_find(&l, 0, UINT64_MAX, 3, 0, 4096, &at), -EINVAL);
	assert_int_equal(layout_find(&l, 0, RAM0 + 4096, 4096, 0, 8192, &at), -ENOSPC);
	/* The busy list is bounded. */
	for (unsigned int i = l.busy_count; i < LAYOUT_MAX_BUSY; i++) {
		assert_int_equal(layout_add_busy(&l, RAM0 + 200 * MIB + i * 8192, 4096), 0);
	}
	assert_int_equal(layout_add_busy(&l, RAM0, 4096), -ENOSPC);
	assert_int_equal(layout_add_busy(&l, UINT64_MAX, 2), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_parse_old),
	    cmocka_unit_test(test_kernel_stays),
	    cmocka_unit_test(test_kernel_moves),
	    cmocka_unit_test(test_kernel_not_anywhere),
	    cmocka_unit_test(test_kernel_two_banks),
	    cmocka_unit_test(test_kernel_no_room),
	    cmocka_unit_test(test_window),
	    cmocka_unit_test(test_initrd),
	    cmocka_unit_test(test_initrd_window),
	    cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
