/* The console printf and the shell use; the PV console frontend plugs in. */
#include <lib/console.h>
#include <string.h>

static const struct console_ops *console_ops;

void console_set(const struct console_ops *ops)
{
	console_ops = ops;
}

void console_write(const char *buf, size_t len)
{
	if (console_ops && console_ops->write) {
		console_ops->write(buf, len);
	}
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

int console_getc(uint64_t deadline_ns)
{
	char c;

	if (!console_ops || !console_ops->read || !console_ops->read(&c, 1, deadline_ns)) {
		return -1;
	}
	return (unsigned char)c;
}

void console_flush(uint64_t deadline_ns)
{
	if (console_ops && console_ops->flush) {
		console_ops->flush(deadline_ns);
	}
}
