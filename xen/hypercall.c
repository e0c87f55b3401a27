/* Small Xen services built directly on one hypercall each. */
#include <lib/errno.h>
#include <string.h>
#include <xen/abi/hvm.h>
#include <xen/abi/sched.h>
#include <xen/abi/version.h>
#include <xen/hypercall.h>
#include <xen/xen.h>

int xen_hvm_get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
	long rc = hypercall_hvm_op(HVMOP_get_param, &p);

	if (rc) {
		return (int)rc;
	}
	*value = p.value;
	return 0;
}

int xen_version_get(unsigned int *major, unsigned int *minor, char *extra, size_t extra_size)
{
	char buf[XEN_EXTRAVERSION_LEN + 1];
	long v = hypercall_xen_version(XENVER_version, NULL);

	if (v < 0) {
		/* Xen's errors are small negatives; anything else is not one. */
		return v >= -4095 ? (int)v : -EINVAL;
	}
	*major = (unsigned long)v >> 16;
	*minor = (unsigned long)v & 0xffff;
	if (!extra_size) {
		return 0;
	}
	memset(buf, 0, sizeof(buf));
	if (hypercall_xen_version(XENVER_extraversion, buf) < 0) {
		buf[0] = '\0';
	}
	/* Xen fills 16 bytes and need not NUL-terminate them: keep printable bytes only. */
	size_t n = 0;
	for (size_t i = 0; i < XEN_EXTRAVERSION_LEN && buf[i] && n + 1 < extra_size; i++) {
		if (buf[i] >= 0x20 && buf[i] < 0x7f) {
			extra[n++] = buf[i];
		}
	}
	extra[n] = '\0';
	return 0;
}

int xen_shutdown(unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	return (int)hypercall_sched_op(SCHEDOP_shutdown, &s);
}

void xen_yield(void)
{
	hypercall_sched_op(SCHEDOP_yield, NULL);
}
