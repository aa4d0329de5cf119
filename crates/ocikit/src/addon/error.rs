//! The one place a Rust error becomes a JS error.
//!
//! A [`SysError`] becomes an `Error` whose `code` is the errno name (`ENOENT`; stable, what
//! lib/native/call.ts keys on), with `errno`, `syscall`, `path` and `detail` (its own message, also
//! part of `message`); lib/native/call.ts turns it into a `SyscallError`. A wrong argument becomes a `TypeError` with code `ERR_INVALID_ARG_TYPE`.

use crate::sys::SysError;
use napi::bindgen_prelude::{Error, Result, Status};
use napi::{Env, JsValue};

/// `e` as the JS error described above (a plain Error with the message if that cannot be built).
pub(crate) fn sys(env: &Env, e: &SysError) -> Error {
    build(env, e).unwrap_or_else(|_| Error::new(Status::GenericFailure, e.to_string()))
}

fn build(env: &Env, e: &SysError) -> Result<Error> {
    let mut obj = env.create_error(Error::new(Status::GenericFailure, e.to_string()))?;
    obj.set("code", e.errno.name())?;
    obj.set("errno", e.errno.0)?;
    obj.set("syscall", e.step.as_str())?;
    if let Some(p) = &e.path {
        obj.set("path", p.as_str())?;
    }
    if let Some(m) = &e.message {
        obj.set("detail", m.as_str())?;
    }
    Ok(Error::from(obj.to_unknown()))
}

/// A `TypeError` (code `ERR_INVALID_ARG_TYPE`) thrown now; the returned error only says so.
pub(crate) fn arg(env: &Env, msg: &str) -> Error {
    let _ = env.throw_type_error(msg, Some("ERR_INVALID_ARG_TYPE"));
    Error::new(Status::PendingException, msg)
}

/// `Result<T, SysError>` → `napi::Result<T>` with the error converted on `env`.
pub(crate) trait OrThrow<T> {
    fn js(self, env: &Env) -> Result<T>;
}

impl<T> OrThrow<T> for std::result::Result<T, SysError> {
    fn js(self, env: &Env) -> Result<T> {
        self.map_err(|e| sys(env, &e))
    }
}

/// An integer in `0..=max` from a JS number (napi's own conversions truncate silently).
pub(crate) fn uint(env: &Env, n: f64, what: &str, max: u64) -> Result<u64> {
    if n.fract() != 0.0 || n < 0.0 || n > max as f64 {
        return Err(arg(env, &format!("{what} must be an integer in 0..={max}")));
    }
    Ok(n as u64)
}
