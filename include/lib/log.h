/* Levelled logging (STYLE G1). Each file defines LOG_PREFIX before including. */
#ifndef LIB_LOG_H
#define LIB_LOG_H

#include <lib/printf.h>

#ifndef LOG_PREFIX
#define LOG_PREFIX ""
#endif
#ifndef LOG_LEVEL
#define LOG_LEVEL 3 /* 0 err, 1 warn, 2 notice, 3 info, 4 debug */
#endif

#define log_at(lvl, tag, fmt, ...)                                                                 \
	do {                                                                                       \
		if ((lvl) <= LOG_LEVEL) {                                                          \
			xb_printf(tag LOG_PREFIX fmt, ##__VA_ARGS__);                              \
		}                                                                                  \
	} while (0)

#define log_err(fmt, ...) log_at(0, "ERROR: ", fmt, ##__VA_ARGS__)
#define log_warn(fmt, ...) log_at(1, "warning: ", fmt, ##__VA_ARGS__)
#define log_notice(fmt, ...) log_at(2, "", fmt, ##__VA_ARGS__)
#define log_info(fmt, ...) log_at(3, "", fmt, ##__VA_ARGS__)
#define log_debug(fmt, ...) log_at(4, "", fmt, ##__VA_ARGS__)

#endif
