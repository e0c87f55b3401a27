/* Console input bytes to EFI keys (include/efi/console.h): what VT100,
 * xterm and the Linux console send for the keys a boot menu uses. */
#include <efi/console.h>

/* ESC [ <n> ~ : the key for <n>. */
static uint16_t tilde_scan(unsigned int n)
{
	static const uint8_t scan[] = {
	    [1] = SCAN_HOME,	[2] = SCAN_INSERT,    [3] = SCAN_DELETE,  [4] = SCAN_END,
	    [5] = SCAN_PAGE_UP, [6] = SCAN_PAGE_DOWN, [7] = SCAN_HOME,	  [8] = SCAN_END,
	    [11] = SCAN_F1,	[12] = SCAN_F1 + 1,   [13] = SCAN_F1 + 2, [14] = SCAN_F1 + 3,
	    [15] = SCAN_F1 + 4, [17] = SCAN_F1 + 5,   [18] = SCAN_F1 + 6, [19] = SCAN_F1 + 7,
	    [20] = SCAN_F1 + 8, [21] = SCAN_F10,      [23] = SCAN_F11,	  [24] = SCAN_F12,
	};

	return n < sizeof(scan) ? scan[n] : SCAN_NULL;
}

/* The final letter of ESC [ ... x or ESC O x. */
static uint16_t letter_scan(uint8_t c)
{
	switch (c) {
	case 'A':
		return SCAN_UP;
	case 'B':
		return SCAN_DOWN;
	case 'C':
		return SCAN_RIGHT;
	case 'D':
		return SCAN_LEFT;
	case 'H':
		return SCAN_HOME;
	case 'F':
		return SCAN_END;
	case 'P':
	case 'Q':
	case 'R':
	case 'S':
		return SCAN_F1 + (c - 'P'); /* F1..F4 (ESC O P.., or ESC [ 1 ; m P) */
	default:
		return SCAN_NULL;
	}
}

/* ESC [ ...: parameters (digits and ';') then a final byte. */
static size_t csi_parse(const uint8_t *buf, size_t len, bool is_final, struct efi_input_key *key)
{
	unsigned int n = 0;
	size_t i = 2;

	if (len > 2 && buf[2] == '[') {
		/* The Linux console's F1..F5: ESC [ [ A..E. */
		if (len == 3) {
			return is_final ? 3 : 0;
		}
		if (buf[3] >= 'A' && buf[3] <= 'E') {
			key->scan_code = SCAN_F1 + (buf[3] - 'A');
		}
		return 4;
	}
	/* The first parameter picks the key; the rest are modifiers. A
	 * sequence longer than the caller's buffer ends up taken as final. */
	bool is_first = true;
	for (; i < len && ((buf[i] >= '0' && buf[i] <= '9') || buf[i] == ';'); i++) {
		if (buf[i] == ';') {
			is_first = false;
		} else if (is_first && n < 1000) {
			n = n * 10 + (buf[i] - '0');
		}
	}
	if (i == len) {
		return is_final ? len : 0;
	}
	key->scan_code = buf[i] == '~' ? tilde_scan(n) : letter_scan(buf[i]);
	return i + 1;
}

/* A UTF-8 sequence at @buf; characters beyond UCS-2 and bad bytes are no key. */
static size_t utf8_parse(const uint8_t *buf, size_t len, bool is_final, struct efi_input_key *key)
{
	size_t need = (buf[0] & 0xe0) == 0xc0 ? 2 : (buf[0] & 0xf0) == 0xe0 ? 3 : 0;
	uint32_t cp = buf[0] & (need == 2 ? 0x1f : 0x0f);

	if (!need) {
		return 1; /* a stray continuation byte, or a 4-byte lead */
	}
	for (size_t i = 1; i < need; i++) {
		if (i == len) {
			return is_final ? len : 0;
		}
		if ((buf[i] & 0xc0) != 0x80) {
			return i;
		}
		cp = cp << 6 | (buf[i] & 0x3f);
	}
	if ((need == 2 && cp >= 0x80) ||
	    (need == 3 && cp >= 0x800 && (cp < 0xd800 || cp >= 0xe000))) {
		key->unicode_char = (efi_char16_t)cp;
	}
	return need;
}

size_t efi_con_key_parse(const uint8_t *buf, size_t len, bool is_final, struct efi_input_key *key)
{
	*key = (struct efi_input_key){0};
	if (!len) {
		return 0;
	}
	if (buf[0] >= 0x80) {
		return utf8_parse(buf, len, is_final, key);
	}
	if (buf[0] != 0x1b) {
		/* Terminals send DEL for the Backspace key; Enter is CR. */
		key->unicode_char = buf[0] == 0x7f   ? CHAR_BACKSPACE
				    : buf[0] == '\n' ? CHAR_CARRIAGE_RETURN
						     : buf[0];
		return 1;
	}
	if (len == 1) {
		key->scan_code = is_final ? SCAN_ESC : SCAN_NULL;
		return is_final ? 1 : 0;
	}
	if (buf[1] == '[') {
		return csi_parse(buf, len, is_final, key);
	}
	if (buf[1] == 'O') {
		if (len == 2) {
			return is_final ? 2 : 0;
		}
		key->scan_code = letter_scan(buf[2]);
		return 3;
	}
	/* ESC then another key (Alt+key): the Esc key; the other comes next. */
	key->scan_code = SCAN_ESC;
	return 1;
}
