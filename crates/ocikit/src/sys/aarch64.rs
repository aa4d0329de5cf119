//! aarch64 system call entry and numbers (include/uapi/asm-generic/unistd.h). Written, not tested here.

/// Enters the kernel with `svc 0`: number in x8, arguments in x0..x5, result in x0.
///
/// # Safety
/// Arguments must satisfy the kernel contract of call `n`.
#[inline(always)]
pub unsafe fn raw_syscall6(n: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> isize {
    let ret: isize;
    core::arch::asm!(
        "svc 0",
        in("x8") n,
        inlateout("x0") a1 as isize => ret,
        in("x1") a2, in("x2") a3, in("x3") a4, in("x4") a5, in("x5") a6,
        options(nostack)
    );
    ret
}

/// System call numbers (the generic table; no legacy calls such as open or fork).
pub mod nr {
    pub const LSETXATTR: usize = 6;
    pub const LGETXATTR: usize = 9;
    pub const LLISTXATTR: usize = 12;
    pub const EPOLL_CREATE1: usize = 20;
    pub const EPOLL_CTL: usize = 21;
    pub const EPOLL_PWAIT: usize = 22;
    pub const DUP3: usize = 24;
    pub const FCNTL: usize = 25;
    pub const IOCTL: usize = 29;
    pub const MKNODAT: usize = 33;
    pub const MKDIRAT: usize = 34;
    pub const UNLINKAT: usize = 35;
    pub const SYMLINKAT: usize = 36;
    pub const UMOUNT2: usize = 39;
    pub const MOUNT: usize = 40;
    pub const PIVOT_ROOT: usize = 41;
    pub const CHDIR: usize = 49;
    pub const FCHDIR: usize = 50;
    pub const FCHMODAT: usize = 53;
    pub const FCHOWNAT: usize = 54;
    pub const OPENAT: usize = 56;
    pub const CLOSE: usize = 57;
    pub const PIPE2: usize = 59;
    pub const READ: usize = 63;
    pub const WRITE: usize = 64;
    pub const READLINKAT: usize = 78;
    pub const NEWFSTATAT: usize = 79;
    pub const CAPGET: usize = 90;
    pub const CAPSET: usize = 91;
    pub const EXIT_GROUP: usize = 94;
    pub const WAITID: usize = 95;
    pub const UNSHARE: usize = 97;
    pub const KILL: usize = 129;
    pub const RT_SIGACTION: usize = 134;
    pub const RT_SIGPROCMASK: usize = 135;
    pub const SETRESUID: usize = 147;
    pub const SETRESGID: usize = 149;
    pub const SETSID: usize = 157;
    pub const SETGROUPS: usize = 159;
    pub const UNAME: usize = 160;
    pub const SETHOSTNAME: usize = 161;
    pub const UMASK: usize = 166;
    pub const PRCTL: usize = 167;
    pub const GETPID: usize = 172;
    pub const GETPPID: usize = 173;
    pub const GETUID: usize = 174;
    pub const GETEUID: usize = 175;
    pub const GETGID: usize = 176;
    pub const GETTID: usize = 178;
    pub const EXECVE: usize = 221;
    pub const MEMFD_CREATE: usize = 279;
    pub const EXECVEAT: usize = 281;
    pub const WAIT4: usize = 260;
    pub const PRLIMIT64: usize = 261;
    pub const SETNS: usize = 268;
    pub const SECCOMP: usize = 277;
    pub const PIDFD_SEND_SIGNAL: usize = 424;
    pub const PIDFD_OPEN: usize = 434;
    pub const CLONE3: usize = 435;
    pub const CLOSE_RANGE: usize = 436;
    pub const OPENAT2: usize = 437;
    pub const SETDOMAINNAME: usize = 162;
    pub const PPOLL: usize = 73;
    pub const SOCKETPAIR: usize = 199;
    pub const SOCKET: usize = 198;
    pub const SENDMSG: usize = 211;
    pub const RECVMSG: usize = 212;
    pub const FSTATFS: usize = 44;
    pub const GETDENTS64: usize = 61;
    pub const LINKAT: usize = 37;
    pub const UTIMENSAT: usize = 88;
}
