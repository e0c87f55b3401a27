/* The console that printf and the shell use: one output sink (the PV console
 * frontend, or a test's capture) and one input source. */
#ifndef LIB_CONSOLE_H
#define LIB_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

struct console_ops {
	void (*write)(const char *buf, size_t len);
	/* Up to size bytes, waiting until deadline_ns for the first; 0 on timeout. */
	size_t (*read)(char *buf, size_t size, uint64_t deadline_ns);
	/* Waits until the other end took all output, or deadline_ns. */
	void (*flush)(uint64_t deadline_ns);
};

void console_set(const struct console_ops *ops);
void console_write(const char *buf, size_t len);
void console_puts(const char *s);
/** console_flush() - wait (bounded) until written output left our buffers. */
void console_flush(uint64_t deadline_ns);
/** console_getc() - one byte, or -1 when @deadline_ns passed. */
int console_getc(uint64_t deadline_ns);

#endif
