/*
 * Image services (UEFI 2.10 §7.4): LoadImage, StartImage, Exit,
 * UnloadImage, and the Loaded Image protocol (§9.1) on each image handle.
 *
 * An image lives in pages of its code type (applications EfiLoaderCode,
 * drivers Boot/RuntimeServicesCode), aligned to its SectionAlignment.
 * StartImage saves a context (arch/context.h) before calling the entry
 * point; Exit() from any depth of the image resumes there, so the image's
 * caller (bootefi, the boot manager, GRUB starting Linux) sees the status.
 * Memory goes through the boot services table, as for any application.
 */
#define LOG_PREFIX "efi: "
#include <arch/arch.h>
#include <efi/devpath.h>
#include <efi/image.h>
#include <efi/pe.h>
#include <efi/services.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <stdlib.h>
#include <string.h>

struct efi_loaded_image_obj *efi_image_of(efi_handle_t h)
{
	struct efi_object *o = efi_object_of(h);

	for (struct efi_loaded_image_obj *img = efi_get()->images; o && img; img = img->next) {
		if (img->obj == o) {
			return img;
		}
	}
	return NULL;
}

/* A malloc()ed copy of @p, or NULL (none, malformed: too long, a node
 * under 4 bytes; an application's path is walked within bounds). */
static struct efi_device_path *dp_copy(const struct efi_device_path *p)
{
	struct efi_device_path *c = NULL;

	return p && efi_devpath_append(p, NULL, &c) == 0 ? c : NULL;
}

/* DeviceHandle and FilePath from where the image came from: the handle
 * whose device path is the longest prefix of @path, and what follows. */
static void image_set_source(struct efi_loaded_image_obj *img, const struct efi_device_path *path)
{
	struct efi_device_path *rest;
	efi_handle_t dev;

	img->dp = dp_copy(path);
	if (!img->dp) {
		return; /* from memory, or a path we could not keep */
	}
	rest = img->dp;
	if (efi_bs_locate_device_path(&efi_guid_device_path, &rest, &dev) == EFI_SUCCESS) {
		img->li.device_handle = dev;
		img->file_path = dp_copy(rest);
	} else {
		img->file_path = dp_copy(img->dp);
	}
	img->li.file_path = img->file_path;
}

static void memory_types(uint16_t subsystem, uint32_t *code, uint32_t *data)
{
	if (subsystem == PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER) {
		*code = EfiBootServicesCode;
		*data = EfiBootServicesData;
	} else if (subsystem == PE_SUBSYSTEM_EFI_RUNTIME_DRIVER) {
		*code = EfiRuntimeServicesCode;
		*data = EfiRuntimeServicesData;
	} else {
		*code = EfiLoaderCode;
		*data = EfiLoaderData;
	}
}

/* Pages for the image, aligned to its SectionAlignment, loaded and
 * relocated there, the caches made coherent for the jump. */
static efi_status_t image_place(struct efi *e, struct efi_loaded_image_obj *img,
				const struct pe_info *pi, const void *buf, uint64_t size)
{
	uint64_t align = MAX((uint64_t)pi->section_align, EFI_PAGE_SIZE);
	uint64_t pages = ALIGN_UP((uint64_t)pi->image_size, EFI_PAGE_SIZE) / EFI_PAGE_SIZE;
	efi_status_t s;

	img->page_count = pages + (align / EFI_PAGE_SIZE - 1);
	s = e->bs.allocate_pages(AllocateAnyPages, img->li.image_code_type, img->page_count,
				 &img->pages);
	if (s != EFI_SUCCESS) {
		img->page_count = 0;
		return EFI_OUT_OF_RESOURCES;
	}
	uint64_t base = ALIGN_UP(img->pages, align);
	void *dest = arch_phys_to_virt(base);
	int rc = pe_load(buf, size, pi, dest, base);
	if (rc) {
		log_notice("image not loaded: %s\n", errno_name(rc));
		return EFI_LOAD_ERROR;
	}
	arch_icache_sync(dest, pi->image_size);
	img->li.image_base = dest;
	img->li.image_size = pi->image_size;
	img->entry = (efi_image_entry_t)arch_phys_to_virt(base + pi->entry);
	return EFI_SUCCESS;
}

/* Takes @img off the list and frees everything it holds, its handle too. */
static void image_free(struct efi *e, struct efi_loaded_image_obj *img)
{
	for (struct efi_loaded_image_obj **p = &e->images; *p; p = &(*p)->next) {
		if (*p == img) {
			*p = img->next;
			break;
		}
	}
	/* The protocols go with the handle; a driver's opens do not keep them. */
	img->obj->protocol_count = 0;
	(void)efi_handle_delete(img->obj);
	if (img->page_count) {
		(void)e->bs.free_pages(img->pages, img->page_count);
	}
	/* Ours, not what li now holds: an application may have set its own
	 * LoadOptions there (GRUB does for the kernel it starts). */
	free(img->options);
	free(img->file_path);
	free(img->dp);
	free(img);
}

static efi_status_t image_publish(struct efi_loaded_image_obj *img)
{
	if (efi_handle_create(&img->obj)) {
		return EFI_OUT_OF_RESOURCES;
	}
	if (efi_protocol_add(img->obj, &efi_guid_loaded_image, &img->li) ||
	    efi_protocol_add(img->obj, &efi_guid_loaded_image_device_path, img->dp)) {
		return EFI_OUT_OF_RESOURCES;
	}
	return EFI_SUCCESS;
}

static efi_status_t image_load_pe(efi_handle_t parent, const struct efi_device_path *path,
				  const void *buf, uint64_t size, efi_handle_t *out)
{
	struct efi *e = efi_get();
	struct efi_loaded_image_obj *img;
	struct pe_info pi;
	int rc = pe_parse(buf, size, &pi);

	if (rc) {
		log_notice("not an AArch64 EFI image: %s\n", errno_name(rc));
		return EFI_LOAD_ERROR;
	}
	img = calloc(1, sizeof(*img));
	if (!img) {
		return EFI_OUT_OF_RESOURCES;
	}
	img->li.revision = EFI_LOADED_IMAGE_PROTOCOL_REVISION;
	img->li.parent_handle = parent;
	img->li.system_table = &e->systab;
	img->subsystem = pi.subsystem;
	memory_types(pi.subsystem, &img->li.image_code_type, &img->li.image_data_type);
	image_set_source(img, path);
	efi_status_t s = image_publish(img);
	if (s == EFI_SUCCESS) {
		img->next = e->images;
		e->images = img;
		s = image_place(e, img, &pi, buf, size);
	}
	if (s != EFI_SUCCESS) {
		if (img->obj) {
			image_free(e, img);
		} else {
			free(img->file_path);
			free(img->dp);
			free(img);
		}
		return s;
	}
	*out = img->obj;
	return EFI_SUCCESS;
}

efi_status_t efi_image_load(efi_handle_t parent, const struct efi_device_path *path,
			    const void *buf, uint64_t size, efi_handle_t *out)
{
	struct efi_image_inflated inf;
	efi_status_t s = efi_image_inflate(buf, size, &inf);

	if (s != EFI_SUCCESS) {
		return s;
	}
	if (!inf.count) {
		return image_load_pe(parent, path, buf, size, out);
	}
	s = image_load_pe(parent, path, inf.buf, inf.size, out);
	(void)efi_get()->bs.free_pages(inf.pages, inf.count);
	return s;
}

int efi_image_set_options(efi_handle_t image, const void *options, uint64_t size)
{
	struct efi_loaded_image_obj *img = efi_image_of(image);
	void *copy = NULL;

	if (!img || size > UINT32_MAX || (size && !options)) {
		return -EINVAL;
	}
	if (size && !(copy = malloc(size))) {
		return -ENOMEM;
	}
	if (size) {
		memcpy(copy, options, size);
	}
	free(img->options);
	img->options = copy;
	img->li.load_options = copy;
	img->li.load_options_size = (uint32_t)size;
	return 0;
}

void efi_image_set_entry(efi_handle_t image, efi_image_entry_t entry)
{
	struct efi_loaded_image_obj *img = efi_image_of(image);

	if (img) {
		img->entry = entry;
	}
}

efi_status_t efi_bs_load_image(bool boot_policy, efi_handle_t parent, struct efi_device_path *path,
			       void *buffer, uint64_t size, efi_handle_t *image)
{
	struct efi *e = efi_get();
	void *file = NULL;
	efi_status_t s;

	if (!image || !efi_object_of(parent) || (!buffer && !path)) {
		return EFI_INVALID_PARAMETER;
	}
	if (e->is_boot_services_exited) {
		return EFI_UNSUPPORTED;
	}
	if (!buffer) {
		s = efi_image_read_file(path, boot_policy, &file, &size);
		if (s != EFI_SUCCESS) {
			return s;
		}
		buffer = file;
	}
	s = efi_image_load(parent, path, buffer, size, image);
	if (file) {
		(void)e->bs.free_pool(file);
	}
	return s;
}

/* A stack of our own for an image we call from xenboot's stack (NULL: keep
 * the current one, as for an image started by another image). */
static void *image_stack(struct efi *e, efi_physical_addr_t *pages)
{
	if (e->running ||
	    e->bs.allocate_pages(AllocateAnyPages, EfiBootServicesData,
				 EFI_IMAGE_STACK_SIZE / EFI_PAGE_SIZE, pages) != EFI_SUCCESS) {
		*pages = 0;
		return NULL;
	}
	return (uint8_t *)arch_phys_to_virt(*pages) + EFI_IMAGE_STACK_SIZE;
}

/* Runs @img's entry point; returns once it returned or called Exit(). */
static void image_run(struct efi *e, struct efi_loaded_image_obj *img)
{
	efi_physical_addr_t stack_pages;
	void *stack = image_stack(e, &stack_pages);

	img->caller = e->running;
	img->tpl = e->tpl;
	e->running = img;
	if (arch_context_save(&img->exit_ctx) == 0) {
		/* The entry point's type, called as two pointers in, one word out. */
		uint64_t (*fn)(void *, void *) = (uint64_t(*)(void *, void *))img->entry;
		img->exit_status = arch_call_image(fn, img->obj, &e->systab, stack);
		img->exit_data_size = 0;
		img->exit_data = NULL;
	}
	/* Here both after a return and after Exit(): only memory state is read. */
	e->running = img->caller;
	e->tpl = img->tpl;
	if (stack_pages) {
		(void)e->bs.free_pages(stack_pages, EFI_IMAGE_STACK_SIZE / EFI_PAGE_SIZE);
	}
}

efi_status_t efi_bs_start_image(efi_handle_t image, uint64_t *exit_data_size,
				efi_char16_t **exit_data)
{
	struct efi *e = efi_get();
	struct efi_loaded_image_obj *img = efi_image_of(image);

	if (!img || img->is_started || !img->entry) {
		return EFI_INVALID_PARAMETER;
	}
	if (e->is_boot_services_exited) {
		return EFI_UNSUPPORTED;
	}
	img->is_started = true;
	image_run(e, img);
	efi_status_t s = img->exit_status;
	if (exit_data_size && exit_data) {
		*exit_data_size = img->exit_data_size;
		*exit_data = img->exit_data;
	} else if (img->exit_data) {
		(void)e->bs.free_pool(img->exit_data); /* nobody wants it */
	}
	/* Applications, and drivers that failed, are unloaded (§7.4 Exit()). */
	if (img->subsystem == PE_SUBSYSTEM_EFI_APPLICATION || EFI_IS_ERROR(s)) {
		image_free(e, img);
	}
	return s;
}

efi_status_t efi_bs_exit(efi_handle_t image, efi_status_t status, uint64_t exit_data_size,
			 efi_char16_t *exit_data)
{
	struct efi *e = efi_get();
	struct efi_loaded_image_obj *img = efi_image_of(image);

	if (!img) {
		return EFI_INVALID_PARAMETER;
	}
	if (!img->is_started) {
		image_free(e, img); /* loaded, never started: Exit unloads it */
		return EFI_SUCCESS;
	}
	if (img != e->running) {
		return EFI_INVALID_PARAMETER; /* started, but not the one executing */
	}
	img->exit_status = status;
	img->exit_data_size = exit_data ? exit_data_size : 0;
	img->exit_data = exit_data;
	arch_context_resume(&img->exit_ctx, 1);
}

efi_status_t efi_bs_unload_image(efi_handle_t image)
{
	struct efi *e = efi_get();
	struct efi_loaded_image_obj *img = efi_image_of(image);

	if (!img) {
		return EFI_INVALID_PARAMETER;
	}
	/* An image still executing (or one that called us) keeps its pages. */
	for (struct efi_loaded_image_obj *r = e->running; r; r = r->caller) {
		if (r == img) {
			return EFI_UNSUPPORTED;
		}
	}
	if (img->is_started) {
		/* A started driver decides: its Unload(), or it stays. */
		if (!img->li.unload) {
			return EFI_UNSUPPORTED;
		}
		efi_status_t s = img->li.unload(image);
		if (s != EFI_SUCCESS) {
			return s;
		}
		if (efi_image_of(image) != img) {
			return EFI_SUCCESS; /* it unloaded itself through Exit() */
		}
	}
	image_free(e, img);
	return EFI_SUCCESS;
}
