//! Signalling a process from any process without hitting a recycled pid: `pidfd_open` the pid,
//! then check its start time (field 22 of `/proc/<pid>/stat`) against the recorded one; the
//! pidfd pins the process, so the check and the signal are about the same one.

use crate::sc;
use crate::sys::{nr, Errno, SysError};

/// Start time of `pid` in clock ticks since boot, or `None` when it is gone.
pub fn start_time(pid: i32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // the command name may hold spaces and parens: fields start after the last ')'
    let rest = &s[s.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// `pidfd_open(pid, 0)`, close-on-exec.
pub fn pidfd_open(pid: i32) -> Result<i32, Errno> {
    if pid <= 0 {
        return Err(Errno::ESRCH);
    }
    unsafe { sc!(nr::PIDFD_OPEN, pid, 0) }.map(|fd| fd as i32)
}

pub fn close(fd: i32) {
    let _ = unsafe { sc!(nr::CLOSE, fd) };
}

/// Sends `sig` through a pidfd; ESRCH (exited) is `Ok(false)`.
pub fn pidfd_signal(pidfd: i32, sig: i32) -> Result<bool, SysError> {
    match unsafe { sc!(nr::PIDFD_SEND_SIGNAL, pidfd, sig, 0, 0) } {
        Ok(_) => Ok(true),
        Err(Errno::ESRCH) => Ok(false),
        Err(e) => Err(SysError::new(e, "pidfd_send_signal")),
    }
}

/// Signals `pid` if it is still the process that started at `start` (clock ticks; `None`: no
/// check). Returns whether a signal was sent (`false`: gone, or the pid now names another process).
pub fn signal_checked(pid: i32, start: Option<u64>, sig: i32) -> Result<bool, SysError> {
    let fd = match pidfd_open(pid) {
        Ok(fd) => fd,
        Err(Errno::ESRCH) => return Ok(false),
        Err(e) => return Err(SysError::at(e, "pidfd_open", &format!("/proc/{pid}"))),
    };
    let same = match start {
        None => true,
        Some(t) => start_time(pid) == Some(t),
    };
    let r = if same { pidfd_signal(fd, sig) } else { Ok(false) };
    close(fd);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_time_and_checked_signal() {
        let me = std::process::id() as i32;
        let t = start_time(me).expect("own start time");
        assert!(t > 0);
        // signal 0: existence check only
        assert!(signal_checked(me, Some(t), 0).unwrap());
        assert!(!signal_checked(me, Some(t + 1), 0).unwrap());
        assert!(!signal_checked(i32::MAX - 1, None, 0).unwrap_or(false));
        assert_eq!(start_time(-5), None);
    }
}
