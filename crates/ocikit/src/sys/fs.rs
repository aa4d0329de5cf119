//! Filesystem calls used from normal (allocating) code: owned-path wrappers that name the path on error.

use super::consts::AT_FDCWD;
use super::{nr, Errno, SysError};
use crate::sc;
use std::ffi::CString;

/// A NUL-terminated copy of `s`; an interior NUL is EINVAL.
pub fn cstr(s: &str, step: &str) -> Result<CString, SysError> {
    CString::new(s).map_err(|_| SysError::at(Errno::EINVAL, step, s))
}

fn opt_ptr(c: &Option<CString>) -> usize {
    c.as_ref().map_or(0, |c| c.as_ptr() as usize)
}

/// Packs a device number the way glibc's `makedev` does.
pub fn makedev(major: u32, minor: u32) -> u64 {
    let (ma, mi) = (major as u64, minor as u64);
    (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & !0xff) << 12) | ((ma & !0xfff) << 32)
}

/// mknod(2): `mode` includes the file type bits (S_IFCHR, S_IFBLK, S_IFIFO, S_IFREG).
pub fn mknod(path: &str, mode: u32, major: u32, minor: u32) -> Result<(), SysError> {
    let p = cstr(path, "mknod")?;
    unsafe { sc!(nr::MKNODAT, AT_FDCWD, p.as_ptr(), mode, makedev(major, minor)) }
        .map(|_| ())
        .map_err(|e| SysError::at(e, "mknod", path))
}

/// lsetxattr(2) on the link itself.
pub fn lsetxattr(path: &str, name: &str, value: &[u8], flags: u32) -> Result<(), SysError> {
    let p = cstr(path, "lsetxattr")?;
    let n = cstr(name, "lsetxattr")?;
    unsafe { sc!(nr::LSETXATTR, p.as_ptr(), n.as_ptr(), value.as_ptr(), value.len(), flags) }
        .map(|_| ())
        .map_err(|e| SysError::at(e, "lsetxattr", path))
}

/// lgetxattr(2): the value, or `None` when the attribute does not exist (ENODATA).
pub fn lgetxattr(path: &str, name: &str) -> Result<Option<Vec<u8>>, SysError> {
    let p = cstr(path, "lgetxattr")?;
    let n = cstr(name, "lgetxattr")?;
    loop {
        let size = match unsafe { sc!(nr::LGETXATTR, p.as_ptr(), n.as_ptr(), 0, 0) } {
            Ok(s) => s,
            Err(Errno::ENODATA) => return Ok(None),
            Err(e) => return Err(SysError::at(e, "lgetxattr", path)),
        };
        let mut buf = vec![0u8; size];
        match unsafe { sc!(nr::LGETXATTR, p.as_ptr(), n.as_ptr(), buf.as_mut_ptr(), buf.len()) } {
            Ok(len) => {
                buf.truncate(len);
                return Ok(Some(buf));
            }
            Err(Errno::ERANGE) => continue, // grew between the two calls
            Err(Errno::ENODATA) => return Ok(None),
            Err(e) => return Err(SysError::at(e, "lgetxattr", path)),
        }
    }
}

/// llistxattr(2): attribute names of the link itself.
pub fn llistxattr(path: &str) -> Result<Vec<String>, SysError> {
    let p = cstr(path, "llistxattr")?;
    loop {
        let size = unsafe { sc!(nr::LLISTXATTR, p.as_ptr(), 0, 0) }
            .map_err(|e| SysError::at(e, "llistxattr", path))?;
        if size == 0 {
            return Ok(Vec::new());
        }
        let mut buf = vec![0u8; size];
        match unsafe { sc!(nr::LLISTXATTR, p.as_ptr(), buf.as_mut_ptr(), buf.len()) } {
            Ok(len) => {
                buf.truncate(len);
                return Ok(buf
                    .split(|b| *b == 0)
                    .filter(|s| !s.is_empty())
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect());
            }
            Err(Errno::ERANGE) => continue,
            Err(e) => return Err(SysError::at(e, "llistxattr", path)),
        }
    }
}

/// mount(2); `source`, `fstype` and `data` may be absent.
pub fn mount(source: Option<&str>, target: &str, fstype: Option<&str>, flags: usize, data: Option<&str>)
    -> Result<(), SysError> {
    let s = source.map(|s| cstr(s, "mount")).transpose()?;
    let t = cstr(target, "mount")?;
    let f = fstype.map(|s| cstr(s, "mount")).transpose()?;
    let d = data.map(|s| cstr(s, "mount")).transpose()?;
    unsafe { sc!(nr::MOUNT, opt_ptr(&s), t.as_ptr(), opt_ptr(&f), flags, opt_ptr(&d)) }
        .map(|_| ())
        .map_err(|e| SysError::at(e, "mount", target))
}

/// umount2(2).
pub fn umount2(target: &str, flags: usize) -> Result<(), SysError> {
    let t = cstr(target, "umount2")?;
    unsafe { sc!(nr::UMOUNT2, t.as_ptr(), flags) }
        .map(|_| ())
        .map_err(|e| SysError::at(e, "umount2", target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makedev_matches_glibc_layout() {
        assert_eq!(makedev(1, 3), 0x103);
        assert_eq!(makedev(0, 0), 0);
        assert_eq!(makedev(259, 1), (259 << 8) | 1);
        assert_eq!(makedev(0x1000, 0x100), (0x1000u64 << 32) | (0x100 << 12));
    }

    #[test]
    fn errors_name_the_path() {
        let e = mknod("/nonexistent-ocikit/x", super::super::consts::S_IFIFO | 0o600, 0, 0).unwrap_err();
        assert_eq!(e.errno, Errno::ENOENT);
        assert_eq!(e.path.as_deref(), Some("/nonexistent-ocikit/x"));
        assert!(cstr("a\0b", "x").is_err());
    }

    #[test]
    fn xattr_roundtrip_in_tmp() {
        let dir = std::env::temp_dir().join(format!("ocikit-xattr-{}", std::process::id()));
        std::fs::write(&dir, b"x").unwrap();
        let p = dir.to_str().unwrap();
        let set = lsetxattr(p, "user.ocikit", b"v1", 0);
        if let Err(e) = &set {
            // tmpfs without user xattrs: nothing more to check here
            assert!(e.errno == Errno::EOPNOTSUPP || e.errno == Errno::EPERM);
        } else {
            assert_eq!(lgetxattr(p, "user.ocikit").unwrap(), Some(b"v1".to_vec()));
            assert!(llistxattr(p).unwrap().contains(&"user.ocikit".to_string()));
            assert_eq!(lgetxattr(p, "user.none").unwrap(), None);
        }
        std::fs::remove_file(&dir).unwrap();
    }
}
