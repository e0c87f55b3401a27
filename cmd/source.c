/* source [addr]: run the boot script at addr (default $loadaddr), a legacy
 * U-Boot image of type script as `mkimage -T script` makes boot.scr, with
 * its payload plain or gzip-compressed. The image is untrusted disk data:
 * the header is checked before its size is believed, both CRCs before the
 * text is used, and the text is copied to the heap (bounded) before it
 * runs, so the script may load files over the place it came from. */
#include <arch/arch.h>
#include <boot/gunzip.h>
#include <boot/uimage.h>
#include <cmd/cmd.h>
#include <fs/fsload.h>
#include <cmd/shell.h>
#include <lib/be.h>
#include <lib/env.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <stdlib.h>
#include <string.h>

/* The header at @addr, then the whole image: each checked before use. */
static int image_at(uint64_t addr, struct uimage *im)
{
	const uint8_t *hdr;
	int rc = fsload_check_ram("source", addr, UIMAGE_HEADER_SIZE);

	if (rc) {
		return rc;
	}
	hdr = arch_phys_to_virt(addr);
	rc = uimage_parse(hdr, UIMAGE_HEADER_SIZE, im);
	if (rc == -EINVAL) {
		xb_printf("Wrong image format for \"source\" command\n");
		return rc;
	}
	if (rc == -EILSEQ && load_be32(hdr + 12) != 0) {
		xb_printf("source: bad header checksum\n");
		return rc;
	}
	/* The header CRC holds: its size field is what mkimage wrote. */
	uint64_t len = UIMAGE_HEADER_SIZE + (uint64_t)load_be32(hdr + 12);
	rc = fsload_check_ram("source", addr, len);
	if (rc) {
		return rc;
	}
	rc = uimage_parse(hdr, (size_t)len, im);
	if (rc == -EILSEQ) {
		xb_printf("source: bad data checksum\n");
	} else if (rc) {
		xb_printf("source: bad image: %s\n", errno_name(rc));
	}
	return rc;
}

/* The script's text, copied (or inflated) into *@out, a heap buffer. */
static int script_text(const struct uimage *im, char **out, size_t *out_len)
{
	const char *text;
	size_t len;
	int rc;

	if (im->type != UIMAGE_TYPE_SCRIPT) {
		xb_printf("source: not a script image (type %u)\n", im->type);
		return -ENOEXEC;
	}
	rc = uimage_script(im, &text, &len);
	if (rc) {
		xb_printf(rc == -ENODATA ? "Empty Script\n" : "source: bad script image: %s\n",
			  errno_name(rc));
		return rc;
	}
	if (im->comp != UIMAGE_COMP_NONE && im->comp != UIMAGE_COMP_GZIP) {
		xb_printf("source: unsupported compression %u\n", im->comp);
		return -EOPNOTSUPP;
	}
	if (im->comp == UIMAGE_COMP_NONE && len > SHELL_SCRIPT_MAX) {
		xb_printf("source: script larger than %d bytes\n", SHELL_SCRIPT_MAX);
		return -EFBIG;
	}
	*out = malloc(im->comp == UIMAGE_COMP_NONE ? len + 1 : SHELL_SCRIPT_MAX);
	if (!*out) {
		return -ENOMEM;
	}
	if (im->comp == UIMAGE_COMP_NONE) {
		memcpy(*out, text, len);
		*out_len = len;
		return 0;
	}
	rc = gunzip(text, len, *out, SHELL_SCRIPT_MAX, out_len);
	if (rc) {
		if (rc == -EFBIG) {
			xb_printf("source: gzip script larger than %d bytes\n", SHELL_SCRIPT_MAX);
		} else {
			xb_printf("source: gzip script: %s\n", errno_name(rc));
		}
		free(*out);
	}
	return rc;
}

static int do_source(int argc, char *argv[])
{
	const char *arg = argc > 1 ? argv[1] : env_get("loadaddr");
	struct uimage im;
	uint64_t addr;
	char *text;
	size_t len;
	int rc;

	if (argc > 2 || !arg || cmd_parse_num(arg, &addr)) {
		return CMD_RET_USAGE;
	}
	xb_printf("## Executing script at %08llx\n", (unsigned long long)addr);
	rc = image_at(addr, &im);
	if (rc) {
		return CMD_RET_FAILURE;
	}
	rc = script_text(&im, &text, &len);
	if (rc) {
		return rc == -ENOMEM ? rc : CMD_RET_FAILURE;
	}
	rc = shell_run_script(text, len);
	free(text);
	/* The script's own commands have reported what failed. */
	return rc ? CMD_RET_FAILURE : 0;
}

const struct cmd cmd_source = {
    .name = "source",
    .usage = "[addr]",
    .help = "run a boot script image (mkimage -T script) at addr (default $loadaddr)",
    .run = do_source,
};
