//! Cgroup bindings: a container's cgroup is named by the list of its directories (`paths()`),
//! so any process (the monitor, a CLI run later) can act on it without shared state.
//!
//! `cgroupCreate(name, resourcesJson)` / `cgroupOpen(name)` → dirs; `cgroupFreeze(dirs)`,
//! `cgroupThaw(dirs)`, `cgroupStats(dirs)`, `cgroupOomKilled(dirs)`, `cgroupKillAll(dirs, sig)`,
//! `cgroupProcs(dirs)`, `cgroupRemove(dirs, parentLevels)`; `signalChecked(pid, startTime, sig)`.

use super::arg;
use crate::cgroup::{self, resources, Cgroup, CgroupManager};
use crate::monitor::pidctl;
use crate::napi::ffi::napi_value;
use crate::napi::{CallError, CallResult, Env};
use crate::sys::{Errno, SysError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A cgroup error as a system call error: `cgroup <op>` on the file it concerned.
pub(crate) fn sys_err(e: cgroup::Error) -> CallError {
    let errno = e.errno().unwrap_or(match e.kind() {
        ErrorKind::NotFound => 2,
        ErrorKind::InvalidInput | ErrorKind::InvalidData => 22,
        ErrorKind::TimedOut => 110,
        ErrorKind::PermissionDenied => 13,
        _ => 5,
    });
    CallError::Sys(SysError::at(Errno(errno), &format!("cgroup {}", e.op), &e.path.to_string_lossy()))
}

fn dirs_arg(cx: Env, a: &[napi_value]) -> CallResult<Cgroup> {
    let dirs: Vec<PathBuf> = cx.to_strings(arg(a, 0, "dirs")?, "dirs")?.into_iter().map(PathBuf::from).collect();
    Cgroup::from_dirs(&dirs).map_err(sys_err)
}

fn dirs_value(cx: Env, cg: &Cgroup) -> CallResult<napi_value> {
    let v: Vec<String> = cg.paths().iter().map(|p| p.to_string_lossy().into_owned()).collect();
    cx.strings(&v)
}

fn opt_number(cx: Env, v: Option<u64>) -> CallResult<napi_value> {
    match v {
        Some(n) => cx.number(n as f64),
        None => cx.null(),
    }
}

/// `cgroupCreate(name, resourcesJson | null)` → dirs. Creates `name` under the caller's own cgroup
/// (or under the root for `/abs`) and applies OCI `linux.resources`; on failure nothing is left.
pub fn create(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let name = cx.to_string(arg(a, 0, "name")?, "name")?;
    let res = cx.to_opt_string(a.get(1).copied(), "resourcesJson")?.unwrap_or_default();
    let r = resources::from_json_text(&res).map_err(|e| SysError::invalid("cgroup resources", &e))?;
    // a concurrent remove of a shared parent (`ocikit/`) can make a level vanish mid-create: retry
    let mut attempt = 0;
    let cg = loop {
        match Cgroup::create(&name) {
            Err(e) if e.kind() == ErrorKind::NotFound && attempt < 5 => attempt += 1,
            other => break other.map_err(sys_err)?,
        }
    };
    if let Err(e) = cg.apply(&r) {
        let _ = cg.remove();
        remove_parents(&cg, levels(&name));
        return Err(sys_err(e));
    }
    dirs_value(cx, &cg)
}

fn levels(name: &str) -> usize {
    name.trim_matches('/').split('/').count().saturating_sub(1)
}

/// `cgroupOpen(name)` → dirs of an existing cgroup (nothing created or checked).
pub fn open(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let name = cx.to_string(arg(a, 0, "name")?, "name")?;
    let cg = Cgroup::open(&name).map_err(sys_err)?;
    dirs_value(cx, &cg)
}

pub fn freeze(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    dirs_arg(cx, a)?.freeze().map_err(sys_err)?;
    cx.undefined()
}

pub fn thaw(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    dirs_arg(cx, a)?.thaw().map_err(sys_err)?;
    cx.undefined()
}

/// `cgroupStats(dirs)` → `{memory:{usage,maxUsage,limit,cache}, cpu:{usageNs}, pids:{current,limit}}`.
pub fn stats(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let s = dirs_arg(cx, a)?.stats().map_err(sys_err)?;
    let mem = cx.object()?;
    cx.set(mem, "usage", cx.number(s.memory.usage as f64)?)?;
    cx.set(mem, "maxUsage", opt_number(cx, s.memory.max_usage)?)?;
    cx.set(mem, "limit", opt_number(cx, s.memory.limit)?)?;
    cx.set(mem, "cache", cx.number(s.memory.cache as f64)?)?;
    let cpu = cx.object()?;
    cx.set(cpu, "usageNs", cx.number(s.cpu.usage_ns as f64)?)?;
    let pids = cx.object()?;
    cx.set(pids, "current", cx.number(s.pids.current as f64)?)?;
    cx.set(pids, "limit", opt_number(cx, s.pids.limit)?)?;
    let o = cx.object()?;
    cx.set(o, "memory", mem)?;
    cx.set(o, "cpu", cpu)?;
    cx.set(o, "pids", pids)?;
    Ok(o)
}

pub fn oom_killed(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let cg = dirs_arg(cx, a)?;
    let n = match cg.oom_kill_count() {
        Ok(n) => n,
        Err(e) if e.kind() == ErrorKind::NotFound => 0, // no memory hierarchy among the dirs
        Err(e) => return Err(sys_err(e)),
    };
    cx.boolean(n > 0)
}

/// `cgroupKillAll(dirs, signal)`: every process; for SIGKILL returns once the cgroup is empty.
pub fn kill_all(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let cg = dirs_arg(cx, a)?;
    let sig = cx.to_uint(arg(a, 1, "signal")?, "signal", 64)? as i32;
    cg.kill_all(sig).map_err(sys_err)?;
    cx.undefined()
}

pub fn procs(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let p = dirs_arg(cx, a)?.procs().map_err(sys_err)?;
    let items = p.iter().map(|n| cx.number(*n as f64)).collect::<CallResult<Vec<_>>>()?;
    cx.array(&items)
}

/// Best effort: removes up to `n` now-empty parent levels of each directory (shared `ocikit/`).
fn remove_parents(cg: &Cgroup, n: usize) {
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

/// `cgroupRemove(dirs, parentLevels)`: waits for the processes to drain (up to 5 s), removes the
/// directories, then the `parentLevels` parents that became empty.
pub fn remove(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let cg = dirs_arg(cx, a)?;
    let parents = match a.get(1).copied() {
        Some(v) if !cx.is_nullish(Some(v))? => cx.to_uint(v, "parentLevels", 16)? as usize,
        _ => 0,
    };
    cg.remove_when_empty(Duration::from_secs(5)).map_err(sys_err)?;
    remove_parents(&cg, parents);
    cx.undefined()
}

/// `signalChecked(pid, startTime | null, signal)` → whether the signal was sent (false: the
/// process is gone, or the pid was recycled: its start time differs).
pub fn signal_checked(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let pid = cx.to_uint(arg(a, 0, "pid")?, "pid", i32::MAX as u64)? as i32;
    let start = match a.get(1).copied() {
        Some(v) if !cx.is_nullish(Some(v))? => Some(cx.to_uint(v, "startTime", u64::MAX >> 11)?),
        _ => None,
    };
    let sig = cx.to_uint(arg(a, 2, "signal")?, "signal", 64)? as i32;
    cx.boolean(pidctl::signal_checked(pid, start, sig)?)
}

/// `processStartTime(pid)` → clock ticks since boot, or null when the process is gone.
pub fn process_start_time(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let pid = cx.to_uint(arg(a, 0, "pid")?, "pid", i32::MAX as u64)? as i32;
    opt_number(cx, pidctl::start_time(pid))
}
