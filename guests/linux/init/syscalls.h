/* Linux i386 system calls through `int $0x80`, with the numbers and structures /init uses. */
#ifndef SHIKIRI_SYSCALLS_H
#define SHIKIRI_SYSCALLS_H

/* Numbers from arch/x86/entry/syscalls/syscall_32.tbl (Linux 6.1). */
#define SYS_exit 1
#define SYS_fork 2
#define SYS_read 3
#define SYS_write 4
#define SYS_open 5
#define SYS_close 6
#define SYS_chdir 12
#define SYS_getpid 20
#define SYS_mount 21
#define SYS_mkdir 39
#define SYS_brk 45
#define SYS_umount2 52
#define SYS_ioctl 54
#define SYS_getppid 64
#define SYS_reboot 88
#define SYS_syslog 103
#define SYS_wait4 114
#define SYS_sysinfo 116
#define SYS_uname 122 /* newuname: struct new_utsname */
#define SYS_getcwd 183
#define SYS_getdents64 220
/* 64-bit time variants: always present on 32-bit kernels, unlike nanosleep (COMPAT_32BIT_TIME),
   and served by kernel/time/posix-stubs.c when POSIX_TIMERS is off (tinyconfig). */
#define SYS_clock_gettime64 403
#define SYS_clock_nanosleep_time64 407

/* open(2) flags (asm-generic/fcntl.h). */
#define O_RDONLY 0
#define O_DIRECTORY 0200000

/* Errno values the shell names (asm-generic/errno-base.h). */
#define ENOENT 2
#define EINTR 4
#define EAGAIN 11
#define ECHILD 10

/* wait4 options. */
#define WNOHANG 1

/* reboot(2) (include/uapi/linux/reboot.h). */
#define LINUX_REBOOT_MAGIC1 0xfee1deadu
#define LINUX_REBOOT_MAGIC2 672274793u
#define LINUX_REBOOT_CMD_RESTART 0x01234567u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcu

/* syslog(2) actions (include/linux/syslog.h). */
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* Clocks. */
#define CLOCK_MONOTONIC 1

/* Terminal ioctls and struct termios as the i386 kernel sees it (asm-generic/termbits.h). */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define NCCS 19
struct kernel_termios {
    unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line;
    unsigned char c_cc[NCCS];
};
#define ICRNL 0000400u /* c_iflag: CR -> NL on input */
#define INLCR 0000100u
#define IGNCR 0000200u
#define ISIG 0000001u /* c_lflag */
#define ICANON 0000002u
#define ECHO 0000010u
#define ECHONL 0000100u
#define IEXTEN 0100000u
#define VTIME 5
#define VMIN 6

/* Directory records from getdents64 (include/linux/dirent.h). */
struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};
#define DT_DIR 4
#define DT_LNK 10

struct timespec64 {
    long long tv_sec;
    long long tv_nsec;
};

struct new_utsname {
    char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

/* struct sysinfo for a 32-bit kernel (include/uapi/linux/sysinfo.h). */
struct sysinfo {
    long uptime;
    unsigned long loads[3]; /* 1, 5, 15 min load averages, fixed point with 16 fraction bits */
    unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long totalhigh, freehigh;
    unsigned int mem_unit;
    char reserved[8];
};

/* Raw calls: EAX = number, arguments in EBX, ECX, EDX, ESI, EDI; the result (or -errno) in EAX. */
static inline long syscall0(long n) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "0"(n) : "memory");
    return r;
}
static inline long syscall1(long n, long a) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "0"(n), "b"(a) : "memory");
    return r;
}
static inline long syscall2(long n, long a, long b) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "0"(n), "b"(a), "c"(b) : "memory");
    return r;
}
static inline long syscall3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "0"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}
static inline long syscall4(long n, long a, long b, long c, long d) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "0"(n), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
    return r;
}
static inline long syscall5(long n, long a, long b, long c, long d, long e) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "0"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e) : "memory");
    return r;
}

#define sys_exit(code) syscall1(SYS_exit, (code))
#define sys_fork() syscall0(SYS_fork)
#define sys_read(fd, buf, n) syscall3(SYS_read, (fd), (long)(buf), (n))
#define sys_write(fd, buf, n) syscall3(SYS_write, (fd), (long)(buf), (n))
#define sys_open(path, flags, mode) syscall3(SYS_open, (long)(path), (flags), (mode))
#define sys_close(fd) syscall1(SYS_close, (fd))
#define sys_chdir(path) syscall1(SYS_chdir, (long)(path))
#define sys_getpid() syscall0(SYS_getpid)
#define sys_getppid() syscall0(SYS_getppid)
#define sys_mount(src, dir, type, flags, data) \
    syscall5(SYS_mount, (long)(src), (long)(dir), (long)(type), (flags), (long)(data))
#define sys_umount2(dir, flags) syscall2(SYS_umount2, (long)(dir), (flags))
#define sys_mkdir(path, mode) syscall2(SYS_mkdir, (long)(path), (mode))
#define sys_brk(addr) syscall1(SYS_brk, (long)(addr))
#define sys_ioctl(fd, req, arg) syscall3(SYS_ioctl, (fd), (req), (long)(arg))
#define sys_reboot(cmd) syscall4(SYS_reboot, (long)LINUX_REBOOT_MAGIC1, (long)LINUX_REBOOT_MAGIC2, (long)(cmd), 0)
#define sys_syslog(type, buf, len) syscall3(SYS_syslog, (type), (long)(buf), (len))
#define sys_wait4(pid, status, options) syscall4(SYS_wait4, (pid), (long)(status), (options), 0)
#define sys_sysinfo(info) syscall1(SYS_sysinfo, (long)(info))
#define sys_uname(buf) syscall1(SYS_uname, (long)(buf))
#define sys_getcwd(buf, size) syscall2(SYS_getcwd, (long)(buf), (size))
#define sys_getdents64(fd, buf, size) syscall3(SYS_getdents64, (fd), (long)(buf), (size))
#define sys_clock_gettime64(clk, ts) syscall2(SYS_clock_gettime64, (clk), (long)(ts))
#define sys_clock_nanosleep64(clk, flags, req, rem) \
    syscall4(SYS_clock_nanosleep_time64, (clk), (flags), (long)(req), (long)(rem))

#endif
