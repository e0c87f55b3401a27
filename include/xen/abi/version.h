/* XENVER_* (public/version.h). */
#ifndef XEN_ABI_VERSION_H
#define XEN_ABI_VERSION_H

#define XENVER_version 0
#define XENVER_extraversion 1
#define XENVER_get_features 6
#define XENVER_pagesize 7

#define XEN_EXTRAVERSION_LEN 16

#endif
