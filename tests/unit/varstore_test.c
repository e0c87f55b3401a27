/* efi/varstore.c: the UEFI variable rules (UEFI 2.10 §8.2) with hostile
 * names, sizes and attributes, before and after ExitBootServices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <efi/varstore.h>
#include <lib/errno.h>
#include <string.h>
#include <uchar.h>

#define NV EFI_VARIABLE_NON_VOLATILE
#define BS EFI_VARIABLE_BOOTSERVICE_ACCESS
#define RT EFI_VARIABLE_RUNTIME_ACCESS
#define APPEND EFI_VARIABLE_APPEND_WRITE

static uint64_t store_mem[4096 / 8];
static void *const store = store_mem;
static const uint8_t guid_a[16] = {0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
				   0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c};
static const uint8_t guid_b[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static int setup(void **state)
{
	assert_int_equal(varstore_init(store, sizeof(store_mem), 2048), 0);
	return 0;
}

static int set(const char16_t *name, const uint8_t *guid, uint32_t attr, const char *data)
{
	return varstore_set(store, name, guid, attr, data, data ? strlen(data) : 0, 0);
}

/* The variable's data as a string ("" if absent). */
static const char *get(const char16_t *name, const uint8_t *guid, uint32_t *attr)
{
	static char buf[1024];
	size_t size = sizeof(buf) - 1;

	if (varstore_get(store, name, guid, attr, buf, &size)) {
		return "";
	}
	buf[size] = 0;
	return buf;
}

static void test_set_get(void **state)
{
	uint32_t attr = 0;
	char small[3];
	size_t size = sizeof(small);

	assert_int_equal(set(u"Boot0001", guid_a, NV | BS | RT, "hello"), 0);
	assert_string_equal(get(u"Boot0001", guid_a, &attr), "hello");
	assert_int_equal(attr, NV | BS | RT);
	/* Same name, other vendor: another variable. */
	assert_int_equal(varstore_get(store, u"Boot0001", guid_b, NULL, small, &size), -ENOENT);
	assert_int_equal(varstore_get(store, u"Boot0001", guid_a, &attr, small, &size), -EOVERFLOW);
	assert_int_equal(size, 5);
	size = 0;
	assert_int_equal(varstore_get(store, u"Boot0001", guid_a, NULL, NULL, &size), -EOVERFLOW);
	assert_int_equal(size, 5);
	assert_int_equal(varstore_get(store, u"", guid_a, NULL, small, &size), -ENOENT);
}

static void test_replace_append_delete(void **state)
{
	assert_int_equal(set(u"A", guid_a, BS, "one"), 0);
	assert_int_equal(set(u"B", guid_a, BS | RT, "two"), 0);
	assert_int_equal(set(u"A", guid_a, BS, "a longer value than before"), 0);
	assert_string_equal(get(u"B", guid_a, NULL), "two");
	assert_string_equal(get(u"A", guid_a, NULL), "a longer value than before");
	assert_int_equal(set(u"A", guid_a, BS, "x"), 0);
	assert_string_equal(get(u"A", guid_a, NULL), "x");
	/* A rewrite with other attributes is refused and changes nothing. */
	assert_int_equal(set(u"A", guid_a, BS | RT, "y"), -EINVAL);
	assert_int_equal(set(u"A", guid_a, BS | APPEND, "yz"), 0);
	assert_string_equal(get(u"A", guid_a, NULL), "xyz");
	assert_int_equal(set(u"A", guid_a, BS | APPEND, NULL), 0);
	assert_string_equal(get(u"A", guid_a, NULL), "xyz");
	/* Appending to nothing creates; appending nothing creates nothing. */
	assert_int_equal(set(u"C", guid_a, BS | APPEND, "c"), 0);
	assert_string_equal(get(u"C", guid_a, NULL), "c");
	assert_int_equal(set(u"D", guid_a, BS | APPEND, NULL), 0);
	assert_string_equal(get(u"D", guid_a, NULL), "");
	/* Delete by size 0 or by attributes 0; twice is not found. */
	assert_int_equal(set(u"A", guid_a, BS, NULL), 0);
	assert_int_equal(set(u"A", guid_a, BS, NULL), -ENOENT);
	assert_int_equal(set(u"C", guid_a, 0, "ignored"), 0);
	assert_int_equal(set(u"C", guid_a, 0, NULL), -ENOENT);
	assert_string_equal(get(u"B", guid_a, NULL), "two");
}

static void test_attribute_rules(void **state)
{
	assert_int_equal(set(u"X", guid_a, RT, "v"), -EINVAL);
	assert_int_equal(set(u"X", guid_a, NV | RT, "v"), -EINVAL);
	assert_int_equal(set(u"X", guid_a, BS | EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS, "v"),
			 -EOPNOTSUPP);
	assert_int_equal(set(u"X", guid_a, NV | BS | RT | EFI_VARIABLE_HARDWARE_ERROR_RECORD, "v"),
			 -EINVAL);
	assert_int_equal(
	    set(u"X", guid_a, BS | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS, "v"),
	    -EINVAL);
	assert_int_equal(set(u"X", guid_a, BS | 0x100, "v"), -EINVAL);
	assert_int_equal(set(u"X", guid_a, BS | VARSTORE_ATTR_READ_ONLY, "v"), -EINVAL);
	assert_string_equal(get(u"X", guid_a, NULL), "");
}

static void test_read_only(void **state)
{
	uint32_t attr;

	assert_int_equal(varstore_set(store, u"BootCurrent", guid_a,
				      BS | RT | VARSTORE_ATTR_READ_ONLY, "\1\0", 2,
				      VARSTORE_FIRMWARE),
			 0);
	assert_int_equal(
	    varstore_get(store, u"BootCurrent", guid_a, &attr, (char[2]){0}, &(size_t){2}), 0);
	assert_int_equal(attr, BS | RT);
	assert_int_equal(set(u"BootCurrent", guid_a, BS | RT, "zz"), -EPERM);
	assert_int_equal(set(u"BootCurrent", guid_a, 0, NULL), -EPERM);
}

static void test_names(void **state)
{
	static uint8_t odd[VARSTORE_NAME_MAX + 8];
	uint32_t attr;

	assert_int_equal(set(u"", guid_a, BS, "v"), -EINVAL);
	/* A name of VARSTORE_NAME_MAX bytes without its NUL. */
	memset(odd, 'a', sizeof(odd));
	odd[VARSTORE_NAME_MAX] = odd[VARSTORE_NAME_MAX + 1] = 0;
	assert_int_equal(varstore_set(store, odd + 1, guid_a, BS, "v", 1, 0), -EINVAL);
	/* Unaligned name and GUID buffers work. */
	memset(odd, 0, sizeof(odd));
	memcpy(odd + 1, u"Odd", 8);
	memcpy(odd + 11, guid_b, 16);
	assert_int_equal(varstore_set(store, odd + 1, odd + 11, BS, "v", 1, 0), 0);
	assert_string_equal(get(u"Odd", guid_b, &attr), "v");
}

/* Every visible name in order, joined by ','. */
static const char *list(void)
{
	static char out[256];
	uint8_t guid[16] = {0};
	char16_t name[64] = {0};
	size_t size;
	int rc;

	out[0] = 0;
	for (;;) {
		size = sizeof(name);
		rc = varstore_next(store, name, &size, guid);
		if (rc) {
			assert_int_equal(rc, -ENOENT);
			return out;
		}
		for (size_t i = 0; name[i]; i++) {
			size_t n = strlen(out);

			out[n] = (char)name[i];
			out[n + 1] = 0;
		}
		strcat(out, ",");
	}
}

static void test_next(void **state)
{
	char16_t name[8] = u"";
	uint8_t guid[16] = {0};
	size_t size = 4;

	assert_string_equal(list(), "");
	assert_int_equal(set(u"First", guid_a, BS, "1"), 0);
	assert_int_equal(set(u"Second", guid_b, NV | BS | RT, "2"), 0);
	assert_int_equal(set(u"Third", guid_a, BS | RT, "3"), 0);
	assert_string_equal(list(), "First,Second,Third,");
	/* Too small: the size needed, and the input left alone. */
	assert_int_equal(varstore_next(store, name, &size, guid), -EOVERFLOW);
	assert_int_equal(size, 12);
	assert_int_equal(name[0], 0);
	/* No NUL within the given size. */
	memcpy(name, u"Firs", 8);
	size = 8;
	assert_int_equal(varstore_next(store, name, &size, guid), -EINVAL);
	/* A name/GUID that is not a variable. */
	size = sizeof(name);
	memcpy(name, u"First", 12);
	memcpy(guid, guid_b, 16);
	assert_int_equal(varstore_next(store, name, &size, guid), -EINVAL);
	memcpy(guid, guid_a, 16);
	assert_int_equal(varstore_next(store, name, &size, guid), 0);
	assert_int_equal(memcmp(name, u"Second", 14), 0);
	assert_int_equal(memcmp(guid, guid_b, 16), 0);
	assert_int_equal(size, 14);
}

static void test_runtime(void **state)
{
	char16_t name[16] = u"BsOnly";
	uint8_t guid[16];
	size_t size = sizeof(name);

	assert_int_equal(set(u"BsOnly", guid_a, NV | BS, "b"), 0);
	assert_int_equal(set(u"Volatile", guid_a, BS | RT, "v"), 0);
	assert_int_equal(set(u"Persist", guid_a, NV | BS | RT, "p"), 0);
	varstore_exit_boot_services(store);
	assert_true(varstore_is_runtime(store));
	assert_string_equal(get(u"BsOnly", guid_a, NULL), "");
	assert_string_equal(list(), "Volatile,Persist,");
	memcpy(guid, guid_a, 16);
	assert_int_equal(varstore_next(store, name, &size, guid), -EINVAL);
	/* Volatile runtime variables are read-only now. */
	assert_int_equal(set(u"Volatile", guid_a, BS | RT, "w"), -EPERM);
	assert_int_equal(set(u"Volatile", guid_a, 0, NULL), -EPERM);
	assert_int_equal(set(u"New", guid_a, BS | RT, "n"), -EINVAL);
	assert_int_equal(set(u"New", guid_a, NV | BS, "n"), -EINVAL);
	/* The hidden variable can be neither replaced nor deleted. */
	assert_int_equal(set(u"BsOnly", guid_a, NV | BS | RT, "x"), -EPERM);
	assert_int_equal(set(u"BsOnly", guid_a, 0, NULL), -ENOENT);
	/* Non-volatile runtime ones can. */
	assert_int_equal(set(u"Persist", guid_a, NV | BS | RT, "q"), 0);
	assert_int_equal(set(u"New", guid_a, NV | BS | RT, "n"), 0);
	assert_string_equal(list(), "Volatile,Persist,New,");
	assert_int_equal(set(u"Persist", guid_a, 0, NULL), 0);
	assert_string_equal(list(), "Volatile,New,");
}

static void test_full(void **state)
{
	static char big[4096];
	uint64_t max, left, max_size;
	size_t used;
	int i, rc = 0;

	memset(big, 'x', sizeof(big) - 1);
	assert_int_equal(varstore_query(store, NV | BS, &max, &left, &max_size), 0);
	assert_int_equal(max, 2048);
	assert_int_equal(left, 2048);
	assert_int_equal(max_size, 2048 - VARSTORE_ENTRY_HDR);
	/* The non-volatile part (2048 bytes) fills first: 3 x 544 bytes. */
	big[500] = 0;
	for (i = 0; i < 10 && rc == 0; i++) {
		rc = set((char16_t[]){u'N', (char16_t)(u'0' + i), 0}, guid_a, NV | BS, big);
	}
	assert_int_equal(rc, -ENOSPC);
	assert_int_equal(i, 4);
	used = varstore_nv_used(store);
	assert_int_equal(used, 3 * ALIGN_UP(32 + 6 + 500, 8));
	assert_int_equal(varstore_query(store, NV | BS, &max, &left, &max_size), 0);
	assert_int_equal(left, 2048 - used);
	/* Growing past the limit leaves the variable as it was. */
	assert_int_equal(set(u"N0", guid_a, NV | BS | APPEND, big), -ENOSPC);
	assert_int_equal(strlen(get(u"N0", guid_a, NULL)), 500);
	/* Volatile ones still fit, until the whole store is full. */
	big[500] = 'x';
	big[1500] = 0;
	assert_int_equal(set(u"V1", guid_a, BS, big), 0);
	assert_int_equal(set(u"V2", guid_a, BS, big), -ENOSPC);
	assert_string_equal(get(u"V2", guid_a, NULL), "");
	/* Larger than any store could be: invalid, not out of resources. */
	big[1500] = 'x';
	assert_int_equal(set(u"V9", guid_a, BS, big), -EINVAL);
	assert_int_equal(varstore_query(store, BS, &max, &left, &max_size), 0);
	assert_int_equal(max, sizeof(store_mem) - VARSTORE_HDR_SIZE);
	assert_int_equal(left, max - used - ALIGN_UP(32 + 6 + 1500, 8));
	assert_int_equal(varstore_query(store, RT, &max, &left, &max_size), -EINVAL);
	assert_int_equal(
	    varstore_query(store, BS | EFI_VARIABLE_HARDWARE_ERROR_RECORD, &max, &left, &max_size),
	    -EOPNOTSUPP);
	varstore_exit_boot_services(store);
	assert_int_equal(varstore_query(store, NV | BS, &max, &left, &max_size), -EINVAL);
	assert_int_equal(varstore_query(store, NV | BS | RT, &max, &left, &max_size), 0);
}

/* Offsets only: a copy at another address is the same store. */
static void test_moved(void **state)
{
	static uint64_t other[4096 / 8];

	assert_int_equal(set(u"Here", guid_a, BS | RT, "data"), 0);
	memcpy(other, store_mem, sizeof(other));
	memset(store_mem, 0xa5, sizeof(store_mem));
	size_t size = 8;
	char buf[8];

	assert_int_equal(varstore_get(other, u"Here", guid_a, NULL, buf, &size), 0);
	assert_int_equal(size, 4);
	assert_int_equal(memcmp(buf, "data", 4), 0);
	assert_int_equal(varstore_init((char *)other + 4, 1024, 512), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_set_get, setup),
	    cmocka_unit_test_setup(test_replace_append_delete, setup),
	    cmocka_unit_test_setup(test_attribute_rules, setup),
	    cmocka_unit_test_setup(test_read_only, setup),
	    cmocka_unit_test_setup(test_names, setup),
	    cmocka_unit_test_setup(test_next, setup),
	    cmocka_unit_test_setup(test_runtime, setup),
	    cmocka_unit_test_setup(test_full, setup),
	    cmocka_unit_test_setup(test_moved, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
