/* The arm64 Image header and the placement arithmetic on arbitrary input
 * (STYLE U6): the first 64 bytes are the header, the rest describes a RAM
 * layout (banks, busy regions, where the kernel and an initrd are now).
 * Whatever is chosen must obey booting.rst and the layout. */
#include <boot/image.h>
#include <fuzz.h>
#include <string.h>

struct reader {
	const uint8_t *p;
	size_t left;
};

/* The next 8 bytes as a number (0 when the input ran out). */
static uint64_t next_u64(struct reader *r)
{
	uint64_t v = 0;
	size_t n = r->left < 8 ? r->left : 8;

	memcpy(&v, r->p, n);
	r->p += n;
	r->left -= n;
	return v;
}

/* Sizes and addresses in a guest-like range, so placements sometimes succeed. */
static uint64_t addr_of(uint64_t v)
{
	return (v & 1) ? v : 0x40000000ULL + (v >> 1) % (64ULL << 30);
}

static void build_layout(struct reader *r, struct boot_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->bank_count = 1 + next_u64(r) % 4;
	for (unsigned int i = 0; i < l->bank_count; i++) {
		l->banks[i].base = addr_of(next_u64(r));
		l->banks[i].size = addr_of(next_u64(r)) & ((4ULL << 30) - 1);
	}
	unsigned int busy = next_u64(r) % 12;
	for (unsigned int i = 0; i < busy; i++) {
		uint64_t base = addr_of(next_u64(r));
		if (layout_add_busy(l, base, next_u64(r) % (512ULL << 20))) {
			continue;
		}
	}
}

static void check_initrd(struct reader *r, struct boot_layout *l, const struct image_info *im,
			 uint64_t load)
{
	uint64_t current = addr_of(next_u64(r)), size = 1 + next_u64(r) % (256ULL << 20), at;

	if (layout_add_busy(l, load, im->size)) {
		return;
	}
	if (image_place_after(l, load, im->size, im->is_anywhere, current, size, 4096, &at) == 0) {
		fuzz_check(layout_is_free(l, at, size));
		fuzz_check(image_in_window(load, im->size, at, size));
		fuzz_check(im->is_anywhere || at >= load + im->size);
		fuzz_check(at == current || at % 4096 == 0);
	}
}

static void image_fuzz(const uint8_t *data, size_t size)
{
	struct reader r = {data, size};
	struct image_info im;
	struct boot_layout l;
	uint64_t load, current;

	if (image_parse(data, size, &im)) {
		return;
	}
	fuzz_check(im.size != 0 && im.text_offset < IMAGE_MAX_TEXT_OFFSET);
	r.p += IMAGE_HEADER_SIZE;
	r.left -= IMAGE_HEADER_SIZE;
	build_layout(&r, &l);
	current = next_u64(&r) & 1 ? IMAGE_NOWHERE : addr_of(next_u64(&r));
	if (image_place_kernel(&l, &im, current, &load)) {
		return;
	}
	fuzz_check(load >= im.text_offset);
	fuzz_check((load - im.text_offset) % IMAGE_BASE_ALIGN == 0);
	fuzz_check(layout_is_free(&l, load, im.size));
	if (!im.is_anywhere) {
		fuzz_check(layout_is_free(&l, load - im.text_offset, im.text_offset + im.size));
	}
	check_initrd(&r, &l, &im, load);
}

FUZZ_TARGET(image_fuzz)
