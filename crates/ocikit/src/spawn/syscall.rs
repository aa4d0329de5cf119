//! The seam between the clone child's logic and the kernel: the namespace, mount, pivot_root and
//! filesystem calls that [`super::rootfs`] and [`super::child`] make, behind a trait, so that the
//! logic runs against a recording double in unit tests (see `syscall_test.rs`) and against the
//! kernel, through rustix, in the container.
//!
//! The child runs in a `CLONE_VM|CLONE_VFORK` child before exec: the real implementation is a
//! zero-sized type reached by static dispatch (generic `S: Syscall`), it allocates nothing and takes
//! only `&CStr` paths (rustix's `path::Arg` for `&str` may allocate above 256 bytes). File
//! descriptors are plain numbers the caller closes explicitly, so a double can hand out fake ones.

use crate::sys::Errno;
use rustix::fd::{BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use rustix::fs::{AtFlags, Dev, FileType, Mode, OFlags, ResolveFlags, CWD};
use rustix::mount::{MountFlags, MountPropagationFlags, UnmountFlags};
use rustix::thread::{LinkNameSpaceType, ThreadNameSpaceType, UnshareFlags};
use std::ffi::CStr;

/// A file descriptor as the child passes it around (it closes each one itself).
pub type Fd = RawFd;

pub type Res<T = ()> = Result<T, Errno>;

/// The calls the child's setup makes, one method per kernel operation.
pub trait Syscall {
    // namespaces and identity
    fn unshare(&self, flags: UnshareFlags) -> Res;
    /// setns(2) on a namespace file (`nstype` checks what it is).
    fn setns(&self, fd: Fd, nstype: LinkNameSpaceType) -> Res;
    /// setns(2) on a pidfd: every namespace of `types` of that process at once.
    fn setns_pidfd(&self, pidfd: Fd, types: ThreadNameSpaceType) -> Res;
    fn sethostname(&self, name: &CStr) -> Res;
    fn setdomainname(&self, name: &CStr) -> Res;
    fn umask(&self, mask: Mode);
    /// Brings `lo` up in a new network namespace (see [`super::loopback`]).
    fn loopback_up(&self) -> Result<(), super::child::Fail>;

    // files
    /// open(2) relative to the working directory.
    fn open(&self, path: &CStr, flags: OFlags, mode: Mode) -> Res<Fd>;
    /// openat(2) of one name in directory `dir`.
    fn openat(&self, dir: Fd, name: &CStr, flags: OFlags, mode: Mode) -> Res<Fd>;
    /// openat2(2) with `RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS`: `root` acts as `/`.
    fn open_in_root(&self, root: Fd, path: &CStr, flags: OFlags) -> Res<Fd>;
    fn close(&self, fd: Fd);
    fn write(&self, fd: Fd, data: &[u8]) -> Res<usize>;
    fn mkdirat(&self, dir: Fd, name: &CStr, mode: Mode) -> Res;
    fn mknodat(&self, dir: Fd, name: &CStr, kind: FileType, mode: Mode, dev: Dev) -> Res;
    /// fchownat(2) without following a symlink.
    fn lchownat(&self, dir: Fd, name: &CStr, uid: u32, gid: u32) -> Res;
    fn symlinkat(&self, target: &CStr, dir: Fd, name: &CStr) -> Res;
    /// The type of `path` (not following a final symlink).
    fn lstat_type(&self, path: &CStr) -> Res<FileType>;
    fn fchdir(&self, fd: Fd) -> Res;
    fn chdir(&self, path: &CStr) -> Res;

    // mounts
    /// mount(2) of a file system.
    fn mount(&self, source: &CStr, target: &CStr, fstype: &CStr, flags: MountFlags, data: Option<&CStr>) -> Res;
    /// A bind mount (`MS_BIND`, `| MS_REC` when `recursive`).
    fn bind(&self, source: &CStr, target: &CStr, recursive: bool) -> Res;
    /// `MS_REMOUNT | flags` on an existing mount.
    fn remount(&self, target: &CStr, flags: MountFlags) -> Res;
    /// A propagation change (`MS_SHARED`, `MS_SLAVE`, ... `| MS_REC`).
    fn propagate(&self, target: &CStr, flags: MountPropagationFlags) -> Res;
    fn unmount(&self, target: &CStr, flags: UnmountFlags) -> Res;
    fn pivot_root(&self, new_root: &CStr, put_old: &CStr) -> Res;
}

/// The kernel, through rustix's linux_raw backend (no libc, no thread-local errno).
pub struct Real;

#[inline]
fn er(e: rustix::io::Errno) -> Errno {
    Errno(e.raw_os_error())
}

/// An fd the caller keeps open for the duration of the call.
#[inline]
fn fd<'a>(fd: Fd) -> BorrowedFd<'a> {
    // SAFETY: every Fd the child passes is open (it comes from one of the open calls below or from
    // the plan) and is closed only by the caller after the call that borrows it has returned.
    unsafe { BorrowedFd::borrow_raw(fd) }
}

#[inline]
fn raw(owned: OwnedFd) -> Fd {
    owned.into_raw_fd()
}

impl Syscall for Real {
    #[inline]
    fn unshare(&self, flags: UnshareFlags) -> Res {
        // SAFETY: the child passes namespace flags only (CLONE_NEWCGROUP), never CLONE_FILES, the
        // flag that could leave a thread with fds of another table.
        unsafe { rustix::thread::unshare_unsafe(flags) }.map_err(er)
    }
    #[inline]
    fn setns(&self, f: Fd, nstype: LinkNameSpaceType) -> Res {
        rustix::thread::move_into_link_name_space(fd(f), Some(nstype)).map_err(er)
    }
    #[inline]
    fn setns_pidfd(&self, pidfd: Fd, types: ThreadNameSpaceType) -> Res {
        rustix::thread::move_into_thread_name_spaces(fd(pidfd), types).map_err(er)
    }
    #[inline]
    fn sethostname(&self, name: &CStr) -> Res {
        rustix::system::sethostname(name.to_bytes()).map_err(er)
    }
    #[inline]
    fn setdomainname(&self, name: &CStr) -> Res {
        rustix::system::setdomainname(name.to_bytes()).map_err(er)
    }
    #[inline]
    fn umask(&self, mask: Mode) {
        rustix::process::umask(mask);
    }
    #[inline]
    fn loopback_up(&self) -> Result<(), super::child::Fail> {
        super::loopback::up()
    }

    #[inline]
    fn open(&self, path: &CStr, flags: OFlags, mode: Mode) -> Res<Fd> {
        rustix::fs::openat(CWD, path, flags, mode).map(raw).map_err(er)
    }
    #[inline]
    fn openat(&self, dir: Fd, name: &CStr, flags: OFlags, mode: Mode) -> Res<Fd> {
        rustix::fs::openat(fd(dir), name, flags, mode).map(raw).map_err(er)
    }
    #[inline]
    fn open_in_root(&self, root: Fd, path: &CStr, flags: OFlags) -> Res<Fd> {
        let resolve = ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS;
        rustix::fs::openat2(fd(root), path, flags, Mode::empty(), resolve).map(raw).map_err(er)
    }
    #[inline]
    fn close(&self, f: Fd) {
        // SAFETY: the caller owns `f` and uses it no more.
        drop(unsafe { OwnedFd::from_raw_fd(f) });
    }
    #[inline]
    fn write(&self, f: Fd, data: &[u8]) -> Res<usize> {
        rustix::io::write(fd(f), data).map_err(er)
    }
    #[inline]
    fn mkdirat(&self, dir: Fd, name: &CStr, mode: Mode) -> Res {
        rustix::fs::mkdirat(fd(dir), name, mode).map_err(er)
    }
    #[inline]
    fn mknodat(&self, dir: Fd, name: &CStr, kind: FileType, mode: Mode, dev: Dev) -> Res {
        rustix::fs::mknodat(fd(dir), name, kind, mode, dev).map_err(er)
    }
    #[inline]
    fn lchownat(&self, dir: Fd, name: &CStr, uid: u32, gid: u32) -> Res {
        // unchecked: no assertion (a panic) in the child; -1 means "unchanged" as in fchownat(2)
        let (u, g) = (rustix::fs::Uid::from_raw_unchecked(uid), rustix::fs::Gid::from_raw_unchecked(gid));
        rustix::fs::chownat(fd(dir), name, Some(u), Some(g), AtFlags::SYMLINK_NOFOLLOW).map_err(er)
    }
    #[inline]
    fn symlinkat(&self, target: &CStr, dir: Fd, name: &CStr) -> Res {
        rustix::fs::symlinkat(target, fd(dir), name).map_err(er)
    }
    #[inline]
    fn lstat_type(&self, path: &CStr) -> Res<FileType> {
        rustix::fs::statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW).map(|st| FileType::from_raw_mode(st.st_mode)).map_err(er)
    }
    #[inline]
    fn fchdir(&self, f: Fd) -> Res {
        rustix::process::fchdir(fd(f)).map_err(er)
    }
    #[inline]
    fn chdir(&self, path: &CStr) -> Res {
        rustix::process::chdir(path).map_err(er)
    }

    #[inline]
    fn mount(&self, source: &CStr, target: &CStr, fstype: &CStr, flags: MountFlags, data: Option<&CStr>) -> Res {
        rustix::mount::mount(source, target, fstype, flags, data).map_err(er)
    }
    #[inline]
    fn bind(&self, source: &CStr, target: &CStr, recursive: bool) -> Res {
        if recursive {
            rustix::mount::mount_bind_recursive(source, target).map_err(er)
        } else {
            rustix::mount::mount_bind(source, target).map_err(er)
        }
    }
    #[inline]
    fn remount(&self, target: &CStr, flags: MountFlags) -> Res {
        // the data string is ignored for a bind remount, the only kind the child makes
        rustix::mount::mount_remount(target, flags, c"").map_err(er)
    }
    #[inline]
    fn propagate(&self, target: &CStr, flags: MountPropagationFlags) -> Res {
        rustix::mount::mount_change(target, flags).map_err(er)
    }
    #[inline]
    fn unmount(&self, target: &CStr, flags: UnmountFlags) -> Res {
        rustix::mount::unmount(target, flags).map_err(er)
    }
    #[inline]
    fn pivot_root(&self, new_root: &CStr, put_old: &CStr) -> Res {
        rustix::process::pivot_root(new_root, put_old).map_err(er)
    }
}
