/* EFI_LOAD_OPTION parsing (efi/load_option.c) on arbitrary bytes, as a
 * Boot#### variable from the ESP's variable file may hold them: a parsed
 * option's parts lie inside the input, in order, and its first device path
 * ends with an end node inside FilePathListLength. */
#include <efi/bootmgr.h>
#include <fuzz.h>
#include <string.h>

static void fuzz_load_option(const uint8_t *data, size_t size)
{
	struct efi_load_option o;

	if (efi_load_option_parse(data, size, &o)) {
		return;
	}
	const uint8_t *end = data + size;
	const uint8_t *path = (const uint8_t *)o.file_path;
	fuzz_check(o.description == data + 6);
	fuzz_check(path == o.description + 2 * o.desc_units + 2);
	fuzz_check(o.file_path_size >= 4 && o.file_path_size <= (size_t)(end - path));
	fuzz_check(o.optional_data == path + o.file_path_size);
	fuzz_check(o.optional_data + o.optional_size == end);
	/* Every node the parser walked is inside the list. */
	size_t off = 0;
	for (;;) {
		fuzz_check(o.file_path_size - off >= 4);
		size_t len = (size_t)path[off + 2] | (size_t)path[off + 3] << 8;
		fuzz_check(len >= 4 && len <= o.file_path_size - off);
		if (path[off] == 0x7f && path[off + 1] == 0xff) {
			break;
		}
		off += len;
	}
}

FUZZ_TARGET(fuzz_load_option)
