/* errno names: XenStore reports errors by name, and we print them by name. */
#include <lib/errno.h>
#include <stddef.h>
#include <string.h>

#define E(x)                                                                                       \
	{                                                                                          \
		x, #x                                                                              \
	}
static const struct {
	int value;
	const char *name;
} errno_names[] = {
    E(EPERM),	 E(ENOENT),    E(ESRCH),	E(EINTR),      E(EIO),	   E(ENXIO),
    E(E2BIG),	 E(ENOEXEC),   E(EBADF),	E(EAGAIN),     E(ENOMEM),  E(EACCES),
    E(EFAULT),	 E(EBUSY),     E(EEXIST),	E(EXDEV),      E(ENODEV),  E(ENOTDIR),
    E(EISDIR),	 E(EINVAL),    E(ENFILE),	E(EMFILE),     E(EFBIG),   E(ENOSPC),
    E(EROFS),	 E(EMLINK),    E(EDOM),		E(ERANGE),     E(EDEADLK), E(ENAMETOOLONG),
    E(ENOLCK),	 E(ENOSYS),    E(ENOTEMPTY),	E(ELOOP),      E(ENODATA), E(ETIME),
    E(EBADMSG),	 E(EOVERFLOW), E(EILSEQ),	E(EOPNOTSUPP), E(ENOBUFS), E(EISCONN),
    E(ENOTCONN), E(ETIMEDOUT), E(ECONNREFUSED), E(EMSGSIZE),
    E(EADDRINUSE), E(EADDRNOTAVAIL),
};
#undef E

const char *errno_name(int err)
{
	if (err < 0) {
		err = -err;
	}
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
		if (errno_names[i].value == err) {
			return errno_names[i].name;
		}
	}
	return "E?";
}

int errno_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
		if (strcmp(errno_names[i].name, name) == 0) {
			return errno_names[i].value;
		}
	}
	return 0;
}
