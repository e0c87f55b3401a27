/* Formatted output: a small vsnprintf (integers, strings, pointers; no
 * floating point) and printf to the console. */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <lib/compiler.h>
#include <stdarg.h>
#include <stddef.h>

/* Formats like C's, without floating point. %pE prints a string with
 * non-printable bytes escaped as \xHH (for peer-supplied strings). */
int xb_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int xb_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int xb_printf(const char *fmt, ...) __printf(1, 2);
int xb_vprintf(const char *fmt, va_list ap);

#endif
