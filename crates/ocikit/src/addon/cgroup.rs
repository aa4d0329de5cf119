//! Cgroup bindings: a container's cgroup is named by the list of its directories (`paths()`),
//! so any process (the monitor, a CLI run later) can act on it without shared state.

use super::error::{sys, uint, OrThrow};
use crate::cgroup::{self, Cgroup, CgroupManager};
use crate::monitor::pidctl;
use crate::sys::{Errno, SysError};
use napi::bindgen_prelude::{Either, Null, Result};
use napi::Env;
use napi_derive::napi;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// A cgroup error as a system call error: `cgroup <op>` on the file it concerned; one that did
/// not come from the kernel keeps its message (`swap needs a memory limit`).
pub(crate) fn sys_error(e: cgroup::Error) -> SysError {
    let step = format!("cgroup {}", e.op);
    let path = e.path.to_string_lossy();
    if let Some(errno) = e.errno() {
        return SysError::at(Errno(errno), &step, &path);
    }
    let errno = match e.kind() {
        ErrorKind::NotFound => 2,
        ErrorKind::InvalidInput | ErrorKind::InvalidData => 22,
        ErrorKind::TimedOut => 110,
        ErrorKind::PermissionDenied => 13,
        ErrorKind::Unsupported => 95,
        _ => 5,
    };
    let err = if path.is_empty() { SysError::new(Errno(errno), &step) } else { SysError::at(Errno(errno), &step, &path) };
    err.with_message(&e.source.to_string())
}

fn cg_err(env: &Env) -> impl Fn(cgroup::Error) -> napi::Error + '_ {
    move |e| sys(env, &sys_error(e))
}

fn from_dirs(env: &Env, dirs: &[String]) -> Result<Cgroup> {
    let dirs: Vec<PathBuf> = dirs.iter().map(PathBuf::from).collect();
    Cgroup::from_dirs(&dirs).map_err(cg_err(env))
}

fn dirs_of(cg: &Cgroup) -> Vec<String> {
    cg.paths().iter().map(|p| p.to_string_lossy().into_owned()).collect()
}

type OptNumber = Either<f64, Null>;

fn opt_number(v: Option<u64>) -> OptNumber {
    match v {
        Some(n) => Either::A(n as f64),
        None => Either::B(Null),
    }
}

/// `cgroupOpen(name)` → dirs of an existing cgroup (nothing created or checked).
#[napi]
pub fn cgroup_open(env: Env, name: String) -> Result<Vec<String>> {
    Ok(dirs_of(&Cgroup::open(&name).map_err(cg_err(&env))?))
}

#[napi(object)]
pub struct NativeMemoryStats {
    pub usage: f64,
    pub max_usage: OptNumber,
    pub limit: OptNumber,
    pub cache: f64,
}

#[napi(object)]
pub struct NativeCpuStats {
    pub usage_ns: f64,
}

#[napi(object)]
pub struct NativePidsStats {
    pub current: f64,
    pub limit: OptNumber,
}

#[napi(object)]
pub struct NativeCgroupStats {
    pub memory: NativeMemoryStats,
    pub cpu: NativeCpuStats,
    pub pids: NativePidsStats,
}

/// `cgroupStats(dirs)` → `{memory:{usage,maxUsage,limit,cache}, cpu:{usageNs}, pids:{current,limit}}`.
#[napi]
pub fn cgroup_stats(env: Env, dirs: Vec<String>) -> Result<NativeCgroupStats> {
    let s = from_dirs(&env, &dirs)?.stats().map_err(cg_err(&env))?;
    Ok(NativeCgroupStats {
        memory: NativeMemoryStats {
            usage: s.memory.usage as f64,
            max_usage: opt_number(s.memory.max_usage),
            limit: opt_number(s.memory.limit),
            cache: s.memory.cache as f64,
        },
        cpu: NativeCpuStats { usage_ns: s.cpu.usage_ns as f64 },
        pids: NativePidsStats { current: s.pids.current as f64, limit: opt_number(s.pids.limit) },
    })
}

#[napi]
pub fn cgroup_oom_killed(env: Env, dirs: Vec<String>) -> Result<bool> {
    let cg = from_dirs(&env, &dirs)?;
    match cg.oom_kill_count() {
        Ok(n) => Ok(n > 0),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(false), // no memory hierarchy among the dirs
        Err(e) => Err(cg_err(&env)(e)),
    }
}

#[napi]
pub fn cgroup_procs(env: Env, dirs: Vec<String>) -> Result<Vec<f64>> {
    let p = from_dirs(&env, &dirs)?.procs().map_err(cg_err(&env))?;
    Ok(p.iter().map(|n| *n as f64).collect())
}

/// Best effort: removes up to `n` now-empty parent levels of each directory (shared `ocikit/`).
pub(crate) fn remove_parents(cg: &Cgroup, n: usize) {
    for d in cg.paths() {
        let mut p: &Path = &d;
        for _ in 0..n {
            let Some(parent) = p.parent() else { break };
            if std::fs::remove_dir(parent).is_err() {
                break; // still used by another container
            }
            p = parent;
        }
    }
}

/// `signalChecked(pid, startTime | null, signal)` → whether the signal was sent (false: the
/// process is gone, or the pid was recycled: its start time differs).
#[napi]
pub fn signal_checked(env: Env, pid: i32, start_time: Option<f64>, signal: f64) -> Result<bool> {
    let start = start_time.map(|s| uint(&env, s, "startTime", u64::MAX >> 11)).transpose()?;
    let sig = uint(&env, signal, "signal", 64)? as i32;
    pidctl::signal_checked(pid, start, sig).js(&env)
}

