//! Adopting the running PID 1 of a container that another process started (a detached
//! container's monitor, or an earlier `ocikit` run): `pidfd_open` it, check its start time
//! against the recorded one (so a recycled pid is never adopted), and hand the pidfd to the
//! reaper, so `exec`/`kill` accept the returned id like one of our own processes. The exit of an
//! adopted process is not ours to reap: the reaper's wait fails (ECHILD) and nobody is told.
//!
//! `adopt(pid, startTime | null)` → id, or null when the process is gone or the pid was recycled.

use super::arg;
use crate::monitor::pidctl;
use crate::napi::ffi::napi_value;
use crate::napi::{CallResult, Env};
use crate::spawn::reaper;
use crate::sys::{Errno, SysError};

/// `adopt(pid, startTime | null)`.
pub fn adopt(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let pid = cx.to_uint(arg(a, 0, "pid")?, "pid", i32::MAX as u64)? as i32;
    let start = match a.get(1).copied() {
        Some(v) if !cx.is_nullish(Some(v))? => Some(cx.to_uint(v, "startTime", u64::MAX >> 11)?),
        _ => None,
    };
    let fd = match pidctl::pidfd_open(pid) {
        Ok(fd) => fd,
        Err(Errno::ESRCH) => return cx.null(),
        Err(e) => return Err(SysError::new(e, "pidfd_open").into()),
    };
    // the pidfd pins the process: a start time read now is the adopted process's own
    if let Some(s) = start {
        if pidctl::start_time(pid) != Some(s) {
            pidctl::close(fd);
            return cx.null();
        }
    }
    match reaper::watch(fd, pid) {
        Ok(id) => cx.number(id as f64),
        Err(e) => {
            pidctl::close(fd);
            Err(e.into())
        }
    }
}
