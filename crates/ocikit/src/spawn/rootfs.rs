//! The container's filesystem, built in the child before exec: mounts resolved inside the rootfs
//! (openat2 RESOLVE_IN_ROOT, then mount through /proc/self/fd/N), /dev, pivot_root, masked and
//! read-only paths. Every call goes through [`Syscall`], so the order and flags are unit-tested
//! (`rootfs_tests.rs`) against a recording double.

use super::child::{Fail, Step};
use super::plan_rootfs::{MountPlan, RootfsPlan};
use super::raw::fmt_num;
use super::syscall::{Fd, Syscall};
use crate::sys::Errno;
use rustix::fs::{FileType, Mode, OFlags};
use rustix::mount::{MountFlags, MountPropagationFlags, UnmountFlags};
use std::ffi::{CStr, CString};

const PATH: OFlags = OFlags::PATH.union(OFlags::CLOEXEC);
const DIR_PATH: OFlags = PATH.union(OFlags::DIRECTORY);

/// A mount target given as the magic link of an fd.
struct FdPath {
    buf: [u8; 64],
}

impl FdPath {
    fn new() -> FdPath {
        FdPath { buf: [0u8; 64] }
    }
    fn of(&mut self, fd: Fd) -> &CStr {
        fmt_num(&mut self.buf, b"/proc/self/fd/", fd as usize)
    }
}

/// Creates each missing component of a path inside the rootfs (the last one a file when `file`,
/// or nothing when `parents_only`).
fn ensure_path<S: Syscall>(sys: &S, rootfd: Fd, prefixes: &[CString], names: &[CString], file: bool, parents_only: bool)
    -> Result<(), Fail> {
    let n = if parents_only { prefixes.len().saturating_sub(1) } else { prefixes.len() };
    for i in 0..n {
        let here = &prefixes[i];
        match sys.open_in_root(rootfd, here, PATH) {
            Ok(fd) => {
                sys.close(fd);
                continue;
            }
            Err(Errno::ENOENT) => {}
            Err(e) => return Err(Fail { step: "resolve mount target", errno: e, path: Some(here as &CStr) }),
        }
        let parent = if i == 0 { Ok(rootfd) } else { sys.open_in_root(rootfd, &prefixes[i - 1], DIR_PATH) }
            .step_at("resolve mount target", here)?;
        let last = i + 1 == prefixes.len();
        let made = if last && file {
            let flags = OFlags::CREATE | OFlags::WRONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
            sys.openat(parent, &names[i], flags, Mode::from_raw_mode(0o644)).map(|fd| sys.close(fd))
        } else {
            sys.mkdirat(parent, &names[i], Mode::from_raw_mode(0o755))
        };
        if parent != rootfd {
            sys.close(parent);
        }
        match made {
            Ok(_) | Err(Errno::EEXIST) => {}
            Err(e) => return Err(Fail { step: "create mount target", errno: e, path: Some(here as &CStr) }),
        }
    }
    Ok(())
}

fn mount_one<S: Syscall>(sys: &S, rootfd: Fd, m: &MountPlan) -> Result<(), Fail> {
    ensure_path(sys, rootfd, &m.prefixes, &m.names, m.file, false)?;
    let mut fp = FdPath::new();
    let target = sys.open_in_root(rootfd, &m.dest, PATH).step_at("resolve mount target", &m.dest)?;
    let r = match &m.fstype {
        Some(fstype) => sys.mount(&m.source, fp.of(target), fstype, m.flags, m.data.as_deref()),
        None => sys.bind(&m.source, fp.of(target), m.flags.contains(MountFlags::REC)),
    };
    sys.close(target);
    r.step_at("mount", &m.dest)?;
    if !m.remount.is_empty() || !m.propagation.is_empty() {
        // the new mount is on top now: reopen to address it rather than what it covers
        let top = sys.open_in_root(rootfd, &m.dest, PATH).step_at("resolve mount target", &m.dest)?;
        let mut r = Ok(());
        if !m.remount.is_empty() {
            r = sys.remount(fp.of(top), MountFlags::BIND | m.remount);
        }
        if r.is_ok() && !m.propagation.is_empty() {
            r = sys.propagate(fp.of(top), m.propagation);
        }
        sys.close(top);
        r.step_at("remount", &m.dest)?;
    }
    Ok(())
}

fn make_dev<S: Syscall>(sys: &S, rootfd: Fd, rf: &RootfsPlan) -> Result<(), Fail> {
    for d in &rf.devices {
        let (Some(name), n) = (d.names.last(), d.prefixes.len()) else { continue };
        ensure_path(sys, rootfd, &d.prefixes, &d.names, false, true)?;
        let parent = if n < 2 { Ok(rootfd) } else { sys.open_in_root(rootfd, &d.prefixes[n - 2], DIR_PATH) };
        let parent = parent.step_at("resolve device path", &d.prefixes[n - 1])?;
        let mut r = match sys.mknodat(parent, name, d.kind, d.mode, d.dev) {
            Ok(_) | Err(Errno::EEXIST) => Ok(()),
            Err(e) => Err(e),
        };
        if let (Ok(_), Some((uid, gid))) = (&r, d.owner) {
            r = sys.lchownat(parent, name, uid, gid);
        }
        if parent != rootfd {
            sys.close(parent);
        }
        r.step_at("mknod", &d.prefixes[n - 1])?;
    }
    if rf.dev_links.is_empty() {
        return Ok(());
    }
    let devfd = sys.open_in_root(rootfd, c"/dev", DIR_PATH).step_at("open /dev", c"/dev")?;
    let mut result = Ok(());
    for (target, name) in &rf.dev_links {
        match sys.symlinkat(target, devfd, name) {
            Ok(_) | Err(Errno::EEXIST) => {}
            Err(e) => {
                result = Err(Fail { step: "symlink", errno: e, path: Some(&**name as *const CStr) });
                break;
            }
        }
    }
    sys.close(devfd);
    result
}

fn pivot<S: Syscall>(sys: &S, rootfd: Fd) -> Result<(), Fail> {
    sys.fchdir(rootfd).step("chdir to rootfs")?;
    sys.pivot_root(c".", c".").step("pivot_root")?;
    // the old root is stacked under "."; keep its unmount from reaching the host, then detach it
    sys.propagate(c".", MountPropagationFlags::DOWNSTREAM | MountPropagationFlags::REC).step("make old root slave")?;
    sys.unmount(c".", UnmountFlags::DETACH).step("detach old root")?;
    sys.chdir(c"/").step("chdir /")?;
    Ok(())
}

fn mask<S: Syscall>(sys: &S, path: &CStr) -> Result<(), Fail> {
    let kind = match sys.lstat_type(path) {
        Ok(k) => k,
        Err(Errno::ENOENT) => return Ok(()),
        Err(e) => return Err(Fail { step: "stat masked path", errno: e, path: Some(path as *const CStr) }),
    };
    let r = if kind == FileType::Directory {
        sys.mount(c"tmpfs", path, c"tmpfs", MountFlags::RDONLY, Some(c"size=0"))
    } else {
        sys.bind(c"/dev/null", path, false)
    };
    r.step_at("mask path", path)
}

fn readonly<S: Syscall>(sys: &S, path: &CStr) -> Result<(), Fail> {
    match sys.bind(path, path, true) {
        Ok(_) => {}
        Err(Errno::ENOENT) => return Ok(()),
        Err(e) => return Err(Fail { step: "bind read-only path", errno: e, path: Some(path as *const CStr) }),
    }
    let ro = MountFlags::BIND | MountFlags::RDONLY;
    sys.remount(path, ro | MountFlags::NOSUID | MountFlags::NODEV | MountFlags::NOEXEC)
        .or_else(|_| sys.remount(path, ro))
        .step_at("remount read-only", path)
}

/// Builds the container's root and pivots into it.
pub fn setup<S: Syscall>(sys: &S, rf: &RootfsPlan) -> Result<(), Fail> {
    sys.propagate(c"/", rf.propagation).step("set root propagation")?;
    sys.bind(&rf.root, &rf.root, true).step_at("bind rootfs", &rf.root)?;
    let rootfd = sys.open(&rf.root, DIR_PATH, Mode::empty()).step_at("open rootfs", &rf.root)?;
    let r = (|| {
        for m in &rf.mounts {
            mount_one(sys, rootfd, m)?;
        }
        make_dev(sys, rootfd, rf)?;
        pivot(sys, rootfd)
    })();
    sys.close(rootfd);
    r?;
    for m in &rf.masked {
        mask(sys, m)?;
    }
    for r in &rf.readonly {
        readonly(sys, r)?;
    }
    if rf.root_readonly {
        sys.remount(c"/", MountFlags::BIND | MountFlags::RDONLY).step("remount / read-only")?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "rootfs_tests.rs"]
mod tests;
