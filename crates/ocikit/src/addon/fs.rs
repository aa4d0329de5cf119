//! Filesystem bindings the layer code needs: device nodes, xattrs, mounts.

use super::arg;
use crate::napi::ffi::napi_value;
use crate::napi::{CallResult, Env};
use crate::sys::fs;

/// `mknod(path, mode, major, minor)`.
pub fn mknod(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let path = cx.to_string(arg(a, 0, "path")?, "path")?;
    let mode = cx.to_uint(arg(a, 1, "mode")?, "mode", u32::MAX as u64)? as u32;
    let major = cx.to_uint(arg(a, 2, "major")?, "major", u32::MAX as u64)? as u32;
    let minor = cx.to_uint(arg(a, 3, "minor")?, "minor", u32::MAX as u64)? as u32;
    fs::mknod(&path, mode, major, minor)?;
    cx.undefined()
}

/// `lsetxattr(path, name, value: Buffer|string, flags)`.
pub fn lsetxattr(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let path = cx.to_string(arg(a, 0, "path")?, "path")?;
    let name = cx.to_string(arg(a, 1, "name")?, "name")?;
    let value = cx.to_bytes(arg(a, 2, "value")?, "value")?;
    let flags = if cx.is_nullish(a.get(3).copied())? { 0 } else { cx.to_uint(a[3], "flags", 3)? as u32 };
    fs::lsetxattr(&path, &name, &value, flags)?;
    cx.undefined()
}

/// `lgetxattr(path, name)` → Buffer, or null when absent.
pub fn lgetxattr(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let path = cx.to_string(arg(a, 0, "path")?, "path")?;
    let name = cx.to_string(arg(a, 1, "name")?, "name")?;
    match fs::lgetxattr(&path, &name)? {
        Some(v) => cx.buffer(&v),
        None => cx.null(),
    }
}

/// `llistxattr(path)` → string[].
pub fn llistxattr(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let path = cx.to_string(arg(a, 0, "path")?, "path")?;
    cx.strings(&fs::llistxattr(&path)?)
}

/// `mount(source|null, target, fstype|null, flags, data|null)`.
pub fn mount(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let source = cx.to_opt_string(a.first().copied(), "source")?;
    let target = cx.to_string(arg(a, 1, "target")?, "target")?;
    let fstype = cx.to_opt_string(a.get(2).copied(), "fstype")?;
    let flags = cx.to_uint(arg(a, 3, "flags")?, "flags", u32::MAX as u64)? as usize;
    let data = cx.to_opt_string(a.get(4).copied(), "data")?;
    fs::mount(source.as_deref(), &target, fstype.as_deref(), flags, data.as_deref())?;
    cx.undefined()
}

/// `umount2(target, flags)`.
pub fn umount2(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let target = cx.to_string(arg(a, 0, "target")?, "target")?;
    let flags = if cx.is_nullish(a.get(1).copied())? { 0 } else { cx.to_uint(a[1], "flags", 15)? as usize };
    fs::umount2(&target, flags)?;
    cx.undefined()
}
