//! The container's filesystem, built in the child before exec: mounts resolved inside the rootfs
//! (openat2 RESOLVE_IN_ROOT, then mount through /proc/self/fd/N), /dev, pivot_root, masked and
//! read-only paths.

use super::child::{Fail, Step};
use super::plan_rootfs::{MountPlan, RootfsPlan};
use super::raw::{self, fmt_num};
use crate::sys::consts::*;
use crate::sys::{nr, Errno};
use crate::sc;
use std::ffi::CStr;

const DIR_PATH: usize = O_PATH | O_DIRECTORY | O_CLOEXEC;

/// A mount target given as the magic link of an fd.
struct FdPath {
    buf: [u8; 64],
}

impl FdPath {
    fn new() -> FdPath {
        FdPath { buf: [0u8; 64] }
    }
    fn of(&mut self, fd: usize) -> &CStr {
        fmt_num(&mut self.buf, b"/proc/self/fd/", fd)
    }
}

/// Creates each missing component of a path inside the rootfs (the last one a file when `file`,
/// or nothing when `parents_only`).
fn ensure_path(rootfd: usize, prefixes: &[std::ffi::CString], names: &[std::ffi::CString], file: bool, parents_only: bool)
    -> Result<(), Fail> {
    let n = if parents_only { prefixes.len().saturating_sub(1) } else { prefixes.len() };
    for i in 0..n {
        let here = &prefixes[i];
        match raw::open_in_root(rootfd, here, O_PATH | O_CLOEXEC) {
            Ok(fd) => {
                raw::close(fd);
                continue;
            }
            Err(Errno::ENOENT) => {}
            Err(e) => return Err(Fail { step: "resolve mount target", errno: e, path: Some(here as &CStr) }),
        }
        let parent = if i == 0 { Ok(rootfd) } else { raw::open_in_root(rootfd, &prefixes[i - 1], DIR_PATH) }
            .step_at("resolve mount target", here)?;
        let last = i + 1 == prefixes.len();
        let made = if last && file {
            raw::openat(parent as isize, &names[i], O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o644).map(|fd| {
                raw::close(fd);
                0
            })
        } else {
            raw::mkdirat(parent, &names[i], 0o755)
        };
        if parent != rootfd {
            raw::close(parent);
        }
        match made {
            Ok(_) | Err(Errno::EEXIST) => {}
            Err(e) => return Err(Fail { step: "create mount target", errno: e, path: Some(here as &CStr) }),
        }
    }
    Ok(())
}

fn mount_one(rootfd: usize, m: &MountPlan) -> Result<(), Fail> {
    ensure_path(rootfd, &m.prefixes, &m.names, m.file, false)?;
    let mut fp = FdPath::new();
    let target = raw::open_in_root(rootfd, &m.dest, O_PATH | O_CLOEXEC).step_at("resolve mount target", &m.dest)?;
    let r = raw::mount(Some(&m.source), fp.of(target), m.fstype.as_deref(), m.flags, m.data.as_deref());
    raw::close(target);
    r.step_at("mount", &m.dest)?;
    if m.remount != 0 || m.propagation != 0 {
        // the new mount is on top now: reopen to address it rather than what it covers
        let top = raw::open_in_root(rootfd, &m.dest, O_PATH | O_CLOEXEC).step_at("resolve mount target", &m.dest)?;
        let mut r = Ok(0);
        if m.remount != 0 {
            r = raw::mount(None, fp.of(top), None, MS_BIND | MS_REMOUNT | m.remount, None);
        }
        if r.is_ok() && m.propagation != 0 {
            r = raw::mount(None, fp.of(top), None, m.propagation, None);
        }
        raw::close(top);
        r.step_at("remount", &m.dest)?;
    }
    Ok(())
}

fn make_dev(rootfd: usize, rf: &RootfsPlan) -> Result<(), Fail> {
    for d in &rf.devices {
        let (Some(name), n) = (d.names.last(), d.prefixes.len()) else { continue };
        ensure_path(rootfd, &d.prefixes, &d.names, false, true)?;
        let parent = if n < 2 { Ok(rootfd) } else { raw::open_in_root(rootfd, &d.prefixes[n - 2], DIR_PATH) };
        let parent = parent.step_at("resolve device path", &d.prefixes[n - 1])?;
        let mut r = match raw::mknodat(parent, name, d.mode, d.dev) {
            Ok(_) | Err(Errno::EEXIST) => Ok(0),
            Err(e) => Err(e),
        };
        if let (Ok(_), Some((uid, gid))) = (&r, d.owner) {
            r = unsafe { sc!(nr::FCHOWNAT, parent, name.as_ptr(), uid, gid, AT_SYMLINK_NOFOLLOW) };
        }
        if parent != rootfd {
            raw::close(parent);
        }
        r.step_at("mknod", &d.prefixes[n - 1])?;
    }
    if rf.dev_links.is_empty() {
        return Ok(());
    }
    let devfd = raw::open_in_root(rootfd, c"/dev", DIR_PATH).step_at("open /dev", c"/dev")?;
    let mut result = Ok(());
    for (target, name) in &rf.dev_links {
        match raw::symlinkat(target, devfd, name) {
            Ok(_) | Err(Errno::EEXIST) => {}
            Err(e) => {
                result = Err(Fail { step: "symlink", errno: e, path: Some(&**name as *const CStr) });
                break;
            }
        }
    }
    raw::close(devfd);
    result
}

fn pivot(rootfd: usize) -> Result<(), Fail> {
    raw::fchdir(rootfd).step("chdir to rootfs")?;
    unsafe { sc!(nr::PIVOT_ROOT, c".".as_ptr(), c".".as_ptr()) }.step("pivot_root")?;
    // the old root is stacked under "."; keep its unmount from reaching the host, then detach it
    raw::mount(None, c".", None, MS_SLAVE | MS_REC, None).step("make old root slave")?;
    raw::umount2(c".", MNT_DETACH).step("detach old root")?;
    raw::chdir(c"/").step("chdir /")?;
    Ok(())
}

fn mask(path: &CStr) -> Result<(), Fail> {
    let mode = match raw::lstat_mode(path) {
        Ok(m) => m,
        Err(Errno::ENOENT) => return Ok(()),
        Err(e) => return Err(Fail { step: "stat masked path", errno: e, path: Some(path as *const CStr) }),
    };
    let r = if mode & S_IFMT == S_IFDIR {
        raw::mount(Some(c"tmpfs"), path, Some(c"tmpfs"), MS_RDONLY, Some(c"size=0"))
    } else {
        raw::mount(Some(c"/dev/null"), path, None, MS_BIND, None)
    };
    r.step_at("mask path", path).map(|_| ())
}

fn readonly(path: &CStr) -> Result<(), Fail> {
    match raw::mount(Some(path), path, None, MS_BIND | MS_REC, None) {
        Ok(_) => {}
        Err(Errno::ENOENT) => return Ok(()),
        Err(e) => return Err(Fail { step: "bind read-only path", errno: e, path: Some(path as *const CStr) }),
    }
    raw::mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
        .or_else(|_| raw::mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY, None))
        .step_at("remount read-only", path)
        .map(|_| ())
}

/// Builds the container's root and pivots into it.
pub fn setup(rf: &RootfsPlan) -> Result<(), Fail> {
    raw::mount(None, c"/", None, rf.propagation, None).step("set root propagation")?;
    raw::mount(Some(&rf.root), &rf.root, None, MS_BIND | MS_REC, None).step_at("bind rootfs", &rf.root)?;
    let rootfd = raw::openat(AT_FDCWD, &rf.root, DIR_PATH, 0).step_at("open rootfs", &rf.root)?;
    let r = (|| {
        for m in &rf.mounts {
            mount_one(rootfd, m)?;
        }
        make_dev(rootfd, rf)?;
        pivot(rootfd)
    })();
    raw::close(rootfd);
    r?;
    for m in &rf.masked {
        mask(m)?;
    }
    for r in &rf.readonly {
        readonly(r)?;
    }
    if rf.root_readonly {
        raw::mount(None, c"/", None, MS_BIND | MS_REMOUNT | MS_RDONLY, None).step("remount / read-only")?;
    }
    Ok(())
}
