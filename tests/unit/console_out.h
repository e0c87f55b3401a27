/* What the shell tests read back from the simulated PV console: the output
 * since the last sim_console_output_clear(), with the console's "\r\n"
 * turned back into "\n". Include after <cmocka.h>. */
#ifndef TESTS_UNIT_CONSOLE_OUT_H
#define TESTS_UNIT_CONSOLE_OUT_H

#include <sim/console.h>
#include <stddef.h>
#include <string.h>

static const char *out(void)
{
	static char text[1 << 16];
	const char *raw = sim_console_output(NULL);
	size_t n = 0;

	for (; *raw && n + 1 < sizeof(text); raw++) {
		if (raw[0] != '\r' || raw[1] != '\n') {
			text[n++] = *raw;
		}
	}
	text[n] = '\0';
	return text;
}

static void assert_out_has(const char *text)
{
	if (!strstr(out(), text)) {
		fail_msg("output lacks \"%s\":\n%s", text, out());
	}
}

#endif
