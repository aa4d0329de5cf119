//! Thin, allocation-free syscall wrappers for the clone child (CStr in, Result<usize, Errno> out),
//! for the calls not behind [`super::syscall::Syscall`] yet (the pty, the process's own setup).

use crate::sc;
use crate::sys::{nr, Errno};
use std::ffi::CStr;

pub type R = Result<usize, Errno>;

#[inline]
pub fn p(c: &CStr) -> usize {
    c.as_ptr() as usize
}

pub fn openat(dir: isize, path: &CStr, flags: usize, mode: u32) -> R {
    unsafe { sc!(nr::OPENAT, dir, p(path), flags, mode) }
}

pub fn close(fd: usize) {
    let _ = unsafe { sc!(nr::CLOSE, fd) };
}
pub fn ioctl(fd: usize, req: usize, arg: usize) -> R {
    unsafe { sc!(nr::IOCTL, fd, req, arg) }
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
}
