/* The EFI core: tables, handle database and protocol services, strings and
 * status codes (efi/systab.c, object.c, bs_protocol.c, bs_open.c, string.c),
 * called through the tables as an application would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <efi/efi.h>
#include <efi/services.h>
#include <lib/crc32.h>
#include <lib/errno.h>
#include <string.h>

static const efi_guid_t g1 = EFI_GUID(0x11111111, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
static const efi_guid_t g2 = EFI_GUID(0x22222222, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2);
static const efi_guid_t g3 = EFI_GUID(0x33333333, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3);
static int if1, if2, if3;

static struct efi_boot_services *bs(void)
{
	assert_int_equal(efi_start(), 0);
	return efi_get()->systab.boot_services;
}

static uint32_t table_crc(struct efi_table_header *h)
{
	uint32_t saved = h->crc32;
	h->crc32 = 0;
	uint32_t crc = crc32_update(0, h, h->header_size);
	h->crc32 = saved;
	return crc;
}

static void test_tables(void **state)
{
	struct efi_system_table *st = &efi_get()->systab;

	bs();
	assert_true(st->hdr.signature == EFI_SYSTEM_TABLE_SIGNATURE);
	assert_int_equal(st->hdr.header_size, sizeof(*st));
	assert_int_equal(st->hdr.crc32, table_crc(&st->hdr));
	assert_int_equal(st->boot_services->hdr.crc32, table_crc(&st->boot_services->hdr));
	assert_int_equal(st->runtime_services->hdr.crc32, table_crc(&st->runtime_services->hdr));
	/* No slot left empty: every service answers, if only EFI_UNSUPPORTED. */
	void *const *fn =
	    (void *const *)((char *)st->boot_services + sizeof(struct efi_table_header));
	for (size_t i = 0; i < 44; i++) {
		assert_true(i == 17 || fn[i] != NULL); /* 17: the reserved slot */
	}
	assert_int_equal(efi_start(), 0); /* idempotent */
}

static void test_install_and_find(void **state)
{
	struct efi_boot_services *b = bs();
	efi_handle_t h = NULL;
	void *p;

	assert_true(b->install_protocol_interface(&h, &g1, EFI_NATIVE_INTERFACE, &if1) ==
		    EFI_SUCCESS);
	assert_non_null(h);
	assert_true(b->install_protocol_interface(&h, &g1, EFI_NATIVE_INTERFACE, &if1) ==
		    EFI_INVALID_PARAMETER);
	assert_true(b->install_protocol_interface(&h, &g2, 7, &if2) == EFI_INVALID_PARAMETER);
	assert_true(b->handle_protocol(h, &g1, &p) == EFI_SUCCESS);
	assert_ptr_equal(p, &if1);
	assert_true(b->handle_protocol(h, &g2, &p) == EFI_UNSUPPORTED);
	/* Handles an application made up are refused, not followed. */
	int junk[64] = {0};
	assert_true(b->handle_protocol(junk, &g1, &p) == EFI_INVALID_PARAMETER);
	efi_handle_t bad = junk;
	assert_true(b->install_protocol_interface(&bad, &g1, EFI_NATIVE_INTERFACE, &if1) ==
		    EFI_INVALID_PARAMETER);
	assert_true(b->locate_protocol(&g1, NULL, &p) == EFI_SUCCESS);
	assert_ptr_equal(p, &if1);
	assert_true(b->locate_protocol(&g3, NULL, &p) == EFI_NOT_FOUND);
	/* Uninstalling needs the same interface; the last one takes the handle. */
	assert_true(b->uninstall_protocol_interface(h, &g1, &if2) == EFI_NOT_FOUND);
	assert_true(b->uninstall_protocol_interface(h, &g1, &if1) == EFI_SUCCESS);
	assert_null(efi_object_of(h));
}

static void test_locate_handle(void **state)
{
	struct efi_boot_services *b = bs();
	efi_handle_t h1 = NULL, h2 = NULL, buf[4];
	uint64_t size = 0;

	assert_true(b->install_protocol_interface(&h1, &g3, 0, &if1) == EFI_SUCCESS);
	assert_true(b->install_protocol_interface(&h2, &g3, 0, &if2) == EFI_SUCCESS);
	assert_true(b->locate_handle(ByProtocol, &g3, NULL, &size, NULL) == EFI_BUFFER_TOO_SMALL);
	assert_int_equal(size, 2 * sizeof(efi_handle_t));
	size = sizeof(buf);
	assert_true(b->locate_handle(ByProtocol, &g3, NULL, &size, buf) == EFI_SUCCESS);
	assert_int_equal(size, 2 * sizeof(efi_handle_t));
	assert_true((buf[0] == h1 && buf[1] == h2) || (buf[0] == h2 && buf[1] == h1));
	size = sizeof(buf);
	assert_true(b->locate_handle(ByProtocol, &g2, NULL, &size, buf) == EFI_NOT_FOUND);
	assert_true(b->locate_handle(ByProtocol, NULL, NULL, &size, buf) == EFI_INVALID_PARAMETER);
	assert_true(b->locate_handle(9, &g3, NULL, &size, buf) == EFI_INVALID_PARAMETER);
	assert_true(b->locate_handle(ByRegisterNotify, NULL, buf, &size, buf) == EFI_NOT_FOUND);
	size = 8;
	assert_true(b->locate_handle(AllHandles, NULL, NULL, &size, NULL) == EFI_INVALID_PARAMETER);
	assert_true(b->uninstall_protocol_interface(h1, &g3, &if1) == EFI_SUCCESS);
	assert_true(b->uninstall_protocol_interface(h2, &g3, &if2) == EFI_SUCCESS);
}

static void test_open_close(void **state)
{
	struct efi_boot_services *b = bs();
	efi_handle_t h = NULL, agent = NULL, agent2 = NULL;
	void *p = NULL;

	assert_true(b->install_protocol_interface(&h, &g1, 0, &if1) == EFI_SUCCESS);
	assert_true(b->install_protocol_interface(&agent, &g2, 0, &if2) == EFI_SUCCESS);
	assert_true(b->install_protocol_interface(&agent2, &g2, 0, &if3) == EFI_SUCCESS);
	assert_true(b->open_protocol(h, &g1, &p, NULL, NULL, EFI_OPEN_PROTOCOL_GET_PROTOCOL) ==
		    EFI_SUCCESS);
	assert_ptr_equal(p, &if1);
	assert_true(b->open_protocol(h, &g1, NULL, NULL, NULL, EFI_OPEN_PROTOCOL_TEST_PROTOCOL) ==
		    EFI_SUCCESS);
	assert_true(b->open_protocol(h, &g3, NULL, NULL, NULL, EFI_OPEN_PROTOCOL_TEST_PROTOCOL) ==
		    EFI_UNSUPPORTED);
	assert_true(b->open_protocol(h, &g1, &p, NULL, NULL, 0x40) == EFI_INVALID_PARAMETER);
	assert_true(b->open_protocol(h, &g1, NULL, NULL, NULL, EFI_OPEN_PROTOCOL_GET_PROTOCOL) ==
		    EFI_INVALID_PARAMETER);
	/* An exclusive open shuts out other agents until it is closed. */
	assert_true(b->open_protocol(h, &g1, &p, agent, NULL, EFI_OPEN_PROTOCOL_EXCLUSIVE) ==
		    EFI_SUCCESS);
	assert_true(b->open_protocol(h, &g1, &p, agent2, NULL, EFI_OPEN_PROTOCOL_EXCLUSIVE) ==
		    EFI_ACCESS_DENIED);
	assert_true(b->open_protocol(h, &g1, &p, agent, NULL, EFI_OPEN_PROTOCOL_EXCLUSIVE) ==
		    EFI_ALREADY_STARTED);
	assert_true(b->uninstall_protocol_interface(h, &g1, &if1) == EFI_ACCESS_DENIED);
	assert_true(b->close_protocol(h, &g1, agent2, NULL) == EFI_NOT_FOUND);
	assert_true(b->close_protocol(h, &g1, agent, NULL) == EFI_SUCCESS);
	assert_true(b->open_protocol(h, &g1, &p, agent2, NULL, EFI_OPEN_PROTOCOL_EXCLUSIVE) ==
		    EFI_SUCCESS);
	assert_true(b->close_protocol(h, &g1, agent2, NULL) == EFI_SUCCESS);
	assert_true(b->uninstall_protocol_interface(h, &g1, &if1) == EFI_SUCCESS);
	assert_true(b->uninstall_protocol_interface(agent, &g2, &if2) == EFI_SUCCESS);
	assert_true(b->uninstall_protocol_interface(agent2, &g2, &if3) == EFI_SUCCESS);
}

static void test_multiple(void **state)
{
	struct efi_boot_services *b = bs();
	efi_handle_t h = NULL;
	void *p;

	assert_true(b->install_multiple_protocol_interfaces(&h, &g1, &if1, &g2, &if2, NULL) ==
		    EFI_SUCCESS);
	assert_true(b->handle_protocol(h, &g2, &p) == EFI_SUCCESS);
	/* A duplicate in the list undoes the whole call. */
	efi_handle_t h2 = NULL;
	assert_true(b->install_multiple_protocol_interfaces(&h2, &g3, &if3, &g3, &if3, NULL) ==
		    EFI_INVALID_PARAMETER);
	assert_null(h2);
	assert_true(b->locate_protocol(&g3, NULL, &p) == EFI_NOT_FOUND);
	/* A wrong interface keeps everything installed. */
	assert_true(b->uninstall_multiple_protocol_interfaces(h, &g1, &if1, &g2, &if3, NULL) ==
		    EFI_INVALID_PARAMETER);
	assert_true(b->handle_protocol(h, &g1, &p) == EFI_SUCCESS);
	assert_true(b->uninstall_multiple_protocol_interfaces(h, &g1, &if1, &g2, &if2, NULL) ==
		    EFI_SUCCESS);
	assert_null(efi_object_of(h));
}

static void test_config_tables(void **state)
{
	struct efi_boot_services *b = bs();
	struct efi_system_table *st = &efi_get()->systab;
	uint64_t n = st->number_of_table_entries;

	assert_true(b->install_configuration_table(&g1, &if1) == EFI_SUCCESS);
	assert_int_equal(st->number_of_table_entries, n + 1);
	assert_true(b->install_configuration_table(&g1, &if2) == EFI_SUCCESS);
	assert_int_equal(st->number_of_table_entries, n + 1);
	assert_ptr_equal(st->configuration_table[n].vendor_table, &if2);
	assert_int_equal(st->hdr.crc32, table_crc(&st->hdr));
	assert_true(b->install_configuration_table(&g1, NULL) == EFI_SUCCESS);
	assert_true(b->install_configuration_table(&g1, NULL) == EFI_NOT_FOUND);
	assert_true(b->install_configuration_table(NULL, &if1) == EFI_INVALID_PARAMETER);
	assert_int_equal(st->number_of_table_entries, n);
}

/* Nodes of 5 bytes: type 1, sub 1, length 5, one tag byte. */
#define NODE(tag) 1, 1, 5, 0, (tag)
#define END 0x7f, 0xff, 4, 0

static void test_locate_device_path(void **state)
{
	struct efi_boot_services *b = bs();
	static const uint8_t pa[] = {NODE('x'), END}, pb[] = {NODE('x'), NODE('y'), END};
	uint8_t q1[] = {NODE('x'), NODE('y'), NODE('z'), END};
	uint8_t q2[] = {NODE('x'), NODE('q'), END};
	uint8_t bad[] = {1, 1, 2, 0, END};
	efi_handle_t ha = NULL, hb = NULL, dev;
	struct efi_device_path *p;

	assert_true(b->install_multiple_protocol_interfaces(&ha, &efi_guid_device_path, pa, &g1,
							    &if1, NULL) == EFI_SUCCESS);
	assert_true(b->install_multiple_protocol_interfaces(&hb, &efi_guid_device_path, pb, &g1,
							    &if2, NULL) == EFI_SUCCESS);
	/* The longest matching prefix wins; the rest of the path is handed back. */
	p = (void *)q1;
	assert_true(b->locate_device_path(&g1, &p, &dev) == EFI_SUCCESS);
	assert_ptr_equal(dev, hb);
	assert_ptr_equal(p, q1 + 10);
	p = (void *)q2;
	assert_true(b->locate_device_path(&g1, &p, &dev) == EFI_SUCCESS);
	assert_ptr_equal(dev, ha);
	assert_ptr_equal(p, q2 + 5);
	p = (void *)q1;
	assert_true(b->locate_device_path(&g3, &p, &dev) == EFI_NOT_FOUND);
	p = (void *)bad;
	assert_true(b->locate_device_path(&g1, &p, &dev) == EFI_NOT_FOUND);
	assert_true(b->locate_device_path(&g1, NULL, &dev) == EFI_INVALID_PARAMETER);
	assert_true(b->uninstall_multiple_protocol_interfaces(ha, &efi_guid_device_path, pa, &g1,
							      &if1, NULL) == EFI_SUCCESS);
	assert_true(b->uninstall_multiple_protocol_interfaces(hb, &efi_guid_device_path, pb, &g1,
							      &if2, NULL) == EFI_SUCCESS);
}

static void test_strings(void **state)
{
	efi_char16_t w[8];
	char s[8];

	assert_int_equal(efi_utf8_to_ucs2(w, 8, "a\xc3\xa9\xe2\x82\xac"), 3);
	assert_int_equal(w[1], 0xe9);
	assert_int_equal(w[2], 0x20ac);
	assert_int_equal(efi_ucs2_to_utf8(s, sizeof(s), w, 8), 6);
	assert_string_equal(s, "a\xc3\xa9\xe2\x82\xac");
	/* Truncation stays terminated; bad UTF-8 and 4-byte forms become '?'. */
	assert_int_equal(efi_utf8_to_ucs2(w, 3, "abcd"), -ENOSPC);
	assert_int_equal(w[2], 0);
	assert_int_equal(efi_utf8_to_ucs2(w, 8, "\xf0\x9f\x98\x80\xc3"), 2);
	assert_int_equal(w[0], '?');
	assert_int_equal(efi_ucs2_to_utf8(s, 2, w, 8), -ENOSPC);
	assert_int_equal(efi_strnlen16(w, 2), 2);
	efi_char16_t sur[] = {0xd800, 'x', 0};
	assert_int_equal(efi_ucs2_to_utf8(s, sizeof(s), sur, 3), 2);
	assert_string_equal(s, "?x");
}

static void test_status(void **state)
{
	assert_true(efi_status_of(0) == EFI_SUCCESS);
	assert_true(efi_status_of(-ENOENT) == EFI_NOT_FOUND);
	assert_true(efi_status_of(-EOVERFLOW) == EFI_BUFFER_TOO_SMALL);
	assert_true(efi_status_of(-12345) == EFI_DEVICE_ERROR);
	assert_string_equal(efi_status_name(EFI_NOT_FOUND), "EFI_NOT_FOUND");
	assert_string_equal(efi_status_name(EFI_ERR(99)), "EFI error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_install_and_find),
	    cmocka_unit_test(test_locate_handle),
	    cmocka_unit_test(test_open_close),
	    cmocka_unit_test(test_multiple),
	    cmocka_unit_test(test_config_tables),
	    cmocka_unit_test(test_locate_device_path),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
