/* The shell's terminal: /dev/console (fd 0/1/2, opened by the kernel for PID 1) switched to
   non-canonical mode, with line editing done here. */
#ifndef SHIKIRI_CONSOLE_H
#define SHIKIRI_CONSOLE_H
#include "lib.h"

#define LINE_MAX 256

/* Switch the console to character-at-a-time input without kernel echo. Returns 0 or -errno
   (then the kernel's canonical mode stays in effect and editing still mostly works). */
long console_raw(void);
/* Print `prompt`, read one edited line (without its terminator) into `line`; returns its length. */
int console_read_line(const char *prompt, char *line);

#endif
