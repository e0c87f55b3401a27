/* XenBus frontend side (public/io/xenbus.h; xen-abi.md §6). Devices are
 * found under ~/device/<type>/<id>; the toolstack writes there where the
 * backend lives. Everything read from XenStore is the toolstack's or the
 * backend's word, so it is checked before it becomes a path or a number.
 * Backend state changes are waited for with a watch (not by polling the
 * node every millisecond, as U-Boot does), and every wait has a deadline. */
#define LOG_PREFIX "xenbus: "
#include <arch/arch.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <lib/parse.h>
#include <lib/printf.h>
#include <lib/units.h>
#include <string.h>
#include <xen/xenbus.h>
#include <xen/xs.h>

#define STATE_SUFFIX "/state"
/* Longest id we accept under device/<type>/ ("51712", "768", "0"). */
#define XENBUS_ID_MAX 16

static unsigned int token_serial;

static const char *const state_names[] = {
    "Unknown", "Initialising", "InitWait",	"Initialised",	"Connected",
    "Closing", "Closed",       "Reconfiguring", "Reconfigured",
};

const char *xenbus_state_name(enum xenbus_state state)
{
	return (unsigned int)state < ARRAY_SIZE(state_names) ? state_names[state] : "?";
}

/* Printable ASCII without spaces: safe to print and to use in a path. */
static bool is_path_text(const char *s)
{
	for (; *s; s++) {
		if (*s <= 0x20 || *s >= 0x7f) {
			return false;
		}
	}
	return true;
}

static bool is_id_text(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= XENBUS_ID_MAX) {
		return false;
	}
	for (; *s; s++) {
		bool ok = (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
			  (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '_';
		if (!ok) {
			return false;
		}
	}
	return true;
}

/* The first bytes of peer text, for printing with %pE (STYLE G3). */
struct shown {
	char text[33];
};

static const char *shown(struct shown *sh, const char *s)
{
	size_t n = strnlen(s, sizeof(sh->text) - 1);

	memcpy(sh->text, s, n);
	sh->text[n] = '\0';
	return sh->text;
}

/* "@dir/@leaf" into @buf, or -ENAMETOOLONG. */
static int path_join(char *buf, size_t size, const char *dir, const char *leaf)
{
	int n = xb_snprintf(buf, size, "%s/%s", dir, leaf);

	return (n < 0 || (size_t)n >= size) ? -ENAMETOOLONG : 0;
}

int xenbus_enumerate(const char *type, char *buf, size_t size, unsigned int *count)
{
	char dir[XENBUS_PATH_MAX];
	unsigned int n;

	*count = 0;
	if (!is_id_text(type) || path_join(dir, sizeof(dir), "device", type)) {
		return -EINVAL;
	}
	int rc = xs_directory(0, dir, buf, size, &n);
	if (rc == -ENOENT) {
		return 0; /* no devices of this type */
	}
	if (rc) {
		return rc;
	}
	/* Keep the names that can be ours; drop (and report) the rest. */
	size_t out = 0;
	const char *p = buf;
	for (unsigned int i = 0; i < n; i++, p += strlen(p) + 1) {
		size_t len = strlen(p);
		if (!is_id_text(p)) {
			struct shown sh;
			log_notice("ignoring device/%s/%pE: not a device id\n", type,
				   shown(&sh, p));
			continue;
		}
		memmove(buf + out, p, len + 1);
		out += len + 1;
		(*count)++;
	}
	return 0;
}

int xenbus_read_u64(const char *dir, const char *key, uint64_t dflt, uint64_t *out)
{
	char path[XENBUS_PATH_MAX + 32];
	int rc = path_join(path, sizeof(path), dir, key);

	rc = rc ? rc : xs_read_u64(0, path, out);
	if (rc == -ENOENT) {
		*out = dflt;
		return 0;
	}
	return rc;
}

/* backend and backend-id of @dev->nodename, validated. */
static int read_otherend(struct xenbus_device *dev)
{
	char path[XENBUS_PATH_MAX];
	uint64_t id;
	int rc = path_join(path, sizeof(path), dev->nodename, "backend");

	if (!rc) {
		rc = xs_read(0, path, dev->otherend, sizeof(dev->otherend));
	}
	if (rc) {
		return rc == -E2BIG ? -EINVAL : rc;
	}
	/* The state path is built from it later, so it must fit with room. */
	size_t len = strlen(dev->otherend);
	if (dev->otherend[0] != '/' || len + sizeof(STATE_SUFFIX) > sizeof(dev->otherend) ||
	    !is_path_text(dev->otherend)) {
		struct shown sh;
		log_notice("%s: bad backend path '%pE'\n", dev->nodename,
			   shown(&sh, dev->otherend));
		return -EINVAL;
	}
	rc = path_join(path, sizeof(path), dev->nodename, "backend-id");
	if (!rc) {
		rc = xs_read_u64(0, path, &id);
	}
	if (rc == -EINVAL || (!rc && id >= DOMID_SELF)) {
		log_notice("%s: bad backend-id\n", dev->nodename);
		return -EINVAL;
	}
	if (rc) {
		return rc;
	}
	dev->otherend_id = (domid_t)id;
	return 0;
}

int xenbus_device_init(struct xenbus_device *dev, const char *nodename)
{
	char path[XENBUS_PATH_MAX];

	memset(dev, 0, sizeof(*dev));
	if (!nodename || strlen(nodename) + sizeof(STATE_SUFFIX) > sizeof(dev->nodename) ||
	    !is_path_text(nodename)) {
		return -EINVAL;
	}
	strcpy(dev->nodename, nodename);
	int rc = read_otherend(dev);
	if (rc) {
		return rc;
	}
	/* Tokens are unique per watch, so events of two devices never mix. */
	xb_snprintf(dev->watch_token, sizeof(dev->watch_token), "xenbus%u", ++token_serial);
	rc = path_join(path, sizeof(path), dev->otherend, "state");
	if (!rc) {
		rc = xs_watch(path, dev->watch_token);
	}
	if (rc) {
		dev->watch_token[0] = '\0';
		return rc;
	}
	return 0;
}

/* Only write the state of a device that still exists: a removed device
 * directory must not be re-created by a late write. */
struct switch_ctx {
	const char *path;
	enum xenbus_state state;
};

static int switch_in_tx(xs_tx_t tx, void *arg)
{
	const struct switch_ctx *c = arg;
	char old[XS_NUM_TEXT_MAX];
	int rc = xs_read(tx, c->path, old, sizeof(old));

	if (rc == -ENOENT) {
		return -ENODEV;
	}
	if (rc && rc != -E2BIG) {
		return rc;
	}
	return xs_printf(tx, c->path, "%u", (unsigned int)c->state);
}

int xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state state)
{
	char path[XENBUS_PATH_MAX];
	int rc = path_join(path, sizeof(path), dev->nodename, "state");

	if (rc) {
		return rc;
	}
	struct switch_ctx c = {path, state};
	rc = xs_transaction_retry(switch_in_tx, &c);
	if (rc) {
		log_warn("%s: switching to %s failed: %s\n", dev->nodename,
			 xenbus_state_name(state), errno_name(rc));
	}
	return rc;
}

int xenbus_read_otherend_state(struct xenbus_device *dev, enum xenbus_state *state)
{
	char path[XENBUS_PATH_MAX];
	char buf[XS_NUM_TEXT_MAX];
	uint64_t v;
	int rc = path_join(path, sizeof(path), dev->otherend, "state");

	if (!rc) {
		rc = xs_read(0, path, buf, sizeof(buf));
	}
	/* A backend that went away has no state node: Unknown, as in Linux. */
	if (rc == -ENOENT) {
		*state = XenbusStateUnknown;
		return 0;
	}
	if (rc && rc != -E2BIG) {
		return rc;
	}
	if (rc || parse_u64(buf, 10, &v) || v > XenbusStateReconfigured) {
		if (!dev->has_noticed) {
			struct shown sh;
			log_notice("%s: backend state '%pE' is not a state: Unknown\n",
				   dev->nodename, shown(&sh, rc ? "(too long)" : buf));
			dev->has_noticed = true;
		}
		*state = XenbusStateUnknown;
		return 0;
	}
	*state = (enum xenbus_state)v;
	return 0;
}

int xenbus_wait_otherend(struct xenbus_device *dev, uint32_t state_mask, unsigned int timeout_ms,
			 enum xenbus_state *state)
{
	uint64_t deadline = arch_time_ns() + timeout_ms * NS_PER_MS;

	if (!dev->watch_token[0]) {
		return -EINVAL;
	}
	for (;;) {
		/* Read first: the change may have happened before the watch
		 * event we would otherwise wait for. */
		int rc = xenbus_read_otherend_state(dev, state);
		if (rc) {
			return rc;
		}
		if (state_mask & (1U << *state)) {
			return 0;
		}
		/* Checked here too: a backend that keeps writing under its
		 * path makes xs_wait_watch() return at once, every time. */
		rc = arch_time_ns() >= deadline ? -ETIMEDOUT
						: xs_wait_watch(dev->watch_token, deadline);
		if (rc == -ETIMEDOUT) {
			log_notice("%s: backend stayed %s for %u ms\n", dev->nodename,
				   xenbus_state_name(*state), timeout_ms);
			return rc;
		}
		if (rc) {
			return rc;
		}
	}
}

/* Teardown: one step of the sequence, within the overall deadline. */
static int teardown_step(struct xenbus_device *dev, enum xenbus_state ours, uint32_t want,
			 uint64_t deadline)
{
	enum xenbus_state st;
	int rc = xenbus_switch_state(dev, ours);

	if (rc) {
		return rc;
	}
	uint64_t now = arch_time_ns();
	unsigned int left_ms = now < deadline ? (unsigned int)((deadline - now) / NS_PER_MS) : 0;
	return xenbus_wait_otherend(dev, want, left_ms, &st);
}

int xenbus_close(struct xenbus_device *dev, unsigned int timeout_ms)
{
	uint64_t deadline = arch_time_ns() + timeout_ms * NS_PER_MS;
	const uint32_t closing = 1U << XenbusStateClosing | 1U << XenbusStateClosed;
	int rc = teardown_step(dev, XenbusStateClosing, closing, deadline);

	return rc ? rc : teardown_step(dev, XenbusStateClosed, 1U << XenbusStateClosed, deadline);
}

int xenbus_reopen(struct xenbus_device *dev, unsigned int timeout_ms)
{
	uint64_t deadline = arch_time_ns() + timeout_ms * NS_PER_MS;

	return teardown_step(dev, XenbusStateInitialising, 1U << XenbusStateInitWait, deadline);
}

int xenbus_teardown(struct xenbus_device *dev, unsigned int timeout_ms)
{
	/* Closing -> Closed -> Initialising, leaving the backend in InitWait
	 * so the OS's frontend can connect again (xen-abi.md §6). */
	int rc = xenbus_close(dev, timeout_ms);

	return rc ? rc : xenbus_reopen(dev, timeout_ms);
}

void xenbus_device_release(struct xenbus_device *dev)
{
	char path[XENBUS_PATH_MAX];

	if (!dev->watch_token[0]) {
		return;
	}
	if (!path_join(path, sizeof(path), dev->otherend, "state")) {
		(void)xs_unwatch(path, dev->watch_token);
	}
	dev->watch_token[0] = '\0';
}
