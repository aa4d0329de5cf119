//! Docker's default seccomp profile (moby `profiles/seccomp/default.json`) as a [`Profile`],
//! specialised for one architecture and one capability set, the way Docker resolves its
//! `includes` / `excludes` before handing the profile to the runtime.
//!
//! Left out: the 32-bit sub-architectures (i386, x32, arm) — their calls are killed by the arch
//! check; `minKernel` (the kernel is assumed >= 4.8, so ptrace & co. are allowed); s390, ppc64le,
//! mips and riscv entries. `socket(AF_VSOCK)` is refused exactly as Docker does (rule below).

use super::profile::{Action, Op, Profile, Rule};
use super::syscalls::Arch;

const EPERM: u16 = 1;
const ENOSYS: u16 = 38;
const AF_VSOCK: u64 = 40;
/// CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET.
pub const CLONE_NAMESPACE_MASK: u64 = 0x7E02_0000;

/// Unconditionally allowed on every architecture (names unknown on an arch are skipped).
pub const ALLOWED: &[&str] = &[
    "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "capget", "capset", "chdir", "chmod",
    "chown", "chown32", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
    "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range",
    "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
    "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
    "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64",
    "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown", "fchown32", "fchownat", "fcntl",
    "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat",
    "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex", "futex_time64",
    "futex_waitv", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "getegid32", "geteuid",
    "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid",
    "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid", "getresgid32", "getresuid",
    "getresuid32", "getrlimit", "get_robust_list", "getrusage", "getsid", "getsockname", "getsockopt",
    "get_thread_area", "gettid", "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch",
    "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents",
    "io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup", "io_submit",
    "io_uring_enter", "io_uring_register", "io_uring_setup", "ipc", "kill", "landlock_add_rule",
    "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link", "linkat",
    "listen", "listxattr", "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64",
    "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat",
    "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify", "mq_open",
    "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap",
    "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at",
    "nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2", "pause", "pidfd_open",
    "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll",
    "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6",
    "pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv",
    "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "rename",
    "renameat", "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
    "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
    "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr", "sched_getparam",
    "sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
    "sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler",
    "sched_yield", "seccomp", "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send",
    "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsgid32", "setfsuid",
    "setfsuid32", "setgid", "setgid32", "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority",
    "setregid", "setregid32", "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
    "setrlimit", "set_robust_list", "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid",
    "setuid32", "setxattr", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd",
    "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair", "splice", "stat", "stat64", "statfs",
    "statfs64", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill",
    "time", "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64",
    "timer_settime", "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
    "timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask",
    "uname", "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice",
    "wait4", "waitid", "waitpid", "write", "writev",
    // minKernel 4.8 (assumed):
    "process_vm_readv", "process_vm_writev", "ptrace",
];

/// Allowed when the container holds capability `cap` (numbers as in `crate::caps`).
const BY_CAP: &[(u32, &[&str])] = &[
    (2, &["open_by_handle_at"]), // CAP_DAC_READ_SEARCH
    (
        21, // CAP_SYS_ADMIN
        &[
            "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
            "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd",
            "setdomainname", "sethostname", "setns", "syslog", "umount", "umount2", "unshare",
        ],
    ),
    (22, &["reboot"]),                                           // CAP_SYS_BOOT
    (18, &["chroot"]),                                           // CAP_SYS_CHROOT
    (16, &["delete_module", "init_module", "finit_module"]),     // CAP_SYS_MODULE
    (20, &["acct"]),                                             // CAP_SYS_PACCT
    (19, &["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"]), // CAP_SYS_PTRACE
    (17, &["iopl", "ioperm"]),                                   // CAP_SYS_RAWIO
    (25, &["settimeofday", "stime", "clock_settime", "clock_settime64"]), // CAP_SYS_TIME
    (26, &["vhangup"]),                                          // CAP_SYS_TTY_CONFIG
    (23, &["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"]), // CAP_SYS_NICE
    (34, &["syslog"]),                                           // CAP_SYSLOG
    (39, &["bpf"]),                                              // CAP_BPF
    (38, &["perf_event_open"]),                                  // CAP_PERFMON
];

const CAP_SYS_ADMIN: u32 = 21;

/// Docker's default profile for a container whose capability set (bounding/effective, as a
/// bit mask `1 << cap`) is `caps`. Default action `ERRNO(EPERM)`.
pub fn default_profile(arch: Arch, caps: u64) -> Profile {
    let has = |cap: u32| caps & (1u64 << cap) != 0;
    let mut rules = vec![Rule::allow(ALLOWED)];
    rules.push(Rule::allow(&["socket"]).with_arg(0, Op::Ne, AF_VSOCK, 0));
    for persona in [0u64, 8, 0x20000, 0x20008, 0xffff_ffff] {
        rules.push(Rule::allow(&["personality"]).with_arg(0, Op::Eq, persona, 0));
    }
    match arch {
        Arch::X86_64 => rules.push(Rule::allow(&["arch_prctl", "modify_ldt"])),
        Arch::Aarch64 => rules.push(Rule::allow(&[
            "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls",
        ])),
    }
    for (cap, names) in BY_CAP {
        if has(*cap) {
            rules.push(Rule::allow(names));
        }
    }
    if !has(CAP_SYS_ADMIN) {
        // clone without any CLONE_NEW* flag; clone3 cannot be inspected (flags live in memory),
        // so it fails with ENOSYS and libc falls back to clone.
        rules.push(Rule::allow(&["clone"]).with_arg(0, Op::MaskedEq, CLONE_NAMESPACE_MASK, 0));
        rules.push(Rule { names: vec!["clone3".into()], action: Action::Errno(ENOSYS), args: Vec::new() });
    }
    Profile { default_action: Action::Errno(EPERM), rules, flags: 0 }
}
