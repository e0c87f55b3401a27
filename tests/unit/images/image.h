/* Helpers for the disk and filesystem unit tests (host only): build a disk
 * image with mkimg.sh under the test binary's directory (that is, in $(O),
 * never the source tree), load it into memory, and compare file contents
 * with the host copies the image was built from. */
#ifndef TESTS_UNIT_IMAGES_IMAGE_H
#define TESTS_UNIT_IMAGES_IMAGE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char img_dir[1024];

/* Images go to <dir of argv[0]>/images. */
static inline void img_init(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	size_t len = slash ? (size_t)(slash - argv0) : 1;

	snprintf(img_dir, sizeof(img_dir), "%.*s/images", (int)len, slash ? argv0 : ".");
}

static inline uint8_t *img_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len ? (size_t)len : 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)len;
	return buf;
}

static inline int img_write_file(const char *path, const void *buf, size_t size)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f) {
		return -1;
	}
	ok = fwrite(buf, 1, size, f) == size;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Build (once) and load image @kind; the path goes to @path if non-NULL. */
static inline uint8_t *img_load(const char *kind, size_t *size, char *path, size_t path_size)
{
	char cmd[2048], p[1024] = "";
	FILE *f;

	snprintf(cmd, sizeof(cmd), "tests/unit/images/mkimg.sh '%s' '%s'", img_dir, kind);
	f = popen(cmd, "r");
	if (!f) {
		return NULL;
	}
	if (!fgets(p, sizeof(p), f)) {
		p[0] = '\0';
	}
	if (pclose(f) != 0 || !p[0]) {
		fprintf(stderr, "image %s: mkimg.sh failed\n", kind);
		return NULL;
	}
	p[strcspn(p, "\n")] = '\0';
	if (path) {
		snprintf(path, path_size, "%s", p);
	}
	return img_read_file(p, size);
}

/* A file of the host tree the images were populated from. */
static inline uint8_t *img_src(const char *tree, const char *rel, size_t *size)
{
	char p[2048];

	snprintf(p, sizeof(p), "%s/%s/%s", img_dir, tree, rel);
	return img_read_file(p, size);
}

#endif
