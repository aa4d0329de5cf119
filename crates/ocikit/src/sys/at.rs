//! File calls relative to directory fds, for working in a tree someone else changes meanwhile (a
//! running container's root, SECURITY 14). A path is only ever resolved by the kernel with
//! openat2(`RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS`) from a directory fd, so `..`, absolute
//! symlinks and `/proc` magic links cannot lead out of that directory; every other call acts on one
//! name in a directory that is already open, never following a symlink in that name.

use super::consts::{AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, O_CLOEXEC, RESOLVE_IN_ROOT, RESOLVE_NO_MAGICLINKS};
use super::fs::{cstr, makedev};
use super::{nr, Errno, SysError};
use crate::sc;
use std::ffi::CString;

/// `struct open_how` of openat2(2).
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

/// `struct timespec`.
#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

/// A single path component: not empty, `.`, `..`, and without `/` (EINVAL otherwise).
fn one_name(name: &str, step: &str) -> Result<CString, SysError> {
    if name.is_empty() || name == "." || name == ".." || name.contains('/') {
        return Err(SysError::at(Errno::EINVAL, step, name).with_message("not a single path component"));
    }
    cstr(name, step)
}

/// One name, or `""` meaning the fd itself (`AT_EMPTY_PATH`).
fn name_or_self(name: &str, step: &str) -> Result<(CString, usize), SysError> {
    if name.is_empty() {
        Ok((CString::default(), AT_EMPTY_PATH))
    } else {
        Ok((one_name(name, step)?, 0))
    }
}

/// Opens `path` as if directory `root` were `/` (`O_CLOEXEC` always added); returns the new fd.
/// Retries EAGAIN, which the kernel returns when a concurrent rename made a `..` step unsure.
pub fn open_in_root(root: i32, path: &str, flags: u32, mode: u32) -> Result<i32, SysError> {
    let p = cstr(path, "openat2")?;
    let how = OpenHow { flags: (flags as usize | O_CLOEXEC) as u64, mode: mode as u64, resolve: RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    let mut tries = 0;
    loop {
        match unsafe { sc!(nr::OPENAT2, root, p.as_ptr(), &how as *const OpenHow, core::mem::size_of::<OpenHow>()) } {
            Ok(fd) => return Ok(fd as i32),
            Err(Errno::EAGAIN) | Err(Errno::EINTR) if tries < 16 => tries += 1,
            Err(e) => return Err(SysError::at(e, "openat2", path)),
        }
    }
}

/// mkdirat(2) of `name` in `dir`.
pub fn mkdirat(dir: i32, name: &str, mode: u32) -> Result<(), SysError> {
    let n = one_name(name, "mkdirat")?;
    unsafe { sc!(nr::MKDIRAT, dir, n.as_ptr(), mode) }.map(|_| ()).map_err(|e| SysError::at(e, "mkdirat", name))
}

/// symlinkat(2): `name` in `dir` pointing at `target` (stored as is, never resolved here).
pub fn symlinkat(target: &str, dir: i32, name: &str) -> Result<(), SysError> {
    let n = one_name(name, "symlinkat")?;
    let t = cstr(target, "symlinkat")?;
    unsafe { sc!(nr::SYMLINKAT, t.as_ptr(), dir, n.as_ptr()) }.map(|_| ()).map_err(|e| SysError::at(e, "symlinkat", name))
}

/// unlinkat(2) of `name` in `dir`; `remove_dir` for an empty directory.
pub fn unlinkat(dir: i32, name: &str, remove_dir: bool) -> Result<(), SysError> {
    let n = one_name(name, "unlinkat")?;
    let flags = if remove_dir { AT_REMOVEDIR } else { 0 };
    unsafe { sc!(nr::UNLINKAT, dir, n.as_ptr(), flags) }.map(|_| ()).map_err(|e| SysError::at(e, "unlinkat", name))
}

/// linkat(2): a hard link `new_name` in `new_dir` to `old_name` in `old_dir` (a symlink is linked itself).
pub fn linkat(old_dir: i32, old_name: &str, new_dir: i32, new_name: &str) -> Result<(), SysError> {
    let o = one_name(old_name, "linkat")?;
    let n = one_name(new_name, "linkat")?;
    unsafe { sc!(nr::LINKAT, old_dir, o.as_ptr(), new_dir, n.as_ptr(), 0) }.map(|_| ()).map_err(|e| SysError::at(e, "linkat", new_name))
}

/// mknodat(2): `mode` includes the file type bits.
pub fn mknodat(dir: i32, name: &str, mode: u32, major: u32, minor: u32) -> Result<(), SysError> {
    let n = one_name(name, "mknodat")?;
    unsafe { sc!(nr::MKNODAT, dir, n.as_ptr(), mode, makedev(major, minor)) }.map(|_| ()).map_err(|e| SysError::at(e, "mknodat", name))
}

/// readlinkat(2) of `name` in `dir` (`""`: the symlink `dir` itself, opened with `O_PATH|O_NOFOLLOW`).
pub fn readlinkat(dir: i32, name: &str) -> Result<Vec<u8>, SysError> {
    let (n, _) = name_or_self(name, "readlinkat")?;
    let mut buf = vec![0u8; 4096];
    loop {
        let len = unsafe { sc!(nr::READLINKAT, dir, n.as_ptr(), buf.as_mut_ptr(), buf.len()) }
            .map_err(|e| SysError::at(e, "readlinkat", name))?;
        if len < buf.len() {
            buf.truncate(len);
            return Ok(buf);
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// fchownat(2) of `name` in `dir` (`""`: `dir` itself), never following a symlink.
pub fn lchownat(dir: i32, name: &str, uid: u32, gid: u32) -> Result<(), SysError> {
    let (n, empty) = name_or_self(name, "fchownat")?;
    unsafe { sc!(nr::FCHOWNAT, dir, n.as_ptr(), uid, gid, AT_SYMLINK_NOFOLLOW | empty) }
        .map(|_| ())
        .map_err(|e| SysError::at(e, "fchownat", name))
}

/// utimensat(2): sets atime and mtime of `name` in `dir` to `mtime_ns`, never following a symlink.
pub fn lutimesat(dir: i32, name: &str, mtime_ns: i64) -> Result<(), SysError> {
    let n = one_name(name, "utimensat")?;
    let t = Timespec { sec: mtime_ns.div_euclid(1_000_000_000), nsec: mtime_ns.rem_euclid(1_000_000_000) };
    let times = [Timespec { sec: t.sec, nsec: t.nsec }, t];
    unsafe { sc!(nr::UTIMENSAT, dir, n.as_ptr(), times.as_ptr(), AT_SYMLINK_NOFOLLOW) }
        .map(|_| ())
        .map_err(|e| SysError::at(e, "utimensat", name))
}

/// The names in open directory `fd` (getdents64), without `.` and `..`, in the order the file system gives.
pub fn read_dir(fd: i32) -> Result<Vec<Vec<u8>>, SysError> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = unsafe { sc!(nr::GETDENTS64, fd, buf.as_mut_ptr(), buf.len()) }.map_err(|e| SysError::new(e, "getdents64"))?;
        if n == 0 {
            return Ok(out);
        }
        let mut off = 0;
        while off + 19 <= n {
            // struct linux_dirent64 { u64 d_ino; i64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
            let reclen = u16::from_ne_bytes([buf[off + 16], buf[off + 17]]) as usize;
            if reclen == 0 || off + reclen > n {
                return Err(SysError::new(Errno::EIO, "getdents64"));
            }
            let name = &buf[off + 19..off + reclen];
            let name = &name[..name.iter().position(|b| *b == 0).unwrap_or(name.len())];
            if name != b"." && name != b".." {
                out.push(name.to_vec());
            }
            off += reclen;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::consts::{O_DIRECTORY, O_NOFOLLOW, O_PATH, O_RDONLY};

    fn open_dir(path: &str) -> i32 {
        let p = cstr(path, "open").unwrap();
        unsafe { sc!(nr::OPENAT, crate::sys::consts::AT_FDCWD, p.as_ptr(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) }.unwrap() as i32
    }

    fn close(fd: i32) {
        let _ = unsafe { sc!(nr::CLOSE, fd) };
    }

    #[test]
    fn resolves_symlinks_inside_the_root_only() {
        let base = std::env::temp_dir().join(format!("ocikit-at-{}", std::process::id()));
        let root = base.join("root");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/marker"), b"inside").unwrap();
        std::fs::write(base.join("marker"), b"outside").unwrap();
        std::os::unix::fs::symlink("/", root.join("up")).unwrap();
        std::os::unix::fs::symlink("../../..", root.join("dots")).unwrap();
        let r = open_dir(root.to_str().unwrap());
        // absolute and `..` links stay in the root
        let fd = open_in_root(r, "/up/etc/marker", O_RDONLY as u32, 0).unwrap();
        let mut s = String::new();
        use std::io::Read;
        let mut f = unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(fd) };
        f.read_to_string(&mut s).unwrap();
        assert_eq!(s, "inside");
        assert_eq!(open_in_root(r, "dots/marker", O_RDONLY as u32, 0).unwrap_err().errno, Errno::ENOENT);
        // O_NOFOLLOW on the last component, O_PATH gives the link itself
        assert_eq!(open_in_root(r, "up", (O_RDONLY | O_NOFOLLOW) as u32, 0).unwrap_err().errno, Errno::ELOOP);
        let l = open_in_root(r, "up", (O_PATH | O_NOFOLLOW) as u32, 0).unwrap();
        assert_eq!(readlinkat(l, "").unwrap(), b"/");
        close(l);
        // one-name calls
        mkdirat(r, "d", 0o755).unwrap();
        symlinkat("/etc", r, "s").unwrap();
        assert_eq!(readlinkat(r, "s").unwrap(), b"/etc");
        linkat(r, "s", r, "s2").unwrap();
        lutimesat(r, "s", 1_500_000_000_000_000_000).unwrap();
        let mut names: Vec<_> = read_dir(open_dir(root.to_str().unwrap())).unwrap();
        names.sort();
        assert_eq!(names, vec![b"d".to_vec(), b"dots".to_vec(), b"etc".to_vec(), b"s".to_vec(), b"s2".to_vec(), b"up".to_vec()]);
        assert_eq!(mkdirat(r, "../x", 0o755).unwrap_err().errno, Errno::EINVAL);
        assert_eq!(unlinkat(r, "..", false).unwrap_err().errno, Errno::EINVAL);
        unlinkat(r, "d", true).unwrap();
        unlinkat(r, "s2", false).unwrap();
        close(r);
        std::fs::remove_dir_all(&base).unwrap();
    }
}
