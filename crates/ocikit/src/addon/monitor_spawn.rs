//! Starting `ocikit-monitor` without forking Node: std's `Command` takes glibc's `posix_spawn`
//! (a `CLONE_VM|CLONE_VFORK` clone, so the cost does not grow with Node's heap), where
//! `child_process.spawn` forks Node (4–7 ms each on the JS thread) and then reaps every child on
//! each SIGCHLD (50 monitors exiting together stalled the loop for 20 ms). The monitor is reaped
//! by the reaper thread through a pidfd; its exit carries an id nobody waits for. It makes its
//! own session (`setsid` at its start).

use super::error::OrThrow;
use crate::monitor::pidctl;
use crate::spawn::reaper;
use crate::sys::{Errno, SysError};
use napi::bindgen_prelude::Result;
use napi::Env;
use napi_derive::napi;
use std::os::fd::IntoRawFd;
use std::process::{Command, Stdio};

#[napi(object)]
pub struct MonitorSpawned {
    pub pid: i32,
    /// Read end of a close-on-exec pipe on the monitor's stdout (the caller owns it).
    pub stdout: i32,
}

fn spawn(path: &str, args: &[String]) -> std::result::Result<MonitorSpawned, SysError> {
    let mut child = Command::new(path)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| SysError::at(Errno(e.raw_os_error().unwrap_or(Errno::EIO.0)), "spawn", path))?;
    let pid = child.id() as i32;
    let stdout = child.stdout.take().map(IntoRawFd::into_raw_fd);
    // our unreaped child: its pid cannot be recycled before the reaper waits for it
    let watched = pidctl::pidfd_open(pid)
        .map_err(|e| SysError::new(e, "pidfd_open"))
        .and_then(|fd| reaper::watch(fd, pid).inspect_err(|_| pidctl::close(fd)));
    match (watched, stdout) {
        (Ok(_), Some(fd)) => Ok(MonitorSpawned { pid, stdout: fd }),
        (res, fd) => {
            let _ = child.kill();
            let _ = child.wait();
            if let Some(fd) = fd {
                pidctl::close(fd);
            }
            Err(res.err().unwrap_or_else(|| SysError::new(Errno::EIO, "spawn monitor stdout")))
        }
    }
}

/// `spawnMonitor(path, args)` → `{ pid, stdout }`.
#[napi]
pub fn spawn_monitor(env: Env, path: String, args: Vec<String>) -> Result<MonitorSpawned> {
    spawn(&path, &args).js(&env)
}
