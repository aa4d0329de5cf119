//! Host facts that need a system call: uname, user ids.

use super::error::OrThrow;
use crate::sys::process;
use napi::bindgen_prelude::Result;
use napi::Env;
use napi_derive::napi;

#[napi(object)]
pub struct NativeUname {
    pub sysname: String,
    pub nodename: String,
    pub release: String,
    pub version: String,
    pub machine: String,
}

/// `uname()` → `{ sysname, nodename, release, version, machine }`.
#[napi]
pub fn uname(env: Env) -> Result<NativeUname> {
    let u = process::uname().js(&env)?;
    Ok(NativeUname { sysname: u.sysname, nodename: u.nodename, release: u.release, version: u.version, machine: u.machine })
}

#[napi(object)]
pub struct NativeIds {
    pub uid: u32,
    pub euid: u32,
}

/// `ids()` → `{ uid, euid }`.
#[napi]
pub fn ids() -> NativeIds {
    NativeIds { uid: process::getuid(), euid: process::geteuid() }
}
