//! One error type for every cgroup operation: what was being done, on which file, and the
//! kernel's error (errno available through `source.raw_os_error()`).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Error {
    /// The step, e.g. `"write"`, `"mkdir"`, `"freeze"`.
    pub op: String,
    pub path: PathBuf,
    pub source: io::Error,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(op: impl Into<String>, path: impl AsRef<Path>, source: io::Error) -> Error {
        Error { op: op.into(), path: path.as_ref().to_path_buf(), source }
    }
    /// An error that did not come from a syscall (bad input, timeout, unsupported setting).
    pub fn other(op: impl Into<String>, path: impl AsRef<Path>, kind: io::ErrorKind, msg: impl Into<String>) -> Error {
        Error::new(op, path, io::Error::new(kind, msg.into()))
    }
    pub fn errno(&self) -> Option<i32> {
        self.source.raw_os_error()
    }
    pub fn kind(&self) -> io::ErrorKind {
        self.source.kind()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cgroup {} {}: {}", self.op, self.path.display(), self.source)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
