/* test <expression>, true, false: conditions for if, && and ||, with
 * U-Boot's semantics, which differ from sh's in places scripts rely on:
 * fewer than two arguments is false; operators are read left to right
 * with no precedence ("a -o b -a c" is "(a -o b) -a c"); `!` negates the
 * next primary; numbers are read as strtol with base 0 (0x hex, 0 octal,
 * decimal), stopping at the first other character. `test -e <iface>
 * <dev>[:<part>] <path>` is true if the file exists. */
#include <cmd/cmd.h>
#include <fs/fsload.h>
#include <fs/fs.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum test_op {
	OP_NOT,
	OP_OR,
	OP_AND,
	OP_EMPTY,
	OP_NOT_EMPTY,
	OP_EXISTS,
	OP_STR_EQ,
	OP_STR_NE,
	OP_STR_LT,
	OP_STR_GT,
	OP_NUM_EQ,
	OP_NUM_NE,
	OP_NUM_LT,
	OP_NUM_LE,
	OP_NUM_GT,
	OP_NUM_GE,
};

/* @at: where the operator word sits (1: between two operands); @span:
 * how many words the primary takes. Binary forms are tried first, so
 * `test -n = -n` compares two strings. */
static const struct {
	const char *name;
	uint8_t op, at, span;
} ops[] = {
    {"=", OP_STR_EQ, 1, 3},   {"!=", OP_STR_NE, 1, 3},	{"<", OP_STR_LT, 1, 3},
    {">", OP_STR_GT, 1, 3},   {"-eq", OP_NUM_EQ, 1, 3}, {"-ne", OP_NUM_NE, 1, 3},
    {"-lt", OP_NUM_LT, 1, 3}, {"-le", OP_NUM_LE, 1, 3}, {"-gt", OP_NUM_GT, 1, 3},
    {"-ge", OP_NUM_GE, 1, 3}, {"!", OP_NOT, 0, 1},	{"-o", OP_OR, 0, 1},
    {"-a", OP_AND, 0, 1},     {"-z", OP_EMPTY, 0, 2},	{"-n", OP_NOT_EMPTY, 0, 2},
    {"-e", OP_EXISTS, 0, 4},
};

/* strtol(s, NULL, 0) as U-Boot's simple_strtol: never an error. */
static int64_t test_num(const char *s)
{
	bool is_negative = *s == '-';
	unsigned int base = 10;
	uint64_t v = 0;

	s += is_negative;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (;; s++) {
		unsigned int d = *s >= '0' && *s <= '9'	  ? (unsigned int)(*s - '0')
				 : *s >= 'a' && *s <= 'f' ? (unsigned int)(*s - 'a' + 10)
				 : *s >= 'A' && *s <= 'F' ? (unsigned int)(*s - 'A' + 10)
							  : 99;
		if (d >= base) {
			break;
		}
		v = v * base + d;
	}
	return (int64_t)(is_negative ? 0 - v : v); /* wraps as U-Boot's long does */
}

static bool file_exists(char *iface, char *spec, const char *path)
{
	struct fs *fs;
	uint64_t size;

	return fsload_mount("test", iface, spec, &fs) == 0 && fs_size(fs, path, &size) == 0;
}

static bool primary(enum test_op op, char *const *ap)
{
	int c = op >= OP_STR_EQ && op <= OP_STR_GT ? strcmp(ap[0], ap[2]) : 0;
	int64_t a = op >= OP_NUM_EQ ? test_num(ap[0]) : 0;
	int64_t b = op >= OP_NUM_EQ ? test_num(ap[2]) : 0;

	switch (op) {
	case OP_EMPTY:
		return ap[1][0] == '\0';
	case OP_NOT_EMPTY:
		return ap[1][0] != '\0';
	case OP_EXISTS:
		return file_exists(ap[1], ap[2], ap[3]);
	case OP_STR_EQ:
		return c == 0;
	case OP_STR_NE:
		return c != 0;
	case OP_STR_LT:
		return c < 0;
	case OP_STR_GT:
		return c > 0;
	case OP_NUM_EQ:
		return a == b;
	case OP_NUM_NE:
		return a != b;
	case OP_NUM_LT:
		return a < b;
	case OP_NUM_LE:
		return a <= b;
	case OP_NUM_GT:
		return a > b;
	case OP_NUM_GE:
		return a >= b;
	default:
		return false;
	}
}

/* The operator at ap[0..left), or -1 (then the expression is false). */
static int find_op(char *const *ap, int left)
{
	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (left > ops[i].at && strcmp(ap[ops[i].at], ops[i].name) == 0) {
			return left >= ops[i].span ? (int)i : -1;
		}
	}
	return -1;
}

static int do_test(int argc, char *argv[])
{
	bool expr = false, last = false, is_negated = false;
	int pending = -1; /* OP_OR / OP_AND waiting for its right side */

	if (argc < 3) {
		return CMD_RET_FAILURE;
	}
	for (char *const *ap = argv + 1; ap < argv + argc;) {
		int i = find_op(ap, (int)(argv + argc - ap));
		if (i < 0) {
			return CMD_RET_FAILURE;
		}
		enum test_op op = ops[i].op;
		if (op == OP_NOT) {
			is_negated = !is_negated;
		} else if (op == OP_OR || op == OP_AND) {
			last = expr;
			pending = op;
		} else {
			expr = primary(op, ap) != is_negated;
			is_negated = false;
			if (pending == OP_OR) {
				expr = last || expr;
			} else if (pending == OP_AND) {
				expr = last && expr;
			}
			pending = -1;
		}
		ap += ops[i].span;
	}
	return expr ? 0 : CMD_RET_FAILURE;
}

static int do_true(int argc, char *argv[])
{
	return 0;
}

static int do_false(int argc, char *argv[])
{
	return CMD_RET_FAILURE;
}

const struct cmd cmd_test = {
    .name = "test",
    .usage = "<expression>",
    .help = "check a condition: -n -z = != -eq -ne -lt -gt -le -ge ! -a -o, -e <if> <dev> <path>",
    .run = do_test,
};

const struct cmd cmd_true = {
    .name = "true",
    .usage = "",
    .help = "do nothing, successfully",
    .run = do_true,
};

const struct cmd cmd_false = {
    .name = "false",
    .usage = "",
    .help = "do nothing, unsuccessfully",
    .run = do_false,
};
