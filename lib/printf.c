/* A small vsnprintf: what a bootloader prints is integers, strings and
 * addresses, so floating point (5 KiB of picolibc's dtoa) is left out and
 * the host and arm64 builds format identically. */
#include <lib/console.h>
#include <lib/printf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* bytes the full result needs */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void out_pad(struct out *o, char c, int count)
{
	while (count-- > 0) {
		out_char(o, c);
	}
}

struct spec {
	bool left, zero, plus, space, alt;
	int width, precision; /* precision -1: none */
	int length; /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t */
};

static void out_number(struct out *o, uint64_t v, bool negative, unsigned int base, bool upper,
		       const struct spec *s)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = negative ? '-' : s->plus ? '+' : s->space ? ' ' : 0;
	const char *prefix = (s->alt && base == 16 && v) ? (upper ? "0X" : "0x") : "";
	int prefix_len = (int)strlen(prefix) + (sign ? 1 : 0);

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int zeros = s->precision > n ? s->precision - n : 0;
	int pad = s->width - n - zeros - prefix_len;
	if (s->zero && !s->left && s->precision < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!s->left) {
		out_pad(o, ' ', pad);
	}
	if (sign) {
		out_char(o, sign);
	}
	while (*prefix) {
		out_char(o, *prefix++);
	}
	out_pad(o, '0', zeros);
	while (n) {
		out_char(o, tmp[--n]);
	}
	if (s->left) {
		out_pad(o, ' ', pad);
	}
}

/* %pE: bytes outside printable ASCII become \xHH, so a peer cannot send
 * terminal escapes through our console (STYLE G3). */
static size_t escaped_len(const char *str, int max)
{
	size_t n = 0;

	for (int i = 0; str[i] && (max < 0 || i < max); i++) {
		unsigned char c = (unsigned char)str[i];
		n += (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : (c == '\\' ? 2 : 4);
	}
	return n;
}

static void out_string(struct out *o, const char *str, const struct spec *s, bool escape)
{
	size_t limit = s->precision < 0 ? SIZE_MAX : (size_t)s->precision;

	if (!str) {
		str = "(null)";
	}
	size_t n = escape ? escaped_len(str, s->precision) : strnlen(str, limit);
	int pad = s->width > (int)n ? s->width - (int)n : 0;

	if (!s->left) {
		out_pad(o, ' ', pad);
	}
	for (size_t i = 0; i < limit && str[i]; i++) {
		unsigned char c = (unsigned char)str[i];
		if (!escape || (c >= 0x20 && c < 0x7f && c != '\\')) {
			out_char(o, (char)c);
		} else if (c == '\\') {
			out_char(o, '\\');
			out_char(o, '\\');
		} else {
			out_char(o, '\\');
			out_char(o, 'x');
			out_char(o, "0123456789abcdef"[c >> 4]);
			out_char(o, "0123456789abcdef"[c & 15]);
		}
	}
	if (s->left) {
		out_pad(o, ' ', pad);
	}
}

static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	memset(s, 0, sizeof(*s));
	s->precision = -1;
	for (;; f++) {
		if (*f == '-') {
			s->left = true;
		} else if (*f == '0') {
			s->zero = true;
		} else if (*f == '+') {
			s->plus = true;
		} else if (*f == ' ') {
			s->space = true;
		} else if (*f == '#') {
			s->alt = true;
		} else {
			break;
		}
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9') {
		s->width = s->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		s->precision = 0;
		f++;
		if (*f == '*') {
			s->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9') {
			s->precision = s->precision * 10 + (*f++ - '0');
		}
	}
	for (;; f++) {
		if (*f == 'l') {
			s->length++;
		} else if (*f == 'h') {
			s->length--;
		} else if (*f == 'z') {
			s->length = 3;
		} else {
			return f;
		}
	}
}

static uint64_t arg_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned int);
	case -2:
		return (unsigned char)va_arg(*ap, unsigned int);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (int64_t)va_arg(*ap, size_t);
	case -1:
		return (short)va_arg(*ap, int);
	case -2:
		return (signed char)va_arg(*ap, int);
	default:
		return va_arg(*ap, int);
	}
}

static void out_conversion(struct out *o, const char **fp, struct spec *s, va_list *ap)
{
	const char *f = *fp;
	int64_t sv;

	switch (*f) {
	case 'd':
	case 'i':
		sv = arg_signed(s, ap);
		out_number(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0, 10, false, s);
		break;
	case 'u':
		out_number(o, arg_unsigned(s, ap), false, 10, false, s);
		break;
	case 'x':
	case 'X':
		out_number(o, arg_unsigned(s, ap), false, 16, *f == 'X', s);
		break;
	case 'o':
		out_number(o, arg_unsigned(s, ap), false, 8, false, s);
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	case 's':
		out_string(o, va_arg(*ap, const char *), s, false);
		break;
	case 'p':
		if (f[1] == 'E') {
			f++;
			out_string(o, va_arg(*ap, const char *), s, true);
			break;
		}
		s->alt = true;
		out_number(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, s);
		break;
	case '%':
		out_char(o, '%');
		break;
	default: /* unknown conversion: print it, so the bug is visible */
		out_char(o, '%');
		if (*f) {
			out_char(o, *f);
		} else {
			f--;
		}
	}
	*fp = f + 1;
}

int xb_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.buf = buf, .size = size, .len = 0};
	struct spec s;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &s, &aq);
		out_conversion(&o, &fmt, &s, &aq);
	}
	va_end(aq);
	if (size) {
		buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

int xb_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = xb_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int xb_vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = xb_vsnprintf(buf, sizeof(buf), fmt, ap);

	console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}

int xb_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = xb_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
