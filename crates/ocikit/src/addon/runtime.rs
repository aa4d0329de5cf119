//! Runtime bindings: spawn/exec a container process, signal it, resize its pty, deliver exits.

use super::arg;
use crate::napi::ffi::*;
use crate::napi::{CallError, CallResult, Env};
use crate::spawn::{self, reaper, Options};
use crate::spec::Spec;
use crate::sys::{Errno, SysError};
use std::ffi::c_void;
use std::ptr::null_mut;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// A JS exit handler: one per Node environment (main thread, each worker, each jest module registry).
struct Handler {
    tsfn: usize,
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

unsafe extern "C" fn deliver(env: napi_env, js_cb: napi_value, _ctx: *mut c_void, data: *mut c_void) {
    let d = Box::from_raw(data as *mut Delivery);
    if env.is_null() {
        return; // environment shutting down
    }
    let unref = {
        let mut hs = lock(&HANDLERS);
        match hs.get_mut(d.handler) {
            Some(h) => {
                h.active = h.active.saturating_sub(1);
                (h.active == 0).then_some(h.tsfn)
            }
            None => None,
        }
    };
    if let Some(tsfn) = unref {
        napi_unref_threadsafe_function(env, tsfn as napi_threadsafe_function);
    }
    let cx = Env(env);
    let exit = d.exit;
    let args = (|| -> CallResult<[napi_value; 4]> {
        Ok([cx.number(exit.id as f64)?, cx.number(exit.pid as f64)?, cx.number(exit.code as f64)?,
            cx.number(exit.signal as f64)?])
    })();
    if let (Ok(argv), Ok(recv)) = (args, cx.undefined()) {
        let mut result = null_mut();
        napi_call_function(env, recv, js_cb, 4, argv.as_ptr(), &mut result);
    }
}

fn sink(exit: reaper::Exit) {
    let Some(handler) = lock(&OWNER).as_mut().and_then(|m| m.remove(&exit.id)) else { return };
    let Some(tsfn) = lock(&HANDLERS).get(handler).map(|h| h.tsfn) else { return };
    let data = Box::into_raw(Box::new(Delivery { exit, handler })) as *mut c_void;
    let st = unsafe { napi_call_threadsafe_function(tsfn as napi_threadsafe_function, data, NAPI_TSFN_BLOCKING) };
    if st != NAPI_OK {
        drop(unsafe { Box::from_raw(data as *mut Delivery) });
    }
}

/// `setExitHandler(fn(id, pid, exitCode, signal))` → a handler number for `spawn`/`exec` options.
pub fn set_exit_handler(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let f = arg(a, 0, "handler")?;
    if cx.type_of(f)? != NAPI_FUNCTION {
        return Err(CallError::Arg("handler must be a function".into()));
    }
    let name = cx.string("ocikit-exit")?;
    let mut tsfn = null_mut();
    let st = unsafe {
        napi_create_threadsafe_function(cx.0, f, null_mut(), name, 0, 1, null_mut(), None, null_mut(), Some(deliver),
            &mut tsfn)
    };
    if st != NAPI_OK {
        return Err(CallError::Napi("create_threadsafe_function", st));
    }
    unsafe { napi_unref_threadsafe_function(cx.0, tsfn) };
    reaper::set_sink(Box::new(sink))?;
    let mut hs = lock(&HANDLERS);
    hs.push(Handler { tsfn: tsfn as usize, active: 0 });
    cx.number((hs.len() - 1) as f64)
}

fn options(cx: Env, o: napi_value) -> CallResult<(Options, usize)> {
    let handler = cx.to_uint(cx.get(o, "exitHandler")?, "exitHandler", u32::MAX as u64)? as usize;
    let stdio = cx.to_vec(cx.get(o, "stdio")?, "stdio")?;
    if stdio.len() != 3 {
        return Err(CallError::Arg("stdio must hold 3 fds".into()));
    }
    let mut fds = [0i32; 3];
    for (i, v) in stdio.iter().enumerate() {
        fds[i] = cx.to_uint(*v, "stdio fd", i32::MAX as u64)? as i32;
    }
    let procs = cx.get(o, "cgroupProcs")?;
    let seccomp = cx.get(o, "defaultSeccomp")?;
    let pdeath = cx.get(o, "pdeathsig")?;
    Ok((Options {
        stdio: fds,
        cgroup_procs: if cx.is_nullish(Some(procs))? { Vec::new() } else { cx.to_strings(procs, "cgroupProcs")? },
        pdeathsig: if cx.is_nullish(Some(pdeath))? { 0 } else { cx.to_uint(pdeath, "pdeathsig", 64)? as i32 },
        default_seccomp: if cx.is_nullish(Some(seccomp))? { true } else { cx.to_bool(seccomp, "defaultSeccomp")? },
        join_pidfd: None,
        console_socket: None,
    }, handler))
}

fn started(cx: Env, s: spawn::Spawned, handler: usize) -> CallResult<napi_value> {
    let tsfn = {
        let mut hs = lock(&HANDLERS);
        let h = hs.get_mut(handler).ok_or_else(|| CallError::Arg("unknown exit handler".into()))?;
        h.active += 1;
        (h.active == 1).then_some(h.tsfn)
    };
    if let Some(t) = tsfn {
        unsafe { napi_ref_threadsafe_function(cx.0, t as napi_threadsafe_function) };
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
                    unsafe { napi_unref_threadsafe_function(cx.0, h.tsfn as napi_threadsafe_function) };
                }
            }
            return Err(e.into());
        }
    };
    owner.get_or_insert_with(HashMap::new).insert(id, handler);
    drop(owner);
    let o = cx.object()?;
    cx.set(o, "id", cx.number(id as f64)?)?;
    cx.set(o, "pid", cx.number(s.pid as f64)?)?;
    cx.set(o, "ptyMaster", match s.pty_master {
        Some(fd) => cx.number(fd as f64)?,
        None => cx.null()?,
    })?;
    Ok(o)
}

fn spec_of(cx: Env, v: napi_value) -> CallResult<Spec> {
    let text = cx.to_string(v, "spec")?;
    Spec::from_json(&text).map_err(|e| CallError::Sys(SysError::invalid("spec", &e.0)))
}

/// `spawn(specJson, {stdio, cgroupProcs, pdeathsig, defaultSeccomp})` → `{id, pid, ptyMaster}`.
pub fn spawn(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let spec = spec_of(cx, arg(a, 0, "spec")?)?;
    let (opts, handler) = options(cx, arg(a, 1, "options")?)?;
    let s = spawn::spawn(&spec, &opts)?;
    started(cx, s, handler)
}

/// `exec(initId, specJson, options)`: the spec's process inside the running container `initId`.
pub fn exec(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let id = cx.to_uint(arg(a, 0, "id")?, "id", u32::MAX as u64)?;
    let spec = spec_of(cx, arg(a, 1, "spec")?)?;
    let (mut opts, handler) = options(cx, arg(a, 2, "options")?)?;
    let pidfd = reaper::dup_pidfd(id)?;
    opts.join_pidfd = Some(pidfd);
    let r = spawn::spawn(&spec, &opts);
    let _ = unsafe { crate::sc!(crate::sys::nr::CLOSE, pidfd) };
    started(cx, r?, handler)
}

/// `kill(id, signal)`.
pub fn kill(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let id = cx.to_uint(arg(a, 0, "id")?, "id", u32::MAX as u64)?;
    let sig = cx.to_uint(arg(a, 1, "signal")?, "signal", 64)? as i32;
    reaper::signal(id, sig)?;
    cx.undefined()
}

/// `resizePty(fd, rows, cols)`.
pub fn resize_pty(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let fd = cx.to_uint(arg(a, 0, "fd")?, "fd", i32::MAX as u64)? as i32;
    let rows = cx.to_uint(arg(a, 1, "rows")?, "rows", u16::MAX as u64)? as u16;
    let cols = cx.to_uint(arg(a, 2, "cols")?, "cols", u16::MAX as u64)? as u16;
    if fd < 0 {
        return Err(SysError::new(Errno::EBADF, "resize pty").into());
    }
    spawn::tty::resize(fd, rows, cols)?;
    cx.undefined()
}
