//! Runtime bindings: spawn/exec a container process, signal it, resize its pty, deliver exits.
//! Spawning is one clone3 (about a millisecond): synchronous, like kill and resize.

use super::error::{arg, uint, OrThrow};
use crate::spawn::{self, reaper, Options};
use crate::spec::Spec;
use crate::sys::{Errno, SysError};
use napi::bindgen_prelude::{Either, FnArgs, Function, Null, Result};
use napi::threadsafe_function::{ThreadsafeCallContext, ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// What the JS exit handler is called with: `(id, pid, exitCode, signal)` (spread, not an array).
type ExitArgs = FnArgs<(f64, f64, f64, f64)>;
/// Weak (it does not keep the loop alive by itself), called without an error argument.
type ExitFn = ThreadsafeFunction<Delivery, (), ExitArgs, Status, false, true, 0>;

/// A JS exit handler: one per Node environment (main thread, each worker, each jest module registry).
struct Handler {
    tsfn: ExitFn,
    /// Processes started through it and not yet delivered: while > 0 its tsfn keeps the loop alive.
    active: usize,
}

static HANDLERS: Mutex<Vec<Handler>> = Mutex::new(Vec::new());
/// Which handler each watched process reports to.
static OWNER: Mutex<Option<HashMap<u64, usize>>> = Mutex::new(None);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

struct Delivery {
    exit: reaper::Exit,
    handler: usize,
}

/// On the JS thread: the last outstanding exit of a handler lets its loop go.
#[allow(deprecated)] // refer/unref: one tsfn whose loop hold follows `active`, not a clone per process
fn deliver(ctx: ThreadsafeCallContext<Delivery>) -> Result<ExitArgs> {
    let d = ctx.value;
    if let Some(h) = lock(&HANDLERS).get_mut(d.handler) {
        h.active = h.active.saturating_sub(1);
        if h.active == 0 {
            let _ = h.tsfn.unref(&ctx.env);
        }
    }
    let e = d.exit;
    Ok((e.id as f64, e.pid as f64, e.code as f64, e.signal as f64).into())
}

/// On the reaper thread: hands an exit to the handler that started the process.
fn sink(exit: reaper::Exit) {
    let Some(handler) = lock(&OWNER).as_mut().and_then(|m| m.remove(&exit.id)) else { return };
    let hs = lock(&HANDLERS);
    if let Some(h) = hs.get(handler) {
        // the queue is unbounded: a blocking call never waits
        h.tsfn.call(Delivery { exit, handler }, ThreadsafeFunctionCallMode::Blocking);
    }
}

/// `setExitHandler(fn(id, pid, exitCode, signal))` → a handler number for `spawn`/`exec` options.
#[napi]
pub fn set_exit_handler(handler: Function<'_, ExitArgs, ()>) -> Result<u32> {
    let tsfn: ExitFn = handler
        .build_threadsafe_function::<Delivery>()
        .callee_handled::<false>()
        .weak::<true>()
        .build_callback(deliver)?;
    reaper::set_sink(Box::new(sink)).map_err(|e| napi::Error::from_reason(e.to_string()))?;
    let mut hs = lock(&HANDLERS);
    hs.push(Handler { tsfn, active: 0 });
    Ok((hs.len() - 1) as u32)
}

#[napi(object)]
pub struct NativeSpawnOptions {
    pub stdio: Vec<f64>,
    pub exit_handler: u32,
    pub cgroup_procs: Option<Vec<String>>,
    pub pdeathsig: Option<f64>,
    pub default_seccomp: Option<bool>,
}

#[napi(object)]
pub struct NativeStarted {
    pub id: f64,
    pub pid: i32,
    pub pty_master: Either<i32, Null>,
}

fn options(env: &Env, o: NativeSpawnOptions) -> Result<(Options, usize)> {
    if o.stdio.len() != 3 {
        return Err(arg(env, "stdio must hold 3 fds"));
    }
    let mut fds = [0i32; 3];
    for (i, v) in o.stdio.iter().enumerate() {
        fds[i] = uint(env, *v, "stdio fd", i32::MAX as u64)? as i32;
    }
    let pdeathsig = match o.pdeathsig {
        Some(s) => uint(env, s, "pdeathsig", 64)? as i32,
        None => 0,
    };
    Ok((Options {
        stdio: fds,
        cgroup_procs: o.cgroup_procs.unwrap_or_default(),
        pdeathsig,
        default_seccomp: o.default_seccomp.unwrap_or(true),
        join_pidfd: None,
        console_socket: None,
    }, o.exit_handler as usize))
}

#[allow(deprecated)] // see `deliver`
fn started(env: &Env, s: spawn::Spawned, handler: usize) -> Result<NativeStarted> {
    {
        let mut hs = lock(&HANDLERS);
        let Some(h) = hs.get_mut(handler) else {
            drop(hs);
            let _ = unsafe { crate::sc!(crate::sys::nr::CLOSE, s.pidfd) };
            return Err(arg(env, "unknown exit handler"));
        };
        h.active += 1;
        if h.active == 1 {
            let _ = h.tsfn.refer(env);
        }
    }
    // registered before the reaper can see the process, so its exit always finds its handler
    let mut owner = lock(&OWNER);
    let id = match reaper::watch(s.pidfd, s.pid) {
        Ok(id) => id,
        Err(e) => {
            drop(owner);
            let _ = unsafe { crate::sc!(crate::sys::nr::CLOSE, s.pidfd) };
            if let Some(h) = lock(&HANDLERS).get_mut(handler) {
                h.active -= 1;
                if h.active == 0 {
                    let _ = h.tsfn.unref(env);
                }
            }
            return Err(e).js(env);
        }
    };
    owner.get_or_insert_with(HashMap::new).insert(id, handler);
    drop(owner);
    Ok(NativeStarted {
        id: id as f64,
        pid: s.pid,
        pty_master: match s.pty_master {
            Some(fd) => Either::A(fd),
            None => Either::B(Null),
        },
    })
}

fn spec_of(env: &Env, text: &str) -> Result<Spec> {
    Spec::from_json(text).map_err(|e| SysError::invalid("spec", &e.0)).js(env)
}

/// `spawn(specJson, {stdio, exitHandler, cgroupProcs, pdeathsig, defaultSeccomp})` → `{id, pid, ptyMaster}`.
#[napi]
pub fn spawn(env: Env, spec_json: String, options: NativeSpawnOptions) -> Result<NativeStarted> {
    let spec = spec_of(&env, &spec_json)?;
    let (opts, handler) = self::options(&env, options)?;
    let s = spawn::spawn(&spec, &opts).js(&env)?;
    started(&env, s, handler)
}

/// `exec(initId, specJson, options)`: the spec's process inside the running container `initId`.
#[napi]
pub fn exec(env: Env, init_id: f64, spec_json: String, options: NativeSpawnOptions) -> Result<NativeStarted> {
    let id = uint(&env, init_id, "id", u32::MAX as u64)?;
    let spec = spec_of(&env, &spec_json)?;
    let (mut opts, handler) = self::options(&env, options)?;
    let pidfd = reaper::dup_pidfd(id).js(&env)?;
    opts.join_pidfd = Some(pidfd);
    let r = spawn::spawn(&spec, &opts);
    let _ = unsafe { crate::sc!(crate::sys::nr::CLOSE, pidfd) };
    started(&env, r.js(&env)?, handler)
}

/// `kill(id, signal)`.
#[napi]
pub fn kill(env: Env, id: f64, signal: f64) -> Result<()> {
    let id = uint(&env, id, "id", u32::MAX as u64)?;
    let sig = uint(&env, signal, "signal", 64)? as i32;
    reaper::signal(id, sig).js(&env)
}

/// `resizePty(fd, rows, cols)`.
#[napi]
pub fn resize_pty(env: Env, fd: i32, rows: u32, cols: u32) -> Result<()> {
    if fd < 0 || rows > u16::MAX as u32 || cols > u16::MAX as u32 {
        return Err(SysError::new(Errno::EBADF, "resize pty")).js(&env);
    }
    spawn::tty::resize(fd, rows as u16, cols as u16).js(&env)
}
