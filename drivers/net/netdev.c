/* The network device list and the checks every driver call passes
 * (include/drivers/netdev.h). */
#define LOG_PREFIX "net: "
#include <drivers/netdev.h>
#include <lib/errno.h>
#include <lib/log.h>
#include <string.h>

static struct netdev *netdev_list;

int netdev_register(struct netdev *dev)
{
	struct netdev **tail = &netdev_list;
	unsigned int index = 0;

	if (!dev->ops || !dev->ops->send || !dev->ops->poll || !dev->ops->wait) {
		return -EINVAL;
	}
	for (; *tail; tail = &(*tail)->next, index++) {
		if (*tail == dev) {
			return -EEXIST;
		}
	}
	dev->index = index;
	dev->next = NULL;
	*tail = dev;
	return 0;
}

void netdev_unregister(struct netdev *dev)
{
	unsigned int index = 0;

	for (struct netdev **p = &netdev_list; *p;) {
		if (*p == dev) {
			*p = dev->next;
			dev->next = NULL;
			continue;
		}
		(*p)->index = index++;
		p = &(*p)->next;
	}
}

struct netdev *netdev_get(unsigned int index)
{
	struct netdev *dev = netdev_list;

	while (dev && dev->index != index) {
		dev = dev->next;
	}
	return dev;
}

struct netdev *netdev_find(const char *name)
{
	for (struct netdev *dev = netdev_list; dev; dev = dev->next) {
		if (strcmp(dev->name, name) == 0) {
			return dev;
		}
	}
	return NULL;
}

unsigned int netdev_count(void)
{
	unsigned int n = 0;

	for (struct netdev *dev = netdev_list; dev; dev = dev->next) {
		n++;
	}
	return n;
}

void netdev_mark_broken(struct netdev *dev, const char *why)
{
	if (!dev->is_broken) {
		dev->is_broken = true;
		log_notice("%s: %s; the device is not used again\n", dev->name, why);
	}
}

int netdev_send(struct netdev *dev, const void *frame, size_t len)
{
	if (dev->is_broken) {
		return -EIO;
	}
	if (len < 14 || len > NETDEV_FRAME_MAX) {
		return -EINVAL;
	}
	return dev->ops->send(dev, frame, len);
}

int netdev_poll(struct netdev *dev, void *buf, size_t size, size_t *len)
{
	if (dev->is_broken) {
		return -EIO;
	}
	if (size < NETDEV_FRAME_MAX) {
		return -EINVAL;
	}
	return dev->ops->poll(dev, buf, size, len);
}

void netdev_wait(struct netdev *dev, uint64_t deadline_ns)
{
	dev->ops->wait(dev, deadline_ns);
}
