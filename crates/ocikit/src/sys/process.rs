//! Process identity: uname, user ids.

use super::{nr, SysError};
use crate::sc;

/// The fields of `struct utsname` (six arrays of 65 bytes on Linux).
#[derive(Clone, Debug, Default)]
pub struct Uname {
    pub sysname: String,
    pub nodename: String,
    pub release: String,
    pub version: String,
    pub machine: String,
    pub domainname: String,
}

fn field(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// uname(2).
pub fn uname() -> Result<Uname, SysError> {
    let mut buf = [0u8; 65 * 6];
    unsafe { sc!(nr::UNAME, buf.as_mut_ptr()) }.map_err(|e| SysError::new(e, "uname"))?;
    let f = |i: usize| field(&buf[i * 65..(i + 1) * 65]);
    Ok(Uname { sysname: f(0), nodename: f(1), release: f(2), version: f(3), machine: f(4), domainname: f(5) })
}

/// geteuid(2) (cannot fail).
pub fn geteuid() -> u32 {
    unsafe { sc!(nr::GETEUID) }.unwrap_or(u32::MAX as usize) as u32
}

/// getuid(2) (cannot fail).
pub fn getuid() -> u32 {
    unsafe { sc!(nr::GETUID) }.unwrap_or(u32::MAX as usize) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uname_reads_linux() {
        let u = uname().unwrap();
        assert_eq!(u.sysname, "Linux");
        assert!(!u.release.is_empty());
        assert_eq!(u.machine, std::env::consts::ARCH);
        let proc_release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
        assert_eq!(u.release, proc_release.trim());
    }
}
