/* Host OS services for the interactive sandbox: the terminal, the clock,
 * disk image files and process exit. Nothing else of xenboot includes
 * libc's I/O headers. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sandbox/os.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static struct termios saved_term;
static int is_term_raw;

uint64_t host_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void host_write_out(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return; /* stdout is gone: nobody to tell */
		}
		buf += n;
		len -= (size_t)n;
	}
}

void host_print_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

long host_read_in(char *buf, size_t size, uint64_t timeout_ns)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	int ms = (int)(timeout_ns / 1000000ULL);

	if (poll(&pfd, 1, ms) <= 0) {
		return 0;
	}
	ssize_t n = read(STDIN_FILENO, buf, size);
	if (n < 0) {
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	}
	return n == 0 ? -1 : (long)n;
}

void host_sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ULL),
			       .tv_nsec = (long)(ns % 1000000000ULL) };

	nanosleep(&ts, NULL);
}

static void restore_term(void)
{
	if (is_term_raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_term);
		is_term_raw = 0;
	}
}

/* The guest's shell does its own echo and line editing, like a serial
 * console: the host terminal must pass every key through untouched. Ctrl-C
 * still stops the sandbox (ISIG stays on). */
void host_term_raw(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_term)) {
		return;
	}
	t = saved_term;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &t)) {
		is_term_raw = 1;
		atexit(restore_term);
	}
}

void host_exit(int code)
{
	restore_term();
	fflush(NULL);
	exit(code);
}

/* Mapped rather than read: images are often hundreds of MiB, and the
 * simulated blkback touches only what the guest asks for. */
int host_file_map(const char *path, int is_read_only, uint8_t **data, uint64_t *size)
{
	struct stat st;
	void *p = MAP_FAILED;
	int fd = open(path, is_read_only ? O_RDONLY : O_RDWR);

	if (fd < 0) {
		host_print_err("sandbox: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		host_print_err("sandbox: %s: not a non-empty regular file\n", path);
	} else {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ | (is_read_only ? 0 : PROT_WRITE),
			 MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			host_print_err("sandbox: %s: %s\n", path, strerror(errno));
		}
	}
	/* The mapping keeps the file open for us. */
	close(fd);
	if (p == MAP_FAILED) {
		return -1;
	}
	*data = p;
	*size = (uint64_t)st.st_size;
	return 0;
}

uint64_t host_parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || v == 0) {
		return 0;
	}
	switch (*end) {
	case '\0':
	case 'M':
		v <<= 20;
		break;
	case 'G':
		v <<= 30;
		break;
	case 'K':
		v <<= 10;
		break;
	default:
		return 0;
	}
	if (*end && end[1]) {
		return 0;
	}
	return v;
}
