/* The default environment (include/boot/env_default.h). */
#include <arch/arch.h>
#include <boot/env_default.h>
#include <lib/dtinfo.h>
#include <lib/env.h>

struct env_default {
	const char *name, *value;
};

static const struct env_default fixed[] = {
	{"bootdelay", "1"},
	{"boot_prefixes", "/ /boot/"},
	{"boot_scripts", "boot.scr.uimg boot.scr"},
};

int env_set_defaults(void)
{
	const struct dtinfo *dt = dtinfo_get();
	int rc = 0;

	for (unsigned int i = 0; i < sizeof(fixed) / sizeof(fixed[0]) && !rc; i++) {
		rc = env_set(fixed[i].name, fixed[i].value);
	}
	if (!rc && dt && dt->fdt) {
		rc = env_set_u64("fdtcontroladdr", arch_virt_to_phys(dt->fdt));
	}
	if (!rc && dt && dt->bootargs) {
		rc = env_set("bootargs", dt->bootargs);
	}
	return rc;
}
