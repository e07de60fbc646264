/* Shikiri's /init: PID 1 of the Linux guest, a small shell on /dev/console.
 *
 * Entry from the kernel (_start) with the i386 process stack: argc, argv[], envp[], auxv.
 * Prints the banner line "Shikiri Linux init", mounts /proc and /sys, then loops forever on the
 * prompt "shikiri# " (tests wait for exactly that string). PID 1 must never exit: the kernel
 * panics if it does, so every path returns to the prompt.
 */
#include "commands.h"
#include "console.h"
#include "lib.h"
#include "syscalls.h"

#define PROMPT "shikiri# "
#define MAX_ARGS 16

/* Stack at entry: [esp] = argc, then argv... Align to 16 bytes as the i386 ABI expects at a call
   (esp + 4 aligned on entry to the callee) and pass the original stack pointer. */
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "    xorl %ebp, %ebp\n"
        "    movl %esp, %eax\n"
        "    andl $-16, %esp\n"
        "    subl $12, %esp\n"
        "    pushl %eax\n"
        "    call init_main\n"
        "1:  jmp 1b\n");

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
};

static const struct command commands[] = {
    {"help", cmd_help, "help                      this list"},
    {"echo", cmd_echo, "echo [WORD...]            print the words"},
    {"cat", cmd_cat, "cat FILE...               print files"},
    {"ls", cmd_ls, "ls [-a] [DIR...]          list directories (dir/, link@)"},
    {"mkdir", cmd_mkdir, "mkdir DIR...              create directories"},
    {"mount", cmd_mount, "mount [TYPE DIR | -t TYPE SRC DIR]  show or add mounts (proc, sysfs, ramfs)"},
    {"umount", cmd_umount, "umount DIR                detach a mount"},
    {"cd", cmd_cd, "cd [DIR]                  change directory (default /)"},
    {"pwd", cmd_pwd, "pwd                       print the current directory"},
    {"uname", cmd_uname, "uname [-asnrvm]           kernel name and version"},
    {"uptime", cmd_uptime, "uptime                    time since boot and load averages"},
    {"free", cmd_free, "free                      memory use from /proc/meminfo (KiB)"},
    {"ps", cmd_ps, "ps                        processes from /proc/<pid>/stat"},
    {"dmesg", cmd_dmesg, "dmesg                     kernel log (syslog)"},
    {"sleep", cmd_sleep, "sleep SECONDS             wait (fractions allowed: 0.5)"},
    {"stress", cmd_stress, "stress cpu|mem|syscall|fork SECONDS [KIB]  generate load"},
    {"poweroff", cmd_poweroff, "poweroff                  halt the machine (reboot(2) POWER_OFF)"},
    {"reboot", cmd_reboot, "reboot                    restart the machine (reboot(2) RESTART)"},
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

int cmd_help(int argc, char **argv) {
    (void)argc, (void)argv;
    out_str("Commands:\n");
    for (int i = 0; i < NCOMMANDS; i++) {
        out_str("  ");
        out_str(commands[i].usage);
        out_char('\n');
    }
    return 0;
}

/* Split `line` in place into words; "..." and '...' group words with spaces. Returns the count,
   or -1 for an unterminated quote or too many words. */
static int split_words(char *line, char **argv) {
    int argc = 0;
    char *p = line;
    for (;;) {
        while (is_space(*p)) p++;
        if (!*p) return argc;
        if (argc == MAX_ARGS) return -1;
        char *w = p, *d = p;
        argv[argc++] = w;
        while (*p && !is_space(*p)) {
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                while (*p && *p != q) *d++ = *p++;
                if (!*p) return -1;
                p++;
            } else {
                *d++ = *p++;
            }
        }
        if (*p) p++;
        *d = 0;
    }
}

/* Collect any exited children (stress fork leftovers, orphans re-parented to PID 1). */
static void reap_children(void) {
    int status;
    while (sys_wait4(-1, &status, WNOHANG) > 0) {
    }
}

static void run_line(char *line) {
    char *argv[MAX_ARGS + 1];
    int argc = split_words(line, argv);
    if (argc < 0) {
        out_str("shell: unterminated quote or more than 16 words\n");
        return;
    }
    if (argc == 0) return;
    argv[argc] = 0;
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[0], commands[i].name) == 0) {
            commands[i].run(argc, argv);
            return;
        }
    }
    out_str(argv[0]);
    out_str(": unknown command (try help)\n");
}

void init_main(unsigned int *stack) {
    (void)stack;
    static char line[LINE_MAX];
    long r = console_raw();
    out_str("Shikiri Linux init\n");
    if (r < 0) out_error("init", "console line editing", r);
    mount_defaults();
    for (;;) {
        console_read_line(PROMPT, line);
        run_line(line);
        out_flush();
        reap_children();
    }
}
