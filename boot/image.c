/*
 * The arm64 Image header and the placement rules of booting.rst: a 2 MiB-
 * aligned base plus text_offset, image_size bytes free from there, the
 * initrd in the same 1 GiB-aligned 32 GiB window as the kernel.
 */
#include <boot/image.h>
#include <lib/errno.h>
#include <string.h>

int image_parse(const void *buf, size_t len, struct image_info *out)
{
	struct image_header h;
	uint64_t flags, size;

	if (len < sizeof(h)) {
		return -ENODATA;
	}
	memcpy(&h, buf, sizeof(h));
	if (get_le32(&h.magic) != IMAGE_MAGIC) {
		return -ENOEXEC;
	}
	size = get_le64(&h.image_size);
	flags = get_le64(&h.flags);
	if (size == 0) {
		/* Before Linux 3.17 the field was 0 and so were the flags: the
		 * old fixed offset, an assumed size, and no placement freedom. */
		*out = (struct image_info){IMAGE_OLD_TEXT_OFFSET, IMAGE_OLD_SIZE, false};
		return 0;
	}
	out->text_offset = get_le64(&h.text_offset);
	if ((flags & IMAGE_FLAG_BE) || !IS_ALIGNED(out->text_offset, 4096) ||
	    out->text_offset >= IMAGE_MAX_TEXT_OFFSET || size < sizeof(h)) {
		return -EINVAL;
	}
	out->size = size;
	out->is_anywhere = flags & IMAGE_FLAG_ANYWHERE;
	return 0;
}

int image_place_kernel(const struct boot_layout *l, const struct image_info *im, uint64_t current,
		       uint64_t *load)
{
	if (current != IMAGE_NOWHERE && im->is_anywhere && current >= im->text_offset &&
	    IS_ALIGNED(current - im->text_offset, IMAGE_BASE_ALIGN) &&
	    layout_is_free(l, current, im->size)) {
		*load = current;
		return 0;
	}
	if (im->is_anywhere) {
		return layout_find(l, 0, UINT64_MAX, IMAGE_BASE_ALIGN, im->text_offset, im->size,
				   load);
	}
	/* Early kernels kept their first page tables below the Image: keep
	 * the whole [base, load + size) free for a kernel without bit 3. */
	uint64_t base, span;
	if (__builtin_add_overflow(im->text_offset, im->size, &span)) {
		return -ENOSPC; /* an image_size near 2^64 (found by the fuzzer) */
	}
	int rc = layout_find(l, 0, UINT64_MAX, IMAGE_BASE_ALIGN, 0, span, &base);
	if (!rc) {
		*load = base + im->text_offset;
	}
	return rc;
}

bool image_in_window(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	uint64_t lo = MIN(a, b), hi = MAX(a + a_len, b + b_len);

	return hi - ALIGN_DOWN(lo, IMAGE_WINDOW_ALIGN) <= IMAGE_WINDOW_SIZE;
}

int image_place_after(const struct boot_layout *l, uint64_t kernel, uint64_t kernel_size,
		      bool below_ok, uint64_t current, uint64_t size, uint64_t align, uint64_t *out)
{
	uint64_t kernel_end = kernel + kernel_size;
	uint64_t win = ALIGN_DOWN(kernel, IMAGE_WINDOW_ALIGN);
	uint64_t win_end = win + IMAGE_WINDOW_SIZE < win ? UINT64_MAX : win + IMAGE_WINDOW_SIZE;

	if (current != IMAGE_NOWHERE && layout_is_free(l, current, size) &&
	    image_in_window(kernel, kernel_size, current, size) &&
	    (below_ok || current >= kernel_end)) {
		*out = current;
		return 0;
	}
	if (!layout_find(l, kernel_end, win_end, align, 0, size, out)) {
		return 0;
	}
	if (!below_ok) {
		return -ENOSPC;
	}
	/* The lowest window that still holds the whole kernel. */
	uint64_t top, lo;
	if (__builtin_add_overflow(kernel_end, IMAGE_WINDOW_ALIGN - 1, &top)) {
		lo = 0 - IMAGE_WINDOW_SIZE; /* the window that ends at 2^64 (fuzzer) */
	} else {
		top = ALIGN_DOWN(top, IMAGE_WINDOW_ALIGN);
		lo = top > IMAGE_WINDOW_SIZE ? top - IMAGE_WINDOW_SIZE : 0;
	}
	return layout_find(l, lo, kernel, align, 0, size, out);
}
