/* The EFI console's key parser (efi_con_key_parse) on whatever bytes a
 * terminal or a hostile console backend sends: every byte is used up, in
 * steps that never pass the end, and each key is one scan code or one UCS-2
 * character, never a surrogate half. Both modes are checked: more may come
 * (a 0 result is allowed), and final (it is not). */
#include <efi/console.h>
#include <fuzz.h>

static void walk(const uint8_t *data, size_t size, bool is_final)
{
	size_t pos = 0;

	while (pos < size) {
		struct efi_input_key k;
		size_t n = efi_con_key_parse(data + pos, size - pos, is_final, &k);
		fuzz_check(n <= size - pos);
		fuzz_check(!(k.scan_code && k.unicode_char));
		fuzz_check(k.scan_code <= SCAN_ESC);
		fuzz_check(k.unicode_char < 0xd800 || k.unicode_char >= 0xe000);
		if (!n) {
			fuzz_check(!is_final);
			/* Incomplete: only ever at the end (an ESC or UTF-8 start). */
			fuzz_check(data[pos] == 0x1b || data[pos] >= 0xc0);
			n = efi_con_key_parse(data + pos, size - pos, true, &k);
			fuzz_check(n > 0 && n <= size - pos);
		}
		pos += n;
	}
}

static void efikeys_fuzz(const uint8_t *data, size_t size)
{
	walk(data, size, false);
	walk(data, size, true);
}

FUZZ_TARGET(efikeys_fuzz)
