/* The environment: named string variables, as in U-Boot (filesize,
 * bootargs, kernel_addr_r...). The shell expands $name and ${name}. */
#ifndef LIB_ENV_H
#define LIB_ENV_H

#include <lib/compiler.h>
#include <stddef.h>
#include <stdint.h>

#define ENV_NAME_MAX 64
#define ENV_VALUE_MAX 1024
#define ENV_COUNT_MAX 128

/** env_get() - the value of @name, or NULL. The pointer is valid until the next env_set(). */
const char *env_get(const char *name);

/**
 * env_set() - set @name to @value (copied), or delete it when @value is NULL
 * or empty. Returns 0, -EINVAL (bad name), -E2BIG (too long), -ENOSPC, -ENOMEM.
 */
int __must_check env_set(const char *name, const char *value);
int __must_check env_set_u64(const char *name, uint64_t value);

/** env_name_is_valid() - letters, digits and '_', not starting with a digit. */
int env_name_is_valid(const char *name, size_t len);

/** env_clear() - delete every variable. */
void env_clear(void);

/** env_count(), env_at() - iterate, sorted by name. */
unsigned int env_count(void);
void env_at(unsigned int i, const char **name, const char **value);

/**
 * env_expand() - copy @in to @out replacing $name and ${name} outside single
 * quotes. Returns 0 or -E2BIG if @out (size @size) is too small.
 */
int __must_check env_expand(const char *in, char *out, size_t size);

#endif
