//! Flag values shared by x86-64 and aarch64 (uapi headers).

pub const AT_FDCWD: isize = -100;
pub const AT_SYMLINK_NOFOLLOW: usize = 0x100;
pub const AT_REMOVEDIR: usize = 0x200;
pub const AT_EMPTY_PATH: usize = 0x1000;

pub const O_RDONLY: usize = 0;
pub const O_WRONLY: usize = 1;
pub const O_RDWR: usize = 2;
pub const O_CREAT: usize = 0o100;
pub const O_NOCTTY: usize = 0o400;
pub const O_TRUNC: usize = 0o1000;
pub const O_APPEND: usize = 0o2000;
pub const O_NONBLOCK: usize = 0o4000;
#[cfg(target_arch = "x86_64")]
pub const O_DIRECTORY: usize = 0o200000;
#[cfg(target_arch = "aarch64")]
pub const O_DIRECTORY: usize = 0o40000;
#[cfg(target_arch = "x86_64")]
pub const O_NOFOLLOW: usize = 0o400000;
#[cfg(target_arch = "aarch64")]
pub const O_NOFOLLOW: usize = 0o100000;
pub const O_CLOEXEC: usize = 0o2000000;
pub const O_PATH: usize = 0o10000000;

pub const S_IFMT: u32 = 0o170000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFIFO: u32 = 0o010000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFSOCK: u32 = 0o140000;

// mount(2) flags
pub const MS_RDONLY: usize = 1;
pub const MS_NOSUID: usize = 2;
pub const MS_NODEV: usize = 4;
pub const MS_NOEXEC: usize = 8;
pub const MS_SYNCHRONOUS: usize = 16;
pub const MS_REMOUNT: usize = 32;
pub const MS_MANDLOCK: usize = 64;
pub const MS_DIRSYNC: usize = 128;
pub const MS_NOSYMFOLLOW: usize = 256;
pub const MS_NOATIME: usize = 1024;
pub const MS_NODIRATIME: usize = 2048;
pub const MS_BIND: usize = 4096;
pub const MS_MOVE: usize = 8192;
pub const MS_REC: usize = 16384;
pub const MS_SILENT: usize = 32768;
pub const MS_UNBINDABLE: usize = 1 << 17;
pub const MS_PRIVATE: usize = 1 << 18;
pub const MS_SLAVE: usize = 1 << 19;
pub const MS_SHARED: usize = 1 << 20;
pub const MS_RELATIME: usize = 1 << 21;
pub const MS_STRICTATIME: usize = 1 << 24;
pub const MS_LAZYTIME: usize = 1 << 25;

// umount2(2) flags
pub const MNT_FORCE: usize = 1;
pub const MNT_DETACH: usize = 2;
pub const MNT_EXPIRE: usize = 4;
pub const UMOUNT_NOFOLLOW: usize = 8;

// clone flags (clone3 `flags` is 64-bit)
pub const CLONE_VM: u64 = 0x100;
pub const CLONE_FS: u64 = 0x200;
pub const CLONE_FILES: u64 = 0x400;
pub const CLONE_PIDFD: u64 = 0x1000;
pub const CLONE_VFORK: u64 = 0x4000;
pub const CLONE_PARENT: u64 = 0x8000;
pub const CLONE_NEWNS: u64 = 0x20000;
pub const CLONE_NEWCGROUP: u64 = 0x0200_0000;
pub const CLONE_NEWUTS: u64 = 0x0400_0000;
pub const CLONE_NEWIPC: u64 = 0x0800_0000;
pub const CLONE_NEWUSER: u64 = 0x1000_0000;
pub const CLONE_NEWPID: u64 = 0x2000_0000;
pub const CLONE_NEWNET: u64 = 0x4000_0000;
pub const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;

// signals
pub const SIGHUP: i32 = 1;
pub const SIGINT: i32 = 2;
pub const SIGKILL: i32 = 9;
pub const SIGTERM: i32 = 15;
pub const SIGCHLD: i32 = 17;
pub const SIGSTOP: i32 = 19;
pub const NSIG: i32 = 64;
pub const SIG_DFL: usize = 0;
pub const SIG_SETMASK: usize = 2;

// prctl
pub const PR_SET_PDEATHSIG: usize = 1;
pub const PR_SET_NAME: usize = 15;
pub const PR_CAPBSET_READ: usize = 23;
pub const PR_CAPBSET_DROP: usize = 24;
pub const PR_SET_NO_NEW_PRIVS: usize = 38;
pub const PR_SET_CHILD_SUBREAPER: usize = 36;
pub const PR_CAP_AMBIENT: usize = 47;
pub const PR_CAP_AMBIENT_CLEAR_ALL: usize = 4;

// waitid
pub const P_PID: usize = 1;
pub const P_PIDFD: usize = 3;
pub const WEXITED: usize = 4;
pub const WNOHANG: usize = 1;

// close_range
pub const CLOSE_RANGE_CLOEXEC: usize = 1 << 2;

// fcntl
pub const F_GETFD: usize = 1;
pub const F_SETFD: usize = 2;
pub const FD_CLOEXEC: usize = 1;

// epoll
pub const EPOLL_CLOEXEC: usize = 0o2000000;
pub const EPOLL_CTL_ADD: usize = 1;
pub const EPOLL_CTL_DEL: usize = 2;
pub const EPOLLIN: u32 = 1;

// ioctl
pub const TIOCSCTTY: usize = 0x540E;
pub const TIOCSWINSZ: usize = 0x5414;
pub const TIOCGPTN: usize = 0x8004_5430;
pub const TIOCSPTLCK: usize = 0x4004_5431;

// capabilities
pub const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;

// sockets
pub const AF_UNIX: usize = 1;
pub const SOCK_STREAM: usize = 1;
pub const SOCK_CLOEXEC: usize = 0o2000000;
pub const AF_INET: usize = 2;
pub const SOCK_DGRAM: usize = 2;
pub const SIOCGIFFLAGS: usize = 0x8913;
pub const SIOCSIFFLAGS: usize = 0x8914;
pub const IFF_UP: i16 = 1;
pub const SOL_SOCKET: i32 = 1;
pub const SCM_RIGHTS: i32 = 1;

// openat2 resolve flags
pub const RESOLVE_NO_MAGICLINKS: u64 = 0x02;
pub const RESOLVE_IN_ROOT: u64 = 0x10;

pub const F_DUPFD_CLOEXEC: usize = 1030;
pub const PR_SET_KEEPCAPS: usize = 8;
pub const PR_GET_DUMPABLE: usize = 3;
pub const PR_SET_DUMPABLE: usize = 4;
pub const MFD_CLOEXEC: usize = 1;
pub const MFD_ALLOW_SEALING: usize = 2;
pub const MFD_EXEC: usize = 0x10;
pub const F_ADD_SEALS: usize = 1033;
pub const F_GET_SEALS: usize = 1034;
pub const F_SEAL_SEAL: usize = 1;
pub const F_SEAL_SHRINK: usize = 2;
pub const F_SEAL_GROW: usize = 4;
pub const F_SEAL_WRITE: usize = 8;
pub const F_SEAL_EXEC: usize = 0x20;
pub const POLLIN: i16 = 1;
pub const __WALL: usize = 0x4000_0000;
