/* Simple Text Output on the PV console (UEFI 2.10 §12.4). Strings go out
 * as UTF-8: a terminal behind `xl console` shows GRUB's and systemd-boot's
 * box-drawing and arrow characters (U+2500.., U+2190..) as drawn; colours,
 * clearing and the cursor are ANSI escapes. There is one mode, 80x25: the
 * size of the terminal at the other end of the ring cannot be known. The
 * cursor position in Mode is what our output implies (a terminal that wraps
 * differently drifts from it). */
#include <efi/console.h>
#include <lib/console.h>
#include <lib/printf.h>
#include <string.h>

/* An unterminated string from an application ends here, not in a fault
 * far away (1 Mi characters is more than any screen). */
#define OUTPUT_MAX_UNITS (1u << 20)
#define DEFAULT_ATTRIBUTE EFI_TEXT_ATTR(EFI_LIGHTGRAY, EFI_BLACK)

static struct efi_console *con_of(struct efi_simple_text_output_protocol *self)
{
	struct efi_console *c =
	    self ? (struct efi_console *)((char *)self - offsetof(struct efi_console, out)) : NULL;

	if (!c || c->magic != EFI_CONSOLE_MAGIC || efi_get()->is_boot_services_exited) {
		return NULL;
	}
	return c;
}

/* Why a call is refused: after ExitBootServices nothing here works any
 * more (EFI_UNSUPPORTED); before it, the arguments were bad. */
static efi_status_t refused(void)
{
	return efi_get()->is_boot_services_exited ? EFI_UNSUPPORTED : EFI_INVALID_PARAMETER;
}

static bool is_surrogate(efi_char16_t u)
{
	return u >= 0xd800 && u < 0xe000;
}

/* Where the cursor goes after @u on an 80x25 screen that scrolls. */
static void cursor_move(struct efi_simple_text_output_mode *m, efi_char16_t u)
{
	if (u == '\r') {
		m->cursor_column = 0;
	} else if (u == '\n') {
		/* The console layer sends LF as CR LF. */
		m->cursor_column = 0;
		m->cursor_row = MIN(m->cursor_row + 1, EFI_CON_ROWS - 1);
	} else if (u == '\b') {
		m->cursor_column = m->cursor_column ? m->cursor_column - 1 : 0;
	} else if (++m->cursor_column >= EFI_CON_COLUMNS) {
		m->cursor_column = 0;
		m->cursor_row = MIN(m->cursor_row + 1, EFI_CON_ROWS - 1);
	}
}

/* @u as UTF-8 into @out (3 bytes room); returns the bytes, 0 to drop it. */
static size_t encode(efi_char16_t u, char *out)
{
	/* C0 controls other than the four §12.4 gives a meaning would reach
	 * the terminal as commands (ESC above all): dropped. */
	if ((u < 0x20 && u != '\b' && u != '\t' && u != '\n' && u != '\r') || u == 0x7f) {
		return 0;
	}
	if (u < 0x80) {
		out[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = (char)(0xc0 | u >> 6);
		out[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | u >> 12);
	out[1] = (char)(0x80 | (u >> 6 & 0x3f));
	out[2] = (char)(0x80 | (u & 0x3f));
	return 3;
}

static efi_status_t con_output_string(struct efi_simple_text_output_protocol *self,
				      const efi_char16_t *s)
{
	struct efi_console *c = con_of(self);
	efi_status_t status = EFI_SUCCESS;
	char chunk[128];
	size_t n = 0;

	if (!c || !s) {
		return refused();
	}
	for (size_t i = 0; i < OUTPUT_MAX_UNITS && s[i]; i++) {
		efi_char16_t u = s[i];
		/* CR LF is one line end: the console layer adds the CR. */
		if (u == '\r' && s[i + 1] == '\n') {
			continue;
		}
		if (is_surrogate(u)) {
			u = '?';
			status = EFI_WARN_UNKNOWN_GLYPH;
		}
		if (n + 3 > sizeof(chunk)) {
			console_write(chunk, n);
			n = 0;
		}
		size_t len = encode(u, chunk + n);
		if (len) {
			n += len;
			cursor_move(&c->mode, u);
		}
	}
	console_write(chunk, n);
	return status;
}

static efi_status_t con_test_string(struct efi_simple_text_output_protocol *self,
				    const efi_char16_t *s)
{
	if (!con_of(self) || !s) {
		return refused();
	}
	for (size_t i = 0; i < OUTPUT_MAX_UNITS && s[i]; i++) {
		if (is_surrogate(s[i])) {
			return EFI_UNSUPPORTED;
		}
	}
	return EFI_SUCCESS;
}

static efi_status_t con_query_mode(struct efi_simple_text_output_protocol *self, uint64_t mode,
				   uint64_t *columns, uint64_t *rows)
{
	struct efi_console *c = con_of(self);

	if (!c || !columns || !rows) {
		return refused();
	}
	if (mode >= (uint64_t)c->mode.max_mode) {
		return EFI_UNSUPPORTED;
	}
	*columns = EFI_CON_COLUMNS;
	*rows = EFI_CON_ROWS;
	return EFI_SUCCESS;
}

/* SGR for an EFI attribute: EFI numbers colours blue=1 green=2 red=4,
 * ANSI red=1 green=2 blue=4; the bright bit is bold. */
static void attribute_emit(uint64_t attr)
{
	static const char ansi[8] = {'0', '4', '2', '6', '1', '5', '3', '7'};
	char seq[16];

	int n = xb_snprintf(seq, sizeof(seq), "\x1b[0;%s3%c;4%cm", (attr & EFI_BRIGHT) ? "1;" : "",
			    ansi[attr & 7], ansi[(attr >> 4) & 7]);
	console_write(seq, (size_t)n);
}

static efi_status_t con_set_attribute(struct efi_simple_text_output_protocol *self,
				      uint64_t attribute)
{
	struct efi_console *c = con_of(self);

	if (!c) {
		return refused();
	}
	/* Bit 7 (blink, in old firmware) and above mean nothing. */
	if (attribute > 0x7f) {
		return EFI_UNSUPPORTED;
	}
	if ((int32_t)attribute != c->mode.attribute) {
		attribute_emit(attribute);
		c->mode.attribute = (int32_t)attribute;
	}
	return EFI_SUCCESS;
}

static efi_status_t con_clear_screen(struct efi_simple_text_output_protocol *self)
{
	struct efi_console *c = con_of(self);

	if (!c) {
		return refused();
	}
	/* Erased in the current background colour, the cursor at the top. */
	console_puts("\x1b[2J\x1b[H");
	c->mode.cursor_column = 0;
	c->mode.cursor_row = 0;
	return EFI_SUCCESS;
}

static efi_status_t con_set_mode(struct efi_simple_text_output_protocol *self, uint64_t mode)
{
	struct efi_console *c = con_of(self);

	if (!c) {
		return refused();
	}
	if (mode >= (uint64_t)c->mode.max_mode) {
		return EFI_UNSUPPORTED;
	}
	c->mode.mode = (int32_t)mode;
	return con_clear_screen(self);
}

static efi_status_t con_set_cursor_position(struct efi_simple_text_output_protocol *self,
					    uint64_t column, uint64_t row)
{
	struct efi_console *c = con_of(self);
	char seq[24];

	if (!c) {
		return refused();
	}
	if (column >= EFI_CON_COLUMNS || row >= EFI_CON_ROWS) {
		return EFI_UNSUPPORTED;
	}
	int n = xb_snprintf(seq, sizeof(seq), "\x1b[%u;%uH", (unsigned int)row + 1,
			    (unsigned int)column + 1);
	console_write(seq, (size_t)n);
	c->mode.cursor_column = (int32_t)column;
	c->mode.cursor_row = (int32_t)row;
	return EFI_SUCCESS;
}

static efi_status_t con_enable_cursor(struct efi_simple_text_output_protocol *self, bool visible)
{
	struct efi_console *c = con_of(self);

	if (!c) {
		return refused();
	}
	console_puts(visible ? "\x1b[?25h" : "\x1b[?25l");
	c->mode.cursor_visible = visible;
	return EFI_SUCCESS;
}

static efi_status_t con_reset(struct efi_simple_text_output_protocol *self, bool extended)
{
	struct efi_console *c = con_of(self);

	if (!c) {
		return refused();
	}
	/* Back to the start state: mode 0, default colours, the cursor shown,
	 * a clear screen. */
	console_puts("\x1b[0m\x1b[?25h");
	c->mode.attribute = DEFAULT_ATTRIBUTE;
	c->mode.cursor_visible = true;
	c->mode.mode = 0;
	return con_clear_screen(self);
}

void efi_console_restore(void)
{
	struct efi_console *c = con_of(efi_get()->systab.con_out);

	if (c && (c->mode.attribute != DEFAULT_ATTRIBUTE || !c->mode.cursor_visible)) {
		console_puts("\x1b[0m\x1b[?25h");
		c->mode.attribute = DEFAULT_ATTRIBUTE;
		c->mode.cursor_visible = true;
	}
}

void efi_con_out_init(struct efi_console *c)
{
	c->out = (struct efi_simple_text_output_protocol){
	    .reset = con_reset,
	    .output_string = con_output_string,
	    .test_string = con_test_string,
	    .query_mode = con_query_mode,
	    .set_mode = con_set_mode,
	    .set_attribute = con_set_attribute,
	    .clear_screen = con_clear_screen,
	    .set_cursor_position = con_set_cursor_position,
	    .enable_cursor = con_enable_cursor,
	    .mode = &c->mode,
	};
	c->mode = (struct efi_simple_text_output_mode){
	    .max_mode = 1,
	    .mode = 0,
	    .attribute = DEFAULT_ATTRIBUTE,
	    .cursor_visible = true,
	};
}
