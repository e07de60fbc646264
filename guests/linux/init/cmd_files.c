/* Shell commands on files and mounts: echo, cat, ls, mkdir, mount, umount, cd, pwd. */
#include "commands.h"
#include "lib.h"
#include "syscalls.h"

/* Shared I/O buffer for cat and ls (PID 1 runs one command at a time). */
static char io_buf[4096] __attribute__((aligned(8)));

int cmd_echo(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (i > 1) out_char(' ');
        out_str(argv[i]);
    }
    out_char('\n');
    return 0;
}

int cmd_cat(int argc, char **argv) {
    int status = 0;
    if (argc < 2) {
        out_str("cat: usage: cat FILE...\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        long fd = sys_open(argv[i], O_RDONLY, 0);
        if (fd < 0) {
            out_error("cat", argv[i], fd);
            status = 1;
            continue;
        }
        for (;;) {
            long r = sys_read(fd, io_buf, sizeof io_buf);
            if (r == -EINTR) continue;
            if (r < 0) {
                out_error("cat", argv[i], r);
                status = 1;
            }
            if (r <= 0) break;
            out_mem(io_buf, (size_t)r);
        }
        sys_close(fd);
    }
    return status;
}

/* One directory, one name per line; directories end in '/', symbolic links in '@'. */
static int list_dir(const char *path, int all) {
    long fd = sys_open(path, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        out_error("ls", path, fd);
        return 1;
    }
    int status = 0;
    for (;;) {
        long n = sys_getdents64(fd, io_buf, sizeof io_buf);
        if (n < 0) {
            out_error("ls", path, n);
            status = 1;
        }
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(io_buf + off);
            off += d->d_reclen;
            if (d->d_name[0] == '.' && !all) continue;
            out_str(d->d_name);
            if (d->d_type == DT_DIR) out_char('/');
            else if (d->d_type == DT_LNK) out_char('@');
            out_char('\n');
        }
    }
    sys_close(fd);
    return status;
}

int cmd_ls(int argc, char **argv) {
    int all = 0, first = 1, status = 0, ndirs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-a") == 0) all = 1;
        else if (argv[i][0] == '-') {
            out_str("ls: unknown option ");
            out_str(argv[i]);
            out_str(" (only -a)\n");
            return 1;
        } else ndirs++;
    }
    if (ndirs == 0) return list_dir(".", all);
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        if (ndirs > 1) {
            if (!first) out_char('\n');
            out_str(argv[i]);
            out_str(":\n");
        }
        first = 0;
        status |= list_dir(argv[i], all);
    }
    return status;
}

int cmd_mkdir(int argc, char **argv) {
    int status = 0;
    if (argc < 2) {
        out_str("mkdir: usage: mkdir DIR...\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        long r = sys_mkdir(argv[i], 0755);
        if (r < 0) {
            out_error("mkdir", argv[i], r);
            status = 1;
        }
    }
    return status;
}

static long mount_fs(const char *type, const char *src, const char *dir) {
    return sys_mount(src, dir, type, 0, 0);
}

int cmd_mount(int argc, char **argv) {
    const char *type, *src, *dir;
    if (argc == 1) {
        long n = read_file("/proc/mounts", io_buf, sizeof io_buf);
        if (n < 0) {
            out_error("mount", "/proc/mounts", n);
            return 1;
        }
        out_mem(io_buf, (size_t)n);
        return 0;
    }
    if (argc == 3 && argv[1][0] != '-') {
        type = argv[1], src = argv[1], dir = argv[2];
    } else if (argc == 5 && strcmp(argv[1], "-t") == 0) {
        type = argv[2], src = argv[3], dir = argv[4];
    } else {
        out_str("mount: usage: mount | mount TYPE DIR | mount -t TYPE SOURCE DIR\n");
        return 1;
    }
    long r = mount_fs(type, src, dir);
    if (r < 0) {
        out_error("mount", dir, r);
        return 1;
    }
    return 0;
}

int cmd_umount(int argc, char **argv) {
    if (argc != 2) {
        out_str("umount: usage: umount DIR\n");
        return 1;
    }
    long r = sys_umount2(argv[1], 0);
    if (r < 0) {
        out_error("umount", argv[1], r);
        return 1;
    }
    return 0;
}

int cmd_cd(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/";
    long r = sys_chdir(dir);
    if (r < 0) {
        out_error("cd", dir, r);
        return 1;
    }
    return 0;
}

int cmd_pwd(int argc, char **argv) {
    (void)argc, (void)argv;
    long r = sys_getcwd(io_buf, sizeof io_buf);
    if (r < 0) {
        out_error("pwd", 0, r);
        return 1;
    }
    out_str(io_buf);
    out_char('\n');
    return 0;
}

void mount_defaults(void) {
    static const char *const table[][2] = {{"proc", "/proc"}, {"sysfs", "/sys"}};
    for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) {
        long r = sys_mkdir(table[i][1], 0755); /* present in the initramfs; harmless if so */
        (void)r;
        r = mount_fs(table[i][0], table[i][0], table[i][1]);
        if (r < 0) out_error("init: mount", table[i][1], r);
    }
}
