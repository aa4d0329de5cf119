//! Thin, allocation-free syscall wrappers for the clone child (CStr in, Result<usize, Errno> out).

use crate::sc;
use crate::sys::consts::*;
use crate::sys::{nr, Errno};
use std::ffi::CStr;

pub type R = Result<usize, Errno>;

#[inline]
pub fn p(c: &CStr) -> usize {
    c.as_ptr() as usize
}

pub fn mount(src: Option<&CStr>, target: &CStr, fstype: Option<&CStr>, flags: usize, data: Option<&CStr>) -> R {
    let o = |c: Option<&CStr>| c.map_or(0, p);
    unsafe { sc!(nr::MOUNT, o(src), p(target), o(fstype), flags, o(data)) }
}
pub fn umount2(target: &CStr, flags: usize) -> R {
    unsafe { sc!(nr::UMOUNT2, p(target), flags) }
}
pub fn openat(dir: isize, path: &CStr, flags: usize, mode: u32) -> R {
    unsafe { sc!(nr::OPENAT, dir, p(path), flags, mode) }
}

/// `struct open_how` of openat2(2).
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

/// Opens `path` as if `root` were `/`: `..` and symlinks (absolute too) cannot leave `root`.
pub fn open_in_root(root: usize, path: &CStr, flags: usize) -> R {
    let how = OpenHow { flags: flags as u64, mode: 0, resolve: RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    unsafe { sc!(nr::OPENAT2, root, p(path), &how as *const OpenHow, core::mem::size_of::<OpenHow>()) }
}
pub fn close(fd: usize) {
    let _ = unsafe { sc!(nr::CLOSE, fd) };
}
pub fn mkdirat(dir: usize, name: &CStr, mode: u32) -> R {
    unsafe { sc!(nr::MKDIRAT, dir, p(name), mode) }
}
pub fn mknodat(dir: usize, name: &CStr, mode: u32, dev: u64) -> R {
    unsafe { sc!(nr::MKNODAT, dir, p(name), mode, dev) }
}
pub fn symlinkat(target: &CStr, dir: usize, name: &CStr) -> R {
    unsafe { sc!(nr::SYMLINKAT, p(target), dir, p(name)) }
}
pub fn fchdir(fd: usize) -> R {
    unsafe { sc!(nr::FCHDIR, fd) }
}
pub fn chdir(path: &CStr) -> R {
    unsafe { sc!(nr::CHDIR, p(path)) }
}
pub fn write(fd: usize, buf: &[u8]) -> R {
    unsafe { sc!(nr::WRITE, fd, buf.as_ptr(), buf.len()) }
}
pub fn ioctl(fd: usize, req: usize, arg: usize) -> R {
    unsafe { sc!(nr::IOCTL, fd, req, arg) }
}
pub fn prctl(op: usize, a: usize) -> R {
    unsafe { sc!(nr::PRCTL, op, a, 0, 0, 0) }
}
/// The file type bits of `path` (not following a final symlink).
pub fn lstat_mode(path: &CStr) -> Result<u32, Errno> {
    let mut st = [0u64; 18]; // struct stat is 144 bytes on x86-64, 128 on aarch64
    unsafe { sc!(nr::NEWFSTATAT, AT_FDCWD, p(path), st.as_mut_ptr(), AT_SYMLINK_NOFOLLOW) }?;
    #[cfg(target_arch = "x86_64")]
    let mode = (st[3] & 0xffff_ffff) as u32; // st_mode at offset 24
    #[cfg(target_arch = "aarch64")]
    let mode = (st[2] & 0xffff_ffff) as u32; // st_mode at offset 16
    Ok(mode)
}

/// Writes the decimal digits of `n` after `prefix` into `buf` with a trailing NUL; returns the CStr.
pub fn fmt_num<'a>(buf: &'a mut [u8; 64], prefix: &[u8], n: usize) -> &'a CStr {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut v = n;
    loop {
        digits[len] = b'0' + (v % 10) as u8;
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let plen = prefix.len().min(64 - 22);
    buf[..plen].copy_from_slice(&prefix[..plen]);
    for i in 0..len {
        buf[plen + i] = digits[len - 1 - i];
    }
    buf[plen + len] = 0;
    // SAFETY: NUL written at plen+len and no NUL before it (prefix has none, digits are ASCII).
    unsafe { CStr::from_bytes_with_nul_unchecked(&buf[..plen + len + 1]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        let mut b = [0u8; 64];
        assert_eq!(fmt_num(&mut b, b"/proc/self/fd/", 0).to_bytes(), b"/proc/self/fd/0");
        assert_eq!(fmt_num(&mut b, b"/dev/pts/", 1234567).to_bytes(), b"/dev/pts/1234567");
    }

    #[test]
    fn lstat_mode_reads_type() {
        assert_eq!(lstat_mode(c"/").unwrap() & S_IFMT, S_IFDIR);
        assert_eq!(lstat_mode(c"/proc/self").unwrap() & S_IFMT, S_IFLNK);
        assert_eq!(lstat_mode(c"/nonexistent-ocikit"), Err(Errno::ENOENT));
    }
}
