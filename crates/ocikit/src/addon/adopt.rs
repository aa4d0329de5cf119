//! Adopting the running PID 1 of a container that another process started (a detached
//! container's monitor, or an earlier `ocikit` run): `pidfd_open` it, check its start time
//! against the recorded one (so a recycled pid is never adopted), and hand the pidfd to the
//! reaper, so `exec`/`kill` accept the returned id like one of our own processes. The exit of an
//! adopted process is not ours to reap: the reaper's wait fails (ECHILD) and nobody is told.

use super::error::{uint, OrThrow};
use crate::monitor::pidctl;
use crate::spawn::reaper;
use crate::sys::{Errno, SysError};
use napi::bindgen_prelude::Result;
use napi::Env;
use napi_derive::napi;

/// `adopt(pid, startTime | null)` → id, or null when the process is gone or the pid was recycled.
#[napi]
pub fn adopt(env: Env, pid: i32, start_time: Option<f64>) -> Result<Option<f64>> {
    let start = start_time.map(|s| uint(&env, s, "startTime", u64::MAX >> 11)).transpose()?;
    let fd = match pidctl::pidfd_open(pid) {
        Ok(fd) => fd,
        Err(Errno::ESRCH) => return Ok(None),
        Err(e) => return Err(SysError::new(e, "pidfd_open")).js(&env),
    };
    // the pidfd pins the process: a start time read now is the adopted process's own
    if let Some(s) = start {
        if pidctl::start_time(pid) != Some(s) {
            pidctl::close(fd);
            return Ok(None);
        }
    }
    match reaper::watch(fd, pid) {
        Ok(id) => Ok(Some(id as f64)),
        Err(e) => {
            pidctl::close(fd);
            Err(e).js(&env)
        }
    }
}
