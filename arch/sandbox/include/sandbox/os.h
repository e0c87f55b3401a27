/* The narrow host API of the sandbox (STYLE L3): arch/sandbox/os/ is the
 * only code of ours, besides sim/, that talks to the host OS. */
#ifndef SANDBOX_OS_H
#define SANDBOX_OS_H

#include <lib/compiler.h>
#include <stddef.h>
#include <stdint.h>

/** host_time_ns() - the host's monotonic clock. */
uint64_t host_time_ns(void);
/** host_write_out() - write all of @buf to standard output. */
void host_write_out(const char *buf, size_t len);
/** host_print_err() - a message on standard error. */
void host_print_err(const char *fmt, ...) __printf(1, 2);
/**
 * host_read_in() - read up to @size bytes of standard input, waiting at
 * most @timeout_ns. Returns the count, 0 if nothing came, -1 at end of input.
 */
long host_read_in(char *buf, size_t size, uint64_t timeout_ns);
/** host_sleep_ns() - sleep @ns. */
void host_sleep_ns(uint64_t ns);
/** host_term_raw() - raw terminal on standard input (if it is one), restored at exit. */
void host_term_raw(void);
/** host_exit() - leave the program with @code, restoring the terminal. */
__noreturn void host_exit(int code);
/**
 * host_file_map() - map the regular file @path into memory, shared (writes
 * reach the file), read-only if @is_read_only. Returns 0 with the mapping
 * in @data and its length in @size (never 0), or -1 after a message.
 */
int host_file_map(const char *path, int is_read_only, uint8_t **data, uint64_t *size);
/** host_parse_size() - "256", "256M", "4G" (default unit MiB) into bytes; 0 if invalid. */
uint64_t host_parse_size(const char *s);

#endif
