//! The cgroup calls that wait (create: a v1 mkdir per hierarchy can take milliseconds under the
//! kernel's cgroup lock; freeze and thaw poll the state, kill-all repeats until empty, remove waits
//! for processes to drain): AsyncTasks on the libuv pool returning Promises, so the
//! JS thread never blocks on them. An AbortSignal cancels a queued call, and a remove between its
//! polls (it then rejects with ECANCELED, the directories left as they were).

use super::cgroup::{remove_parents, sys_error};
use super::error::{uint, OrThrow};
use crate::cgroup::{resources, Cgroup, CgroupManager};
use crate::sys::{Errno, SysError};
use napi::bindgen_prelude::{AbortSignal, AsyncTask, Result};
use napi::{Env, Task};
use napi_derive::napi;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

enum Op {
    Freeze,
    Thaw,
    KillAll(i32),
    Remove(usize),
}

pub struct CgroupWork {
    dirs: Vec<PathBuf>,
    op: Op,
    aborted: Arc<AtomicBool>,
}

impl CgroupWork {
    fn new(dirs: Vec<String>, op: Op, signal: &Option<AbortSignal>) -> CgroupWork {
        let aborted = Arc::new(AtomicBool::new(false));
        if let Some(s) = signal {
            let flag = aborted.clone();
            s.on_abort(move || flag.store(true, Ordering::Relaxed));
        }
        CgroupWork { dirs: dirs.into_iter().map(PathBuf::from).collect(), op, aborted }
    }

    fn run(&self) -> std::result::Result<(), SysError> {
        let cg = Cgroup::from_dirs(&self.dirs).map_err(sys_error)?;
        match self.op {
            Op::Freeze => cg.freeze().map_err(sys_error),
            Op::Thaw => cg.thaw().map_err(sys_error),
            Op::KillAll(sig) => cg.kill_all(sig).map_err(sys_error),
            Op::Remove(parents) => {
                // 5 s in all, in slices short enough to notice an abort
                let deadline = Instant::now() + Duration::from_secs(5);
                loop {
                    let left = deadline.saturating_duration_since(Instant::now());
                    match cg.remove_when_empty(left.min(Duration::from_millis(100))) {
                        Err(e) if e.errno() == Some(Errno::EBUSY.0) && !left.is_zero() => {
                            if self.aborted.load(Ordering::Relaxed) {
                                return Err(SysError::new(Errno::ECANCELED, "cgroup remove").with_message("aborted"));
                            }
                        }
                        other => break other.map_err(sys_error)?,
                    }
                }
                remove_parents(&cg, parents);
                Ok(())
            }
        }
    }
}

impl Task for CgroupWork {
    type Output = std::result::Result<(), SysError>;
    type JsValue = ();

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(self.run())
    }

    fn resolve(&mut self, env: Env, out: Self::Output) -> Result<()> {
        out.js(&env)
    }
}

fn task(dirs: Vec<String>, op: Op, signal: Option<AbortSignal>) -> AsyncTask<CgroupWork> {
    let work = CgroupWork::new(dirs, op, &signal);
    AsyncTask::with_optional_signal(work, signal)
}

/// `cgroupFreeze(dirs, signal?)`: resolves once every process is frozen.
#[napi]
pub fn cgroup_freeze(dirs: Vec<String>, signal: Option<AbortSignal>) -> AsyncTask<CgroupWork> {
    task(dirs, Op::Freeze, signal)
}

#[napi]
pub fn cgroup_thaw(dirs: Vec<String>, signal: Option<AbortSignal>) -> AsyncTask<CgroupWork> {
    task(dirs, Op::Thaw, signal)
}

/// `cgroupKillAll(dirs, signal, abort?)`: every process; for SIGKILL resolves once the cgroup is empty.
#[napi]
pub fn cgroup_kill_all(env: Env, dirs: Vec<String>, signal: f64, abort: Option<AbortSignal>)
    -> Result<AsyncTask<CgroupWork>> {
    let sig = uint(&env, signal, "signal", 64)? as i32;
    Ok(task(dirs, Op::KillAll(sig), abort))
}

/// `cgroupRemove(dirs, parentLevels, signal?)`: waits for the processes to drain (up to 5 s),
/// removes the directories, then the `parentLevels` parents that became empty.
#[napi]
pub fn cgroup_remove(env: Env, dirs: Vec<String>, parent_levels: Option<f64>, signal: Option<AbortSignal>)
    -> Result<AsyncTask<CgroupWork>> {
    let parents = parent_levels.map(|n| uint(&env, n, "parentLevels", 16)).transpose()?.unwrap_or(0) as usize;
    Ok(task(dirs, Op::Remove(parents), signal))
}

pub struct CgroupCreate {
    name: String,
    resources: resources::Resources,
}

impl CgroupCreate {
    fn run(&self) -> std::result::Result<Vec<String>, SysError> {
        // a concurrent remove of a shared parent (`ocikit/`) can make a level vanish mid-create: retry
        let mut attempt = 0;
        let cg = loop {
            match Cgroup::create(&self.name) {
                Err(e) if e.kind() == ErrorKind::NotFound && attempt < 5 => attempt += 1,
                other => break other.map_err(sys_error)?,
            }
        };
        if let Err(e) = cg.apply(&self.resources) {
            let _ = cg.remove();
            remove_parents(&cg, self.name.trim_matches('/').split('/').count().saturating_sub(1));
            return Err(sys_error(e));
        }
        Ok(cg.paths().iter().map(|p| p.to_string_lossy().into_owned()).collect())
    }
}

impl Task for CgroupCreate {
    type Output = std::result::Result<Vec<String>, SysError>;
    type JsValue = Vec<String>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(self.run())
    }

    fn resolve(&mut self, env: Env, out: Self::Output) -> Result<Vec<String>> {
        out.js(&env)
    }
}

/// `cgroupCreate(name, resourcesJson | null)` → dirs. Creates `name` under the caller's own cgroup
/// (or under the root for `/abs`) and applies OCI `linux.resources`; on failure nothing is left.
/// Bad resources throw now; the directories are made on the libuv pool.
#[napi]
pub fn cgroup_create(env: Env, name: String, resources_json: Option<String>) -> Result<AsyncTask<CgroupCreate>> {
    let res = resources_json.unwrap_or_default();
    let r = resources::from_json_text(&res).map_err(|e| SysError::invalid("cgroup resources", &e)).js(&env)?;
    Ok(AsyncTask::new(CgroupCreate { name, resources: r }))
}
