//! The sealed copy of `ocikit-exec` that every container process is exec'd through.
//!
//! A child that execs the container's program directly would do so with the caller's binary (node,
//! or ocikit-monitor) as its `/proc/self/exe`: a `#!/proc/self/exe` script in the image, or an ELF
//! whose interpreter is that path, then runs the host binary inside the container, where a
//! container process can reopen it for writing (runc CVE-2019-5736, SECURITY.md class 14b). The
//! child execs `ocikit-exec` from a memfd instead: write, grow, shrink and exec-bit changes are
//! sealed, so the file behind that process's `/proc/self/exe` cannot be changed by anyone, and it
//! is no host file. `ocikit-exec` then execs the container's program.

use crate::sc;
use crate::sys::consts::*;
use crate::sys::{nr, Errno, SysError};
use std::sync::OnceLock;

/// The freestanding helper built by build.rs from helper/ocikit-exec.rs.
pub static HELPER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ocikit-exec"));

/// `argv[0]` that `ocikit-exec` insists on (anything else: it refuses to run).
pub const HELPER_ARGV0: &str = "ocikit-exec";

/// A sealed, close-on-exec memfd holding [`HELPER`], made once per process and kept for its life.
pub fn helper_fd() -> Result<i32, SysError> {
    static FD: OnceLock<Result<i32, SysError>> = OnceLock::new();
    FD.get_or_init(sealed_copy).clone()
}

fn sealed_copy() -> Result<i32, SysError> {
    let name = c"ocikit-exec";
    // MFD_EXEC (Linux 6.3) says outright that the memfd is executable; older kernels refuse the flag
    let fd = match unsafe { sc!(nr::MEMFD_CREATE, name.as_ptr(), MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC) } {
        Err(Errno::EINVAL) => unsafe { sc!(nr::MEMFD_CREATE, name.as_ptr(), MFD_CLOEXEC | MFD_ALLOW_SEALING) },
        r => r,
    }
    .map_err(|e| SysError::new(e, "memfd_create (ocikit-exec)"))? as i32;
    let fail = |e: Errno, step: &str| {
        let _ = unsafe { sc!(nr::CLOSE, fd) };
        SysError::new(e, step)
    };
    let mut done = 0;
    while done < HELPER.len() {
        let rest = &HELPER[done..];
        match unsafe { sc!(nr::WRITE, fd, rest.as_ptr(), rest.len()) } {
            Ok(n) => done += n,
            Err(Errno::EINTR) => {}
            Err(e) => return Err(fail(e, "write (ocikit-exec memfd)")),
        }
    }
    let seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    // F_SEAL_EXEC (Linux 6.3) also pins the mode bits; without it the write seal is what matters
    match unsafe { sc!(nr::FCNTL, fd, F_ADD_SEALS, seals | F_SEAL_EXEC) } {
        Err(Errno::EINVAL) => unsafe { sc!(nr::FCNTL, fd, F_ADD_SEALS, seals) },
        r => r,
    }
    .map_err(|e| fail(e, "seal (ocikit-exec memfd)"))?;
    Ok(fd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helper_is_a_sealed_executable() {
        assert!(HELPER.starts_with(b"\x7fELF"));
        let fd = helper_fd().unwrap();
        assert_eq!(helper_fd().unwrap(), fd, "made once per process");
        let seals = unsafe { sc!(nr::FCNTL, fd, F_GET_SEALS) }.unwrap();
        assert_eq!(seals & (F_SEAL_WRITE | F_SEAL_SEAL), F_SEAL_WRITE | F_SEAL_SEAL);
        let b = b"x";
        assert_eq!(unsafe { sc!(nr::WRITE, fd, b.as_ptr(), 1) }, Err(Errno::EPERM));
        // reopening it for writing through /proc (what a container would do)
        let path = std::ffi::CString::new(format!("/proc/self/fd/{fd}")).unwrap();
        // is useless: the open may succeed, but every write through it is refused
        match unsafe { sc!(nr::OPENAT, AT_FDCWD, path.as_ptr(), O_WRONLY | O_CLOEXEC) } {
            Err(e) => assert_eq!(e, Errno::EPERM),
            Ok(w) => {
                let r = unsafe { sc!(nr::WRITE, w, b.as_ptr(), 1) };
                let _ = unsafe { sc!(nr::CLOSE, w) };
                assert_eq!(r, Err(Errno::EPERM));
            }
        }
    }
}
