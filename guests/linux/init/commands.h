/* The shell's built-in commands: each takes argc/argv (argv[0] is the command name), prints its
   own one-line error on failure and returns 0 or 1. */
#ifndef SHIKIRI_COMMANDS_H
#define SHIKIRI_COMMANDS_H

/* cmd_files.c: files and mounts. */
int cmd_echo(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_mkdir(int argc, char **argv);
int cmd_mount(int argc, char **argv);
int cmd_umount(int argc, char **argv);
int cmd_cd(int argc, char **argv);
int cmd_pwd(int argc, char **argv);

/* cmd_system.c: kernel and process information, time, power. */
int cmd_uname(int argc, char **argv);
int cmd_uptime(int argc, char **argv);
int cmd_free(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_sleep(int argc, char **argv);
int cmd_poweroff(int argc, char **argv);
int cmd_reboot(int argc, char **argv);

/* cmd_stress.c: load generators for isolation tests. */
int cmd_stress(int argc, char **argv);

/* shell.c */
int cmd_help(int argc, char **argv);

/* Mount proc on /proc and sysfs on /sys (at start); prints a line per failure. */
void mount_defaults(void);

#endif
