/* The PV console as the EFI console: Simple Text Input (Ex) and Simple Text
 * Output on one handle (efi/con_in.c, efi/con_out.c). Output goes out as
 * UTF-8 with ANSI (VT100) escapes for colour and cursor, as U-Boot does on a
 * serial console; input bytes, escape sequences included, become EFI keys. */
#ifndef EFI_CONSOLE_H
#define EFI_CONSOLE_H

#include <efi/abi/text.h>
#include <efi/efi.h>

extern const efi_guid_t efi_guid_simple_text_input_ex; /* dd9e7534-7762-4698-8c14-f58517a625aa */

#define EFI_CON_COLUMNS 80
#define EFI_CON_ROWS 25
#define EFI_CON_INBUF 32 /* input bytes held while a sequence completes */

struct efi_console {
	uint32_t magic; /* EFI_CONSOLE_MAGIC */
	struct efi_simple_text_input_protocol in;
	struct efi_simple_text_input_ex_protocol in_ex;
	struct efi_simple_text_output_protocol out;
	struct efi_simple_text_output_mode mode;
	struct efi_object *handle;
	uint8_t inbuf[EFI_CON_INBUF];
	size_t in_len;
	bool is_after_cr; /* the last key was a CR: a LF right after it is the same Enter */
};
#define EFI_CONSOLE_MAGIC 0x4e4f4345u /* "ECON" */

/**
 * efi_console_restore() - after an image returned to xenboot (StartImage
 * came back, bootefi failed): default colours and a visible cursor again,
 * so the shell is not left blue on white with no cursor. Nothing is sent
 * when the image left them as they were.
 */
void efi_console_restore(void);

/** efi_con_out_init() - fill @c's output protocol and mode (efi/con_out.c). */
void efi_con_out_init(struct efi_console *c);

/**
 * efi_con_key_parse() - the key at the start of @buf (@len bytes of console
 * input, untrusted): printable characters and UTF-8 as themselves, DEL as
 * backspace, VT100/xterm/Linux-console escape sequences as scan codes.
 * Returns the bytes it used, with *@key zero when they are no key (an
 * unknown sequence, bad UTF-8), or 0 when @buf is the start of a longer
 * sequence and more bytes may come; with @is_final, what is there is taken
 * as it is (a lone ESC is the Esc key) and the result is never 0 for @len > 0.
 */
size_t efi_con_key_parse(const uint8_t *buf, size_t len, bool is_final, struct efi_input_key *key);

#endif
