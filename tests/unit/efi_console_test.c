/* The EFI console (efi/con_in.c, con_keys.c, con_out.c) on the sim's PV
 * console: what an application's OutputString and friends put on the wire,
 * and the keys it reads from bytes a terminal sends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "guest_world.h"
#include <arch/arch.h>
#include <efi/console.h>
#include <efi/services.h>
#include <sim/console.h>
#include <string.h>

#define MS 1000000ULL

static struct efi_system_table *st;
static struct efi_boot_services *b;
static struct dtinfo dt;

static int setup(void **state)
{
	if (guest_world_start(NULL, &dt) || guest_world_xen(&dt) || efi_start()) {
		return -1;
	}
	st = &efi_get()->systab;
	b = st->boot_services;
	return 0;
}

static int teardown(void **state)
{
	guest_world_stop();
	return 0;
}

/* What OutputString(@s) sent, with the status it returned in *@status. */
static const char *output_of(const efi_char16_t *s, efi_status_t *status)
{
	sim_console_output_clear();
	*status = st->con_out->output_string(st->con_out, s);
	console_flush(arch_time_ns() + 100 * MS);
	return sim_console_output(NULL);
}

static void test_handles(void **state)
{
	void *p;

	assert_non_null(st->con_in);
	assert_non_null(st->con_out);
	assert_ptr_equal(st->std_err, st->con_out);
	assert_ptr_equal(st->console_in_handle, st->console_out_handle);
	assert_true(b->handle_protocol(st->console_in_handle, &efi_guid_simple_text_input, &p) ==
		    EFI_SUCCESS);
	assert_ptr_equal(p, st->con_in);
	assert_true(b->handle_protocol(st->console_out_handle, &efi_guid_simple_text_output, &p) ==
		    EFI_SUCCESS);
	assert_ptr_equal(p, st->con_out);
	assert_true(b->handle_protocol(st->console_in_handle, &efi_guid_simple_text_input_ex, &p) ==
		    EFI_SUCCESS);
	assert_non_null(((struct efi_simple_text_input_ex_protocol *)p)->wait_for_key_ex);
	assert_non_null(st->con_in->wait_for_key);
}

static void test_output_string(void **state)
{
	/* "Hi" CR LF, a box corner, an arrow, a lone surrogate, ESC, BEL, "é". */
	const efi_char16_t s[] = {'H',	  'i',	'\r', '\n', 0x250c, 0x2191,
				  0xd800, 0x1b, 0x07, 0xe9, 0};
	struct efi_simple_text_output_mode *m = st->con_out->mode;
	efi_status_t status;

	const char *o = output_of(s, &status);
	assert_true(status == EFI_WARN_UNKNOWN_GLYPH);
	assert_string_equal(o, "Hi\r\n\xe2\x94\x8c\xe2\x86\x91?\xc3\xa9");
	assert_int_equal(m->cursor_column, 4);
	/* A long line wraps the cursor; BS steps back. */
	efi_char16_t line[90];
	for (int i = 0; i < 85; i++) {
		line[i] = 'x';
	}
	line[85] = '\b';
	line[86] = 0;
	o = output_of(line, &status);
	assert_true(status == EFI_SUCCESS);
	assert_int_equal(strlen(o), 86);
	assert_int_equal(m->cursor_column, (4 + 85) % 80 - 1);
	assert_true(st->con_out->test_string(st->con_out, s) == EFI_UNSUPPORTED);
	assert_true(st->con_out->test_string(st->con_out, line) == EFI_SUCCESS);
	assert_true(st->con_out->output_string(st->con_out, NULL) == EFI_INVALID_PARAMETER);
}

static void test_modes_and_escapes(void **state)
{
	struct efi_simple_text_output_protocol *out = st->con_out;
	uint64_t cols = 0, rows = 0;

	assert_int_equal(out->mode->max_mode, 1);
	assert_true(out->query_mode(out, 0, &cols, &rows) == EFI_SUCCESS);
	assert_int_equal(cols, 80);
	assert_int_equal(rows, 25);
	assert_true(out->query_mode(out, 1, &cols, &rows) == EFI_UNSUPPORTED);
	assert_true(out->query_mode(out, 0, NULL, &rows) == EFI_INVALID_PARAMETER);
	assert_true(out->set_mode(out, 1) == EFI_UNSUPPORTED);
	sim_console_output_clear();
	assert_true(out->set_attribute(out, EFI_TEXT_ATTR(EFI_WHITE, EFI_BLUE)) == EFI_SUCCESS);
	assert_true(out->set_attribute(out, EFI_TEXT_ATTR(EFI_RED, EFI_BLACK)) == EFI_SUCCESS);
	assert_true(out->set_attribute(out, 0x80) == EFI_UNSUPPORTED);
	assert_int_equal(out->mode->attribute, EFI_RED);
	assert_true(out->set_cursor_position(out, 5, 3) == EFI_SUCCESS);
	assert_true(out->set_cursor_position(out, 80, 0) == EFI_UNSUPPORTED);
	assert_true(out->set_cursor_position(out, 0, 25) == EFI_UNSUPPORTED);
	assert_int_equal(out->mode->cursor_column, 5);
	assert_int_equal(out->mode->cursor_row, 3);
	assert_true(out->enable_cursor(out, false) == EFI_SUCCESS);
	assert_false(out->mode->cursor_visible);
	assert_true(out->clear_screen(out) == EFI_SUCCESS);
	assert_int_equal(out->mode->cursor_row, 0);
	console_flush(arch_time_ns() + 100 * MS);
	assert_string_equal(sim_console_output(NULL), "\x1b[0;1;37;44m\x1b[0;31;40m\x1b[4;6H"
						      "\x1b[?25l\x1b[2J\x1b[H");
	sim_console_output_clear();
	assert_true(out->reset(out, false) == EFI_SUCCESS);
	assert_int_equal(out->mode->attribute, EFI_LIGHTGRAY);
	console_flush(arch_time_ns() + 100 * MS);
	assert_string_equal(sim_console_output(NULL), "\x1b[0m\x1b[?25h\x1b[2J\x1b[H");
	assert_true(out->mode->cursor_visible);
	/* Back in xenboot after an image: colours and cursor as they were,
	 * and nothing sent when the image changed neither. */
	sim_console_output_clear();
	efi_console_restore();
	assert_true(out->set_attribute(out, EFI_TEXT_ATTR(EFI_BLUE, EFI_WHITE & 7)) == EFI_SUCCESS);
	assert_true(out->enable_cursor(out, false) == EFI_SUCCESS);
	efi_console_restore();
	assert_int_equal(out->mode->attribute, EFI_LIGHTGRAY);
	assert_true(out->mode->cursor_visible);
	console_flush(arch_time_ns() + 100 * MS);
	assert_string_equal(sim_console_output(NULL), "\x1b[0;34;47m\x1b[?25l\x1b[0m\x1b[?25h");
	/* A made-up This is refused, not followed. */
	uint64_t junk[32] = {0};
	assert_true(out->clear_screen((void *)&junk[16]) == EFI_INVALID_PARAMETER);
	assert_true(out->output_string(NULL, u"x") == EFI_INVALID_PARAMETER);
}

struct want {
	uint16_t scan;
	efi_char16_t ch;
};

/* @n keys typed, then no more. The backend puts typed bytes on the ring
 * as time passes (an application waits for WaitForKey first). */
static void expect_keys(const struct want *w, size_t n)
{
	struct efi_input_key k;

	assert_true(b->stall(1000) == EFI_SUCCESS);
	for (size_t i = 0; i < n; i++) {
		assert_true(st->con_in->read_key_stroke(st->con_in, &k) == EFI_SUCCESS);
		assert_int_equal(k.scan_code, w[i].scan);
		assert_int_equal(k.unicode_char, w[i].ch);
	}
	assert_true(st->con_in->read_key_stroke(st->con_in, &k) == EFI_NOT_READY);
}

static void test_read_keys(void **state)
{
	const char in[] = "a\x1b[A\x1b[B\x1bOC\x1b[D\r\n\x1b[5~\x1b[6~\x1b[3~\x1b[H\x1b[4~"
			  "\x1bOP\x1b[[B\x1b[15~\x1b[24~\x1b[1;5A\x7f\xc3\xa9\xe2\x94\x80\t";
	const struct want w[] = {
	    {0, 'a'},	       {SCAN_UP, 0},	    {SCAN_DOWN, 0},
	    {SCAN_RIGHT, 0},   {SCAN_LEFT, 0},	    {0, '\r'},
	    {SCAN_PAGE_UP, 0}, {SCAN_PAGE_DOWN, 0}, {SCAN_DELETE, 0},
	    {SCAN_HOME, 0},    {SCAN_END, 0},	    {SCAN_F1, 0},
	    {SCAN_F1 + 1, 0},  {SCAN_F1 + 4, 0},    {SCAN_F12, 0},
	    {SCAN_UP, 0},      {0, CHAR_BACKSPACE}, {0, 0xe9},
	    {0, 0x2500},       {0, '\t'},
	};

	assert_int_equal(sim_console_input(in, sizeof(in) - 1), sizeof(in) - 1);
	expect_keys(w, ARRAY_SIZE(w));
	/* A lone ESC is the Esc key, once its sequence did not come. */
	uint64_t t0 = arch_time_ns();
	assert_int_equal(sim_console_input("\x1b", 1), 1);
	expect_keys((const struct want[]){{SCAN_ESC, 0}}, 1);
	assert_true(arch_time_ns() - t0 < 100 * MS);
	/* LF alone is Enter too; CR LF one Enter. */
	assert_int_equal(sim_console_input("\n\r\n\r", 4), 4);
	expect_keys((const struct want[]){{0, '\r'}, {0, '\r'}, {0, '\r'}}, 3);
	/* Garbage: a long unknown CSI, bad UTF-8, a NUL: no keys but '(' and 'z'. */
	const char junk[] = "\x1b[1;2;3;4;5;6;7;8;9;10x\xff\x80\xc3(\0z";
	assert_int_equal(sim_console_input(junk, sizeof(junk) - 1), sizeof(junk) - 1);
	expect_keys((const struct want[]){{0, '('}, {0, 'z'}}, 2);
	assert_true(st->con_in->read_key_stroke(st->con_in, NULL) == EFI_INVALID_PARAMETER);
}

static void test_key_parse(void **state)
{
	struct efi_input_key k;

	/* Incomplete: more may come; final: taken as it is. */
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\x1b[", 2, false, &k), 0);
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\x1b[", 2, true, &k), 2);
	assert_int_equal(k.scan_code, 0);
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\x1b", 1, false, &k), 0);
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\xe2\x94", 2, false, &k), 0);
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\xe2\x94", 2, true, &k), 2);
	assert_int_equal(k.unicode_char, 0);
	/* ESC then a letter (Alt+x): Esc first. */
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\x1bx", 2, false, &k), 1);
	assert_int_equal(k.scan_code, SCAN_ESC);
	/* Overlong and surrogate UTF-8 are no characters. */
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\xc0\xaf", 2, false, &k), 2);
	assert_int_equal(k.unicode_char, 0);
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\xed\xa0\x80", 3, false, &k), 3);
	assert_int_equal(k.unicode_char, 0);
	assert_int_equal(efi_con_key_parse((const uint8_t *)"\x1b[99~", 5, false, &k), 5);
	assert_int_equal(k.scan_code, 0);
	assert_int_equal(efi_con_key_parse(NULL, 0, true, &k), 0);
}

static void test_wait_for_key(void **state)
{
	efi_event_t timer;
	uint64_t index = 99;
	struct efi_input_key k;

	assert_true(b->create_event(EVT_TIMER, 0, NULL, NULL, &timer) == EFI_SUCCESS);
	efi_event_t list[2] = {st->con_in->wait_for_key, timer};
	/* No key: the timer ends the wait. */
	assert_true(b->set_timer(timer, TimerRelative, 3000000) == EFI_SUCCESS);
	assert_true(b->wait_for_event(2, list, &index) == EFI_SUCCESS);
	assert_int_equal(index, 1);
	assert_true(b->check_event(list[0]) == EFI_NOT_READY);
	/* A key waiting: at once. */
	assert_int_equal(sim_console_input("q", 1), 1);
	assert_true(b->set_timer(timer, TimerRelative, 3000000) == EFI_SUCCESS);
	uint64_t t0 = arch_time_ns();
	assert_true(b->wait_for_event(2, list, &index) == EFI_SUCCESS);
	assert_int_equal(index, 0);
	assert_true(arch_time_ns() - t0 < 50 * MS);
	assert_true(st->con_in->read_key_stroke(st->con_in, &k) == EFI_SUCCESS);
	assert_int_equal(k.unicode_char, 'q');
	assert_true(b->close_event(timer) == EFI_SUCCESS);
}

/* A terminal typing while the application waits: input arrives after
 * 300 ms from a timer callback; WaitForEvent on WaitForKey alone sees it. */
static void type_later(efi_event_t event, void *ctx)
{
	assert_int_equal(sim_console_input("\x1b[B", 3), 3);
}

static efi_status_t key_notify(struct efi_key_data *key)
{
	return EFI_SUCCESS;
}

static void test_key_typed_during_wait(void **state)
{
	efi_event_t typist;
	struct efi_key_data kd;
	uint64_t index = 99;
	struct efi_simple_text_input_ex_protocol *ex;

	assert_true(b->handle_protocol(st->console_in_handle, &efi_guid_simple_text_input_ex,
				       (void **)&ex) == EFI_SUCCESS);
	assert_true(b->create_event(EVT_TIMER | EVT_NOTIFY_SIGNAL, TPL_CALLBACK, type_later, NULL,
				    &typist) == EFI_SUCCESS);
	assert_true(b->set_timer(typist, TimerRelative, 3000000) == EFI_SUCCESS);
	uint64_t t0 = arch_time_ns();
	assert_true(b->wait_for_event(1, &ex->wait_for_key_ex, &index) == EFI_SUCCESS);
	uint64_t took = arch_time_ns() - t0;
	assert_int_equal(index, 0);
	assert_true(took >= 300 * MS && took < 400 * MS);
	memset(&kd, 0xaa, sizeof(kd));
	assert_true(ex->read_key_stroke_ex(ex, &kd) == EFI_SUCCESS);
	assert_int_equal(kd.key.scan_code, SCAN_DOWN);
	assert_int_equal(kd.key_state.key_shift_state, 0);
	assert_int_equal(kd.key_state.key_toggle_state, 0);
	/* Reset drops what is waiting. */
	assert_int_equal(sim_console_input("xyz", 3), 3);
	assert_true(b->stall(1000) == EFI_SUCCESS); /* on the ring now */
	assert_true(ex->reset(ex, false) == EFI_SUCCESS);
	assert_true(b->stall(1000) == EFI_SUCCESS);
	assert_true(ex->read_key_stroke_ex(ex, &kd) == EFI_NOT_READY);
	void *h;
	assert_true(ex->register_key_notify(ex, &kd, key_notify, &h) == EFI_UNSUPPORTED);
	assert_true(ex->unregister_key_notify(ex, &h) == EFI_INVALID_PARAMETER);
	uint8_t toggle = 0;
	assert_true(ex->set_state(ex, &toggle) == EFI_UNSUPPORTED);
	assert_true(b->close_event(typist) == EFI_SUCCESS);
}

/* After ExitBootServices the ring is the OS's: nothing is written or read. */
static void test_after_exit(void **state)
{
	struct efi_input_key k;
	efi_status_t status;

	efi_get()->is_boot_services_exited = true;
	assert_int_equal(sim_console_input("k", 1), 1);
	assert_string_equal(output_of(u"late", &status), "");
	assert_true(status == EFI_UNSUPPORTED);
	assert_true(st->con_out->clear_screen(st->con_out) == EFI_UNSUPPORTED);
	assert_true(st->con_in->read_key_stroke(st->con_in, &k) == EFI_UNSUPPORTED);
	efi_get()->is_boot_services_exited = false;
	expect_keys((const struct want[]){{0, 'k'}}, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_handles),
	    cmocka_unit_test(test_output_string),
	    cmocka_unit_test(test_modes_and_escapes),
	    cmocka_unit_test(test_read_keys),
	    cmocka_unit_test(test_key_parse),
	    cmocka_unit_test(test_wait_for_key),
	    cmocka_unit_test(test_key_typed_during_wait),
	    cmocka_unit_test(test_after_exit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
