/* Simple Text Input, Simple Text Input Ex and Simple Text Output (UEFI 2.10
 * §12.2-12.4), 64-bit layout: our own definitions from the specification. */
#ifndef EFI_ABI_TEXT_H
#define EFI_ABI_TEXT_H

#include <efi/abi/types.h>

/* Scan codes of EFI_INPUT_KEY (§12.3, table "EFI Scan Codes"). */
#define SCAN_NULL 0x00
#define SCAN_UP 0x01
#define SCAN_DOWN 0x02
#define SCAN_RIGHT 0x03
#define SCAN_LEFT 0x04
#define SCAN_HOME 0x05
#define SCAN_END 0x06
#define SCAN_INSERT 0x07
#define SCAN_DELETE 0x08
#define SCAN_PAGE_UP 0x09
#define SCAN_PAGE_DOWN 0x0a
#define SCAN_F1 0x0b /* F2..F10 follow */
#define SCAN_F10 0x14
#define SCAN_F11 0x15
#define SCAN_F12 0x16
#define SCAN_ESC 0x17

#define CHAR_BACKSPACE 0x08
#define CHAR_TAB 0x09
#define CHAR_LINEFEED 0x0a
#define CHAR_CARRIAGE_RETURN 0x0d

struct efi_input_key {
	uint16_t scan_code;
	efi_char16_t unicode_char;
};
static_assert(sizeof(struct efi_input_key) == 4, "EFI_INPUT_KEY");

struct efi_simple_text_input_protocol {
	efi_status_t(EFIAPI *reset)(struct efi_simple_text_input_protocol *self,
				    bool extended_verification);
	efi_status_t(EFIAPI *read_key_stroke)(struct efi_simple_text_input_protocol *self,
					      struct efi_input_key *key);
	efi_event_t wait_for_key;
};
static_assert(sizeof(struct efi_simple_text_input_protocol) == 24, "SIMPLE_TEXT_INPUT");

/* EFI_KEY_STATE (§12.2): the shift and toggle states, when known. */
#define EFI_SHIFT_STATE_VALID 0x80000000u
#define EFI_TOGGLE_STATE_VALID 0x80u

struct efi_key_state {
	uint32_t key_shift_state;
	uint8_t key_toggle_state;
};

struct efi_key_data {
	struct efi_input_key key;
	struct efi_key_state key_state;
};
static_assert(sizeof(struct efi_key_data) == 12, "EFI_KEY_DATA");
static_assert(offsetof(struct efi_key_data, key_state) == 4, "KeyState");

typedef efi_status_t(EFIAPI *efi_key_notify_t)(struct efi_key_data *key);

struct efi_simple_text_input_ex_protocol {
	efi_status_t(EFIAPI *reset)(struct efi_simple_text_input_ex_protocol *self,
				    bool extended_verification);
	efi_status_t(EFIAPI *read_key_stroke_ex)(struct efi_simple_text_input_ex_protocol *self,
						 struct efi_key_data *key);
	efi_event_t wait_for_key_ex;
	efi_status_t(EFIAPI *set_state)(struct efi_simple_text_input_ex_protocol *self,
					uint8_t *toggle_state);
	efi_status_t(EFIAPI *register_key_notify)(struct efi_simple_text_input_ex_protocol *self,
						  struct efi_key_data *key, efi_key_notify_t fn,
						  void **handle);
	efi_status_t(EFIAPI *unregister_key_notify)(struct efi_simple_text_input_ex_protocol *self,
						    void *handle);
};
static_assert(sizeof(struct efi_simple_text_input_ex_protocol) == 48, "SIMPLE_TEXT_INPUT_EX");

/* Text attributes (§12.4 SetAttribute): foreground | background << 4. */
#define EFI_BLACK 0x00
#define EFI_BLUE 0x01
#define EFI_GREEN 0x02
#define EFI_RED 0x04
#define EFI_LIGHTGRAY 0x07
#define EFI_BRIGHT 0x08
#define EFI_WHITE 0x0f
#define EFI_TEXT_ATTR(fg, bg) ((fg) | ((bg) << 4))

struct efi_simple_text_output_mode {
	int32_t max_mode;
	int32_t mode;
	int32_t attribute;
	int32_t cursor_column;
	int32_t cursor_row;
	bool cursor_visible;
};
static_assert(sizeof(struct efi_simple_text_output_mode) == 24, "SIMPLE_TEXT_OUTPUT_MODE");
static_assert(offsetof(struct efi_simple_text_output_mode, cursor_visible) == 20, "CursorVisible");

struct efi_simple_text_output_protocol {
	efi_status_t(EFIAPI *reset)(struct efi_simple_text_output_protocol *self,
				    bool extended_verification);
	efi_status_t(EFIAPI *output_string)(struct efi_simple_text_output_protocol *self,
					    const efi_char16_t *s);
	efi_status_t(EFIAPI *test_string)(struct efi_simple_text_output_protocol *self,
					  const efi_char16_t *s);
	efi_status_t(EFIAPI *query_mode)(struct efi_simple_text_output_protocol *self,
					 uint64_t mode, uint64_t *columns, uint64_t *rows);
	efi_status_t(EFIAPI *set_mode)(struct efi_simple_text_output_protocol *self, uint64_t mode);
	efi_status_t(EFIAPI *set_attribute)(struct efi_simple_text_output_protocol *self,
					    uint64_t attribute);
	efi_status_t(EFIAPI *clear_screen)(struct efi_simple_text_output_protocol *self);
	efi_status_t(EFIAPI *set_cursor_position)(struct efi_simple_text_output_protocol *self,
						  uint64_t column, uint64_t row);
	efi_status_t(EFIAPI *enable_cursor)(struct efi_simple_text_output_protocol *self,
					    bool visible);
	struct efi_simple_text_output_mode *mode;
};
static_assert(sizeof(struct efi_simple_text_output_protocol) == 80, "SIMPLE_TEXT_OUTPUT");

#endif
