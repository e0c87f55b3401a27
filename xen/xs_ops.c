/* XenStore operations on top of xs_request(): payload layouts from
 * docs/misc/xenstore.txt (xen-abi.md §4). Every reply is already bounded and
 * NUL-terminated by the request layer; here it is checked for its meaning. */
#define LOG_PREFIX "xenstore: "
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <string.h>
#include <xen/abi/xen.h>
#include <xen/xs_ring.h>

static int path_check(const char *path, size_t *len)
{
	if (!path || !path[0]) {
		return -EINVAL;
	}
	*len = strlen(path);
	return *len > XENSTORE_ABS_PATH_MAX ? -ENAMETOOLONG : 0;
}

/* A request whose payload is just "path\0". */
static int path_request(uint32_t type, xs_tx_t tx, const char *path, char *reply, size_t size,
			size_t *reply_len)
{
	size_t len;
	int rc = path_check(path, &len);

	if (rc) {
		return rc;
	}
	struct xs_part part = {path, len + 1};
	return xs_request(type, tx, &part, 1, reply, size, reply_len);
}

int xs_read(xs_tx_t tx, const char *path, char *buf, size_t size)
{
	if (!buf || !size) {
		return -EINVAL;
	}
	size_t len;

	buf[0] = '\0';
	int rc = path_request(XS_READ, tx, path, buf, size, &len);
	if (rc) {
		return rc;
	}
	/* Values are text: one with a NUL inside would be read as its
	 * prefix ("5\0junk" as 5). */
	if (strlen(buf) != len) {
		buf[0] = '\0';
		return -EINVAL;
	}
	return 0;
}

int xs_read_u64(xs_tx_t tx, const char *path, uint64_t *value)
{
	char buf[XS_NUM_TEXT_MAX];
	int rc = xs_read(tx, path, buf, sizeof(buf));

	if (rc) {
		return rc == -E2BIG ? -EINVAL : rc;
	}
	/* Strictly decimal: no sign, no spaces, no "0x", no trailing bytes. */
	return parse_u64(buf, 10, value) ? -EINVAL : 0;
}

int xs_write(xs_tx_t tx, const char *path, const char *value)
{
	size_t len;
	int rc = path_check(path, &len);

	if (rc) {
		return rc;
	}
	/* The value goes without a NUL: its length is the rest of the payload. */
	struct xs_part parts[] = {{path, len + 1}, {value, strlen(value)}};
	return xs_request(XS_WRITE, tx, parts, ARRAY_SIZE(parts), NULL, 0, NULL);
}

int xs_printf(xs_tx_t tx, const char *path, const char *fmt, ...)
{
	char value[128];
	va_list ap;

	va_start(ap, fmt);
	int n = xb_vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(value)) {
		return -E2BIG;
	}
	return xs_write(tx, path, value);
}

int xs_mkdir(xs_tx_t tx, const char *path)
{
	return path_request(XS_MKDIR, tx, path, NULL, 0, NULL);
}

int xs_rm(xs_tx_t tx, const char *path)
{
	return path_request(XS_RM, tx, path, NULL, 0, NULL);
}

/* Keep the non-empty names of a "a\0b\0c\0" list, counting them. */
static unsigned int names_compact(char *buf, size_t len)
{
	unsigned int count = 0;
	size_t out = 0;

	for (size_t i = 0; i < len;) {
		size_t n = strnlen(buf + i, len - i);
		if (n) {
			memmove(buf + out, buf + i, n);
			buf[out + n] = '\0';
			out += n + 1;
			count++;
		}
		i += n + 1;
	}
	return count;
}

int xs_directory(xs_tx_t tx, const char *path, char *buf, size_t size, unsigned int *count)
{
	size_t len = 0;

	if (!buf || !size) {
		return -EINVAL;
	}
	*count = 0;
	int rc = path_request(XS_DIRECTORY, tx, path, buf, size, &len);
	if (rc) {
		return rc;
	}
	/* xenstored ends every name with a NUL; the request layer added one
	 * after the payload, so the last name is terminated either way. */
	*count = names_compact(buf, len);
	return 0;
}

/* Transactions the server may still hold open: handoff aborts them. */
#define XS_OPEN_TX_MAX 8

static xs_tx_t open_tx[XS_OPEN_TX_MAX];
static unsigned int open_tx_count;

static void tx_track(xs_tx_t tx, bool is_open)
{
	for (unsigned int i = 0; i < open_tx_count; i++) {
		if (open_tx[i] == tx) {
			if (!is_open) {
				open_tx[i] = open_tx[--open_tx_count];
			}
			return;
		}
	}
	if (is_open && open_tx_count < XS_OPEN_TX_MAX) {
		open_tx[open_tx_count++] = tx;
	}
}

bool xs_has_open_transactions(void)
{
	return open_tx_count != 0;
}

void xs_forget_transactions(void)
{
	open_tx_count = 0;
}

int xs_abort_open_transactions(void)
{
	int first_rc = 0;

	while (open_tx_count) {
		xs_tx_t tx = open_tx[open_tx_count - 1];
		int rc = xs_transaction_end(tx, true);
		/* ENOENT: the server had already ended it. */
		if (rc && rc != -ENOENT) {
			first_rc = first_rc ? first_rc : rc;
		}
		tx_track(tx, false);
	}
	return first_rc;
}

int xs_transaction_start(xs_tx_t *tx)
{
	char buf[XS_NUM_TEXT_MAX];
	uint64_t id;
	struct xs_part part = {"", 1};

	int rc = xs_request(XS_TRANSACTION_START, 0, &part, 1, buf, sizeof(buf), NULL);
	if (rc) {
		return rc == -E2BIG ? -EIO : rc;
	}
	/* 0 means "no transaction", so a server that hands it out is wrong. */
	if (parse_u64(buf, 10, &id) || id == 0 || id > UINT32_MAX) {
		log_notice("bad transaction id '%pE'\n", buf);
		return -EIO;
	}
	*tx = (xs_tx_t)id;
	tx_track(*tx, true);
	return 0;
}

int xs_transaction_end(xs_tx_t tx, bool abort)
{
	struct xs_part part = {abort ? "F" : "T", 2};

	if (!tx) {
		return -EINVAL;
	}
	int rc = xs_request(XS_TRANSACTION_END, tx, &part, 1, NULL, 0, NULL);
	/* Any answer ends it (EAGAIN too); without one it may still be open. */
	if (rc != -ETIMEDOUT && rc != -EIO && rc != -ENODEV && rc != -EBUSY) {
		tx_track(tx, false);
	}
	return rc;
}

int xs_transaction_retry(int (*fn)(xs_tx_t tx, void *ctx), void *ctx)
{
	int rc = -EAGAIN;

	for (unsigned int i = 0; i < XS_TRANSACTION_TRIES && rc == -EAGAIN; i++) {
		xs_tx_t tx;
		rc = xs_transaction_start(&tx);
		if (rc) {
			return rc;
		}
		rc = fn(tx, ctx);
		if (rc) {
			/* The caller's error matters more than the abort's. */
			if (xs_transaction_end(tx, true)) {
				log_debug("abort of transaction %u failed\n", tx);
			}
			return rc;
		}
		/* -EAGAIN: someone else changed what we read; run it again. */
		rc = xs_transaction_end(tx, false);
	}
	return rc;
}

int xs_domid(uint32_t *domid)
{
	uint64_t v;
	int rc = xs_read_u64(0, "domid", &v);

	if (rc) {
		return rc;
	}
	/* DOMID_FIRST_RESERVED (0x7FF0) and above are not real domains. */
	if (v >= DOMID_SELF) {
		return -EINVAL;
	}
	*domid = (uint32_t)v;
	return 0;
}
