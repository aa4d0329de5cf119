//! Filesystem bindings the layer code needs: device nodes, xattrs, mounts.

use super::error::{uint, OrThrow};
use crate::sys::fs;
use napi::bindgen_prelude::{Buffer, Either, Result};
use napi::Env;
use napi_derive::napi;

/// `mknod(path, mode, major, minor)`.
#[napi]
pub fn mknod(env: Env, path: String, mode: u32, major: u32, minor: u32) -> Result<()> {
    fs::mknod(&path, mode, major, minor).js(&env)
}

/// `lsetxattr(path, name, value: Buffer|string, flags)`.
#[napi]
pub fn lsetxattr(env: Env, path: String, name: String, value: Either<Buffer, String>, flags: Option<f64>) -> Result<()> {
    let flags = match flags {
        Some(f) => uint(&env, f, "flags", 3)? as u32,
        None => 0,
    };
    let bytes: &[u8] = match &value {
        Either::A(b) => b,
        Either::B(s) => s.as_bytes(),
    };
    fs::lsetxattr(&path, &name, bytes, flags).js(&env)
}

/// `lgetxattr(path, name)` → Buffer, or null when absent.
#[napi]
pub fn lgetxattr(env: Env, path: String, name: String) -> Result<Option<Buffer>> {
    Ok(fs::lgetxattr(&path, &name).js(&env)?.map(Buffer::from))
}

/// `llistxattr(path)` → string[].
#[napi]
pub fn llistxattr(env: Env, path: String) -> Result<Vec<String>> {
    fs::llistxattr(&path).js(&env)
}

/// `mount(source|null, target, fstype|null, flags, data|null)`.
#[napi]
pub fn mount(env: Env, source: Option<String>, target: String, fstype: Option<String>, flags: u32, data: Option<String>)
    -> Result<()> {
    fs::mount(source.as_deref(), &target, fstype.as_deref(), flags as usize, data.as_deref()).js(&env)
}

/// `umount2(target, flags)`.
#[napi]
pub fn umount2(env: Env, target: String, flags: Option<f64>) -> Result<()> {
    let flags = match flags {
        Some(f) => uint(&env, f, "flags", 15)? as usize,
        None => 0,
    };
    fs::umount2(&target, flags).js(&env)
}
