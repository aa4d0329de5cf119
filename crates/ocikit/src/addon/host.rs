//! Host facts that need a system call: uname, user ids.

use crate::napi::ffi::napi_value;
use crate::napi::{CallResult, Env};
use crate::sys::process;

/// `uname()` → `{ sysname, nodename, release, version, machine }`.
pub fn uname(cx: Env, _args: &[napi_value]) -> CallResult<napi_value> {
    let u = process::uname()?;
    let o = cx.object()?;
    cx.set(o, "sysname", cx.string(&u.sysname)?)?;
    cx.set(o, "nodename", cx.string(&u.nodename)?)?;
    cx.set(o, "release", cx.string(&u.release)?)?;
    cx.set(o, "version", cx.string(&u.version)?)?;
    cx.set(o, "machine", cx.string(&u.machine)?)?;
    Ok(o)
}

/// `ids()` → `{ uid, euid }`.
pub fn ids(cx: Env, _args: &[napi_value]) -> CallResult<napi_value> {
    let o = cx.object()?;
    cx.set(o, "uid", cx.number(process::getuid() as f64)?)?;
    cx.set(o, "euid", cx.number(process::geteuid() as f64)?)?;
    Ok(o)
}
