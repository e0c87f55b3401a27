/* printenv -e [-n] [name] (include/cmd/printenv_efi.h), through the
 * runtime services table as an application would read the variables. */
#include <cmd/cmd.h>
#include <cmd/printenv_efi.h>
#include <efi/efi.h>
#include <efi/varstore.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

#define NAME_UNITS 512 /* the store's longest name, in UCS-2 units */
#define DUMP_BYTES_PER_LINE 16

static const struct {
	uint32_t bit;
	const char *name;
} attr_names[] = {
    {EFI_VARIABLE_NON_VOLATILE, "NV"},
    {EFI_VARIABLE_BOOTSERVICE_ACCESS, "BS"},
    {EFI_VARIABLE_RUNTIME_ACCESS, "RT"},
    {EFI_VARIABLE_HARDWARE_ERROR_RECORD, "HR"},
    {EFI_VARIABLE_AUTHENTICATED_WRITE_ACCESS, "AW"},
    {EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS, "AT"},
};

static void print_attributes(uint32_t attributes)
{
	const char *sep = "    ";

	for (size_t i = 0; i < ARRAY_SIZE(attr_names); i++) {
		if (attributes & attr_names[i].bit) {
			xb_printf("%s%s", sep, attr_names[i].name);
			sep = "|";
		}
	}
}

static void dump(const uint8_t *p, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += DUMP_BYTES_PER_LINE) {
		unsigned int n = (unsigned int)MIN(size - off, (uint64_t)DUMP_BYTES_PER_LINE);
		char ascii[DUMP_BYTES_PER_LINE + 1];
		xb_printf("    %08llx:", (unsigned long long)off);
		for (unsigned int i = 0; i < n; i++) {
			xb_printf(" %02x", p[off + i]);
			ascii[i] = p[off + i] >= 0x20 && p[off + i] < 0x7f ? (char)p[off + i] : '.';
		}
		ascii[n] = '\0';
		xb_printf("%*s  %s\n", (int)(DUMP_BYTES_PER_LINE - n) * 3, "", ascii);
	}
}

/* One variable: name, GUID, attributes and size, then its data. */
static void print_var(const efi_char16_t *name, const efi_guid_t *g, bool has_data)
{
	struct efi_runtime_services *rt = &efi_get()->rt;
	char utf8[NAME_UNITS * 3];
	uint32_t attributes = 0;
	uint64_t size = 0;
	uint8_t *data = NULL;

	(void)efi_ucs2_to_utf8(utf8, sizeof(utf8), name, NAME_UNITS);
	if (rt->get_variable(name, g, &attributes, &size, NULL) == EFI_BUFFER_TOO_SMALL &&
	    (data = malloc(size)) && rt->get_variable(name, g, &attributes, &size, data)) {
		size = 0;
	}
	xb_printf("%s:\n    %08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x\n", utf8, g->data1,
		  g->data2, g->data3, g->data4[0], g->data4[1], g->data4[2], g->data4[3],
		  g->data4[4], g->data4[5], g->data4[6], g->data4[7]);
	print_attributes(attributes);
	xb_printf(", DataSize = 0x%llx\n", (unsigned long long)size);
	if (has_data && data) {
		dump(data, size);
	}
	free(data);
}

/* Does UCS-2 @name equal UTF-8 @want? */
static bool name_is(const efi_char16_t *name, const char *want)
{
	char utf8[NAME_UNITS * 3];

	return efi_ucs2_to_utf8(utf8, sizeof(utf8), name, NAME_UNITS) >= 0 &&
	       strcmp(utf8, want) == 0;
}

int printenv_efi(int argc, char *argv[])
{
	bool has_data = true;
	const char *want = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0) {
			has_data = false;
		} else if (!want && argv[i][0] != '-') {
			want = argv[i];
		} else {
			return CMD_RET_USAGE;
		}
	}
	if ((rc = efi_start())) {
		xb_printf("printenv: UEFI not available: %s\n", errno_name(rc));
		return rc;
	}
	efi_char16_t *name = calloc(NAME_UNITS, sizeof(*name));
	efi_guid_t guid = {0};
	unsigned int shown = 0;
	if (!name) {
		return -ENOMEM;
	}
	for (;;) {
		uint64_t size = NAME_UNITS * sizeof(*name);
		if (efi_get()->rt.get_next_variable_name(&size, name, &guid) != EFI_SUCCESS) {
			break;
		}
		if (!want || name_is(name, want)) {
			print_var(name, &guid, has_data);
			shown++;
		}
	}
	free(name);
	if (want && !shown) {
		xb_printf("## Error: \"%pE\" not defined\n", want);
		return -ENOENT;
	}
	return 0;
}
