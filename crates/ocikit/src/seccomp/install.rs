//! Loading a prepared [`Program`] into the calling thread: async-signal-safe, no allocation.

use super::bpf::SockFprog;
use super::compile::Program;
use crate::seccomp::raw::{nr, prctl, syscall5};

const PR_SET_NO_NEW_PRIVS: usize = 38;
const SECCOMP_SET_MODE_FILTER: usize = 1;

/// Which step of [`install`] failed, with the kernel's errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallError {
    NoNewPrivs(i32),
    SetFilter(i32),
    /// Empty or longer than the kernel accepts (checked without a syscall).
    BadLength(usize),
}

impl InstallError {
    pub fn errno(self) -> i32 {
        match self {
            InstallError::NoNewPrivs(e) | InstallError::SetFilter(e) => e,
            InstallError::BadLength(_) => 22, // EINVAL
        }
    }
    pub fn step(self) -> &'static str {
        match self {
            InstallError::NoNewPrivs(_) => "prctl(PR_SET_NO_NEW_PRIVS)",
            InstallError::SetFilter(_) => "seccomp(SECCOMP_SET_MODE_FILTER)",
            InstallError::BadLength(_) => "seccomp program length",
        }
    }
}

impl std::fmt::Display for InstallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: errno {}", self.step(), self.errno())
    }
}
impl std::error::Error for InstallError {}

/// `prctl(PR_SET_NO_NEW_PRIVS, 1)` alone, for a container run without a seccomp filter
/// (SECURITY.md 12 wants it set either way). Returns the errno on failure. Child-safe.
pub fn set_no_new_privs() -> Result<(), i32> {
    let r = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if r < 0 {
        Err(-r as i32)
    } else {
        Ok(())
    }
}

/// `prctl(PR_SET_NO_NEW_PRIVS, 1)` then `seccomp(SECCOMP_SET_MODE_FILTER, prog.flags, &fprog)`.
/// Safe in a `CLONE_VM|CLONE_VFORK` child: only raw syscalls on the parent-built buffer.
/// Call it last before `execve` (after capabilities and setuid).
pub fn install(prog: &Program) -> Result<(), InstallError> {
    let len = prog.insns.len();
    if len == 0 || len > super::bpf::MAX_INSNS {
        return Err(InstallError::BadLength(len));
    }
    set_no_new_privs().map_err(InstallError::NoNewPrivs)?;
    let fprog = SockFprog { len: len as u16, filter: prog.insns.as_ptr() };
    // SAFETY: fprog points at `len` initialised SockFilter values that outlive the call.
    let r = unsafe {
        syscall5(nr::SECCOMP, SECCOMP_SET_MODE_FILTER, prog.flags as usize, &fprog as *const SockFprog as usize, 0, 0)
    };
    if r < 0 {
        return Err(InstallError::SetFilter(-r as i32));
    }
    Ok(())
}
