//! Raw Linux system calls and constants, declared by hand (std only, no libc crate).
//!
//! Every call returns `Result<usize, Errno>` decoded from the kernel's raw return value, so it never
//! touches libc's thread-local `errno` and is safe in a `CLONE_VM` child before exec.

#[cfg(target_arch = "x86_64")]
#[path = "x86_64.rs"]
mod arch;
#[cfg(target_arch = "aarch64")]
#[path = "aarch64.rs"]
mod arch;

pub mod at;
pub mod consts;
pub mod errno;
pub mod fs;
pub mod process;

pub use arch::nr;
pub use arch::raw_syscall6;
pub use errno::{Errno, SysError};

/// Decodes a raw return value: the kernel reports failure as `-errno` in `-4095..=-1`.
#[inline(always)]
pub fn decode(ret: isize) -> Result<usize, Errno> {
    if (-4095..0).contains(&ret) {
        Err(Errno(-ret as i32))
    } else {
        Ok(ret as usize)
    }
}

/// Performs system call `n` with up to six word-sized arguments.
///
/// # Safety
/// The caller upholds the kernel contract of the call (valid pointers, lengths, flags).
#[inline(always)]
pub unsafe fn syscall(n: usize, a: [usize; 6]) -> Result<usize, Errno> {
    decode(raw_syscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]))
}

/// Shorthand: `sc!(nr::FOO, a, b)` pads the arguments with zeros.
#[macro_export]
macro_rules! sc {
    ($n:expr) => { $crate::sys::syscall($n, [0, 0, 0, 0, 0, 0]) };
    ($n:expr, $a:expr) => { $crate::sys::syscall($n, [$a as usize, 0, 0, 0, 0, 0]) };
    ($n:expr, $a:expr, $b:expr) => { $crate::sys::syscall($n, [$a as usize, $b as usize, 0, 0, 0, 0]) };
    ($n:expr, $a:expr, $b:expr, $c:expr) => {
        $crate::sys::syscall($n, [$a as usize, $b as usize, $c as usize, 0, 0, 0])
    };
    ($n:expr, $a:expr, $b:expr, $c:expr, $d:expr) => {
        $crate::sys::syscall($n, [$a as usize, $b as usize, $c as usize, $d as usize, 0, 0])
    };
    ($n:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr) => {
        $crate::sys::syscall($n, [$a as usize, $b as usize, $c as usize, $d as usize, $e as usize, 0])
    };
    ($n:expr, $a:expr, $b:expr, $c:expr, $d:expr, $e:expr, $f:expr) => {
        $crate::sys::syscall($n, [$a as usize, $b as usize, $c as usize, $d as usize, $e as usize, $f as usize])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_splits_errors_from_values() {
        assert_eq!(decode(3), Ok(3));
        assert_eq!(decode(-2), Err(Errno(2)));
        assert_eq!(decode(-4095), Err(Errno(4095)));
        assert_eq!(decode(-4096), Ok((-4096isize) as usize));
    }

    #[test]
    fn getpid_matches_std() {
        let pid = unsafe { sc!(nr::GETPID) }.unwrap();
        assert_eq!(pid as u32, std::process::id());
    }
}
