/* Units for sizes and for arch_time_ns() values. */
#ifndef LIB_UNITS_H
#define LIB_UNITS_H

#define KIB (1024ULL)
#define MIB (1024ULL * 1024)
#define NS_PER_US 1000ULL
#define NS_PER_MS 1000000ULL
#define NS_PER_SEC 1000000000ULL

#endif
