//! Error numbers and the error type that carries errno, the failed step and the path.

use std::fmt;

/// A raw errno value returned by the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    pub const EPERM: Errno = Errno(1);
    pub const ENOENT: Errno = Errno(2);
    pub const ESRCH: Errno = Errno(3);
    pub const EINTR: Errno = Errno(4);
    pub const EIO: Errno = Errno(5);
    pub const EBADF: Errno = Errno(9);
    pub const ECHILD: Errno = Errno(10);
    pub const EAGAIN: Errno = Errno(11);
    pub const ENOMEM: Errno = Errno(12);
    pub const EACCES: Errno = Errno(13);
    pub const EFAULT: Errno = Errno(14);
    pub const EBUSY: Errno = Errno(16);
    pub const EEXIST: Errno = Errno(17);
    pub const ENOTDIR: Errno = Errno(20);
    pub const EISDIR: Errno = Errno(21);
    pub const EINVAL: Errno = Errno(22);
    pub const ENOSPC: Errno = Errno(28);
    pub const ERANGE: Errno = Errno(34);
    pub const ENAMETOOLONG: Errno = Errno(36);
    pub const ETIMEDOUT: Errno = Errno(110);
    pub const ENOSYS: Errno = Errno(38);
    pub const ELOOP: Errno = Errno(40);
    pub const ENODATA: Errno = Errno(61);
    pub const EOPNOTSUPP: Errno = Errno(95);
    pub const EXDEV: Errno = Errno(18);
    pub const ECANCELED: Errno = Errno(125);

    /// The symbolic name such as `ENOENT`, or `E<number>` for the rare ones.
    pub fn name(self) -> String {
        let known = match self.0 {
            1 => "EPERM", 2 => "ENOENT", 3 => "ESRCH", 4 => "EINTR", 5 => "EIO", 6 => "ENXIO",
            7 => "E2BIG", 8 => "ENOEXEC", 9 => "EBADF", 10 => "ECHILD", 11 => "EAGAIN",
            12 => "ENOMEM", 13 => "EACCES", 14 => "EFAULT", 15 => "ENOTBLK", 16 => "EBUSY",
            17 => "EEXIST", 18 => "EXDEV", 19 => "ENODEV", 20 => "ENOTDIR", 21 => "EISDIR",
            22 => "EINVAL", 23 => "ENFILE", 24 => "EMFILE", 25 => "ENOTTY", 26 => "ETXTBSY",
            27 => "EFBIG", 28 => "ENOSPC", 29 => "ESPIPE", 30 => "EROFS", 31 => "EMLINK",
            32 => "EPIPE", 34 => "ERANGE", 36 => "ENAMETOOLONG", 38 => "ENOSYS",
            39 => "ENOTEMPTY", 40 => "ELOOP", 61 => "ENODATA", 95 => "EOPNOTSUPP",
            110 => "ETIMEDOUT", 122 => "EDQUOT", 125 => "ECANCELED",
            _ => return format!("E{}", self.0),
        };
        known.to_string()
    }

    /// The kernel's description, through std's formatting of OS errors.
    pub fn describe(self) -> String {
        let s = std::io::Error::from_raw_os_error(self.0).to_string();
        match s.find(" (os error") {
            Some(i) => s[..i].to_string(),
            None => s,
        }
    }
}

/// A failed system call: errno, the step (syscall name or setup step), the path it worked on, and
/// what went wrong in words when the errno alone does not say (a refused input, a timeout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SysError {
    pub errno: Errno,
    pub step: String,
    pub path: Option<String>,
    pub message: Option<String>,
}

impl SysError {
    pub fn new(errno: Errno, step: &str) -> SysError {
        SysError { errno, step: step.to_string(), path: None, message: None }
    }
    pub fn at(errno: Errno, step: &str, path: &str) -> SysError {
        SysError { errno, step: step.to_string(), path: Some(path.to_string()), message: None }
    }
    /// An error that is not from the kernel (bad input): errno EINVAL, and `message` saying why.
    pub fn invalid(step: &str, message: &str) -> SysError {
        SysError::new(Errno::EINVAL, step).with_message(message)
    }
    pub fn with_message(mut self, message: &str) -> SysError {
        self.message = Some(message.to_string());
        self
    }
}

/// `<step> failed: <errno description> (<ERRNO>)[: <path>][: <message>]`.
impl fmt::Display for SysError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {} ({})", self.step, self.errno.describe(), self.errno.name())?;
        if let Some(p) = &self.path {
            write!(f, ": {p}")?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SysError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_display() {
        assert_eq!(Errno::ENOENT.name(), "ENOENT");
        assert_eq!(Errno(200).name(), "E200");
        let e = SysError::at(Errno::EPERM, "mount", "/x");
        assert_eq!(e.to_string(), "mount failed: Operation not permitted (EPERM): /x");
        let e = SysError::invalid("spec", "process.args is empty");
        assert_eq!((e.path.as_deref(), e.message.as_deref()), (None, Some("process.args is empty")));
        assert_eq!(e.to_string(), "spec failed: Invalid argument (EINVAL): process.args is empty");
    }
}
