/* Where an image's bytes come from (include/efi/image.h): LoadImage from a
 * device path (SourceBuffer NULL): the handle the path leads to with Simple
 * File System, the file path nodes after it, and the file read whole
 * through the File protocol, as any application would; and a gzip'd image
 * inflated first. */
#define LOG_PREFIX "efi: "
#include <arch/arch.h>
#include <boot/gunzip.h>
#include <efi/abi/file.h>
#include <efi/devpath.h>
#include <efi/image.h>
#include <efi/pe.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/printf.h>

#define IMAGE_PATH_MAX 256

/* The UCS-2 name the File protocol wants for the file path nodes of @rest.
 * With @boot_policy a path that ends at the volume means the removable
 * media path (UEFI 2.10 §3.5.1.1). */
static efi_status_t file_name(const struct efi_device_path *rest, bool boot_policy, efi_char16_t *w,
			      size_t max)
{
	char name[IMAGE_PATH_MAX];

	if (efi_devpath_file_utf8(rest, name, sizeof(name))) {
		return EFI_NOT_FOUND; /* not a file below the volume */
	}
	if (!name[0] && boot_policy) {
		xb_snprintf(name, sizeof(name), "%s", EFI_REMOVABLE_MEDIA_FILE);
	} else if (!name[0]) {
		return EFI_NOT_FOUND;
	}
	if (efi_utf8_to_ucs2(w, max, name) < 0) {
		return EFI_NOT_FOUND;
	}
	for (size_t i = 0; w[i]; i++) {
		if (w[i] == '/') {
			w[i] = '\\';
		}
	}
	return EFI_SUCCESS;
}

/* The size of open file @f: its end position (no EFI_FILE_INFO to size). */
static efi_status_t file_size(struct efi_file_protocol *f, uint64_t *size)
{
	efi_status_t s = f->set_position(f, EFI_FILE_POSITION_END);

	if (s == EFI_SUCCESS) {
		s = f->get_position(f, size);
	}
	if (s == EFI_SUCCESS) {
		s = f->set_position(f, 0);
	}
	return s;
}

static efi_status_t read_whole(struct efi_file_protocol *f, void **buf, uint64_t *size)
{
	struct efi *e = efi_get();
	uint64_t n;
	efi_status_t s = file_size(f, size);

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (*size == 0 || *size > PE_MAX_IMAGE_SIZE) {
		return EFI_LOAD_ERROR; /* no image is empty or that big */
	}
	s = e->bs.allocate_pool(EfiBootServicesData, *size, buf);
	if (s != EFI_SUCCESS) {
		return EFI_OUT_OF_RESOURCES;
	}
	n = *size;
	s = f->read(f, &n, *buf);
	if (s == EFI_SUCCESS && n != *size) {
		s = EFI_DEVICE_ERROR; /* the file shrank under us */
	}
	if (s != EFI_SUCCESS) {
		(void)e->bs.free_pool(*buf);
		*buf = NULL;
	}
	return s;
}

efi_status_t efi_image_read_file(const struct efi_device_path *path, bool boot_policy, void **buf,
				 uint64_t *size)
{
	struct efi_device_path *rest = (struct efi_device_path *)path;
	struct efi_simple_file_system *sfs;
	struct efi_file_protocol *root, *f;
	efi_char16_t name[IMAGE_PATH_MAX];
	efi_handle_t dev;
	efi_status_t s;

	s = efi_bs_locate_device_path(&efi_guid_simple_file_system, &rest, &dev);
	if (s != EFI_SUCCESS) {
		return s == EFI_INVALID_PARAMETER ? s : EFI_NOT_FOUND;
	}
	s = file_name(rest, boot_policy, name, IMAGE_PATH_MAX);
	sfs = efi_protocol_of(dev, &efi_guid_simple_file_system);
	if (s != EFI_SUCCESS || !sfs) {
		return EFI_NOT_FOUND;
	}
	s = sfs->open_volume(sfs, &root);
	if (s != EFI_SUCCESS) {
		return s;
	}
	s = root->open(root, &f, name, EFI_FILE_MODE_READ, 0);
	(void)root->close(root);
	if (s != EFI_SUCCESS) {
		return s;
	}
	s = read_whole(f, buf, size);
	(void)f->close(f);
	return s;
}

efi_status_t efi_image_inflate(const void *buf, uint64_t size, struct efi_image_inflated *inf)
{
	struct efi *e = efi_get();
	uint64_t max = gunzip_isize(buf, size);

	*inf = (struct efi_image_inflated){0};
	if (!gunzip_is_gzip(buf, size)) {
		return EFI_SUCCESS;
	}
	/* The trailer's size is a hint: a page above it, never past the
	 * largest image (what comes out is checked as any image). */
	max = MIN((uint64_t)PE_MAX_IMAGE_SIZE, ALIGN_UP(max + 1, EFI_PAGE_SIZE));
	if (e->bs.allocate_pages(AllocateAnyPages, EfiBootServicesData, max / EFI_PAGE_SIZE,
				 &inf->pages) != EFI_SUCCESS) {
		return EFI_OUT_OF_RESOURCES;
	}
	inf->count = max / EFI_PAGE_SIZE;
	inf->buf = arch_phys_to_virt(inf->pages);
	size_t len = 0;
	int rc = gunzip(buf, size, inf->buf, max, &len);
	inf->size = len;
	if (rc) {
		log_notice("gzip'd image not inflated: %s\n", errno_name(rc));
		(void)e->bs.free_pages(inf->pages, inf->count);
		*inf = (struct efi_image_inflated){0};
		return rc == -ENOMEM ? EFI_OUT_OF_RESOURCES : EFI_LOAD_ERROR;
	}
	return EFI_SUCCESS;
}
