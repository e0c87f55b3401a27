/* Our error numbers: equal to Xen's (XEN_E*), so a hypercall's negative
 * result passes through unchanged (STYLE E1). Never include libc's errno.h. */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#include <xen/abi/errno.h>

#define EPERM XEN_EPERM
#define ENOENT XEN_ENOENT
#define ESRCH XEN_ESRCH
#define EINTR XEN_EINTR
#define EIO XEN_EIO
#define ENXIO XEN_ENXIO
#define E2BIG XEN_E2BIG
#define ENOEXEC XEN_ENOEXEC
#define EBADF XEN_EBADF
#define EAGAIN XEN_EAGAIN
#define ENOMEM XEN_ENOMEM
#define EACCES XEN_EACCES
#define EFAULT XEN_EFAULT
#define EBUSY XEN_EBUSY
#define EEXIST XEN_EEXIST
#define EXDEV XEN_EXDEV
#define ENODEV XEN_ENODEV
#define ENOTDIR XEN_ENOTDIR
#define EISDIR XEN_EISDIR
#define EINVAL XEN_EINVAL
#define ENFILE XEN_ENFILE
#define EMFILE XEN_EMFILE
#define EFBIG XEN_EFBIG
#define ENOSPC XEN_ENOSPC
#define EROFS XEN_EROFS
#define EMLINK XEN_EMLINK
#define EDOM XEN_EDOM
#define ERANGE XEN_ERANGE
#define EDEADLK XEN_EDEADLK
#define ENAMETOOLONG XEN_ENAMETOOLONG
#define ENOLCK XEN_ENOLCK
#define ENOSYS XEN_ENOSYS
#define ENOTEMPTY XEN_ENOTEMPTY
#define ELOOP XEN_ELOOP
#define ENODATA XEN_ENODATA
#define ETIME XEN_ETIME
#define EBADMSG XEN_EBADMSG
#define EOVERFLOW XEN_EOVERFLOW
#define EILSEQ XEN_EILSEQ
#define EMSGSIZE XEN_EMSGSIZE
#define EOPNOTSUPP XEN_EOPNOTSUPP
#define ENOBUFS XEN_ENOBUFS
#define EISCONN XEN_EISCONN
#define ENOTCONN XEN_ENOTCONN
#define ETIMEDOUT XEN_ETIMEDOUT
#define ECONNREFUSED XEN_ECONNREFUSED
#define EADDRINUSE XEN_EADDRINUSE
#define EADDRNOTAVAIL XEN_EADDRNOTAVAIL

/** errno_name() - "ENOENT" for -ENOENT or ENOENT; "E?" when unknown. */
const char *errno_name(int err);
/** errno_parse() - the errno value for a name like "ENOENT", or 0 if unknown. */
int errno_parse(const char *name);

#endif
