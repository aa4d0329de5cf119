//! Directory-fd bindings for copying into and out of a running container (SECURITY 14): JS holds
//! the fds (closing them with `fs.closeSync`) and reads and writes file contents through Node.
//!
//! `openInRoot(rootFd, path, flags, mode)` → fd; `mkdirAt(dirFd, name, mode)`,
//! `symlinkAt(target, dirFd, name)`, `unlinkAt(dirFd, name, removeDir)`,
//! `linkAt(oldDirFd, oldName, newDirFd, newName)`, `mknodAt(dirFd, name, mode, major, minor)`,
//! `readlinkAt(dirFd, name)` → string, `lchownAt(dirFd, name, uid, gid)`,
//! `lutimesAt(dirFd, name, mtimeMs)`, `readdirFd(dirFd)` → string[].

use super::arg;
use crate::napi::ffi::napi_value;
use crate::napi::{CallResult, Env};
use crate::sys::at;

const FD_MAX: u64 = i32::MAX as u64;
const ID_MAX: u64 = u32::MAX as u64;

fn fd(cx: Env, a: &[napi_value], i: usize, what: &str) -> CallResult<i32> {
    Ok(cx.to_uint(arg(a, i, what)?, what, FD_MAX)? as i32)
}

fn text(cx: Env, a: &[napi_value], i: usize, what: &str) -> CallResult<String> {
    cx.to_string(arg(a, i, what)?, what)
}

fn num(cx: Env, a: &[napi_value], i: usize, what: &str) -> CallResult<u32> {
    Ok(cx.to_uint(arg(a, i, what)?, what, ID_MAX)? as u32)
}

pub fn open_in_root(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let root = fd(cx, a, 0, "rootFd")?;
    let path = text(cx, a, 1, "path")?;
    let flags = num(cx, a, 2, "flags")?;
    let mode = if cx.is_nullish(a.get(3).copied())? { 0 } else { cx.to_uint(a[3], "mode", 0o7777)? as u32 };
    cx.number(at::open_in_root(root, &path, flags, mode)? as f64)
}

pub fn mkdir_at(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    at::mkdirat(fd(cx, a, 0, "dirFd")?, &text(cx, a, 1, "name")?, num(cx, a, 2, "mode")? & 0o7777)?;
    cx.undefined()
}

pub fn symlink_at(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    at::symlinkat(&text(cx, a, 0, "target")?, fd(cx, a, 1, "dirFd")?, &text(cx, a, 2, "name")?)?;
    cx.undefined()
}

pub fn unlink_at(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let dir = !cx.is_nullish(a.get(2).copied())? && cx.to_bool(a[2], "removeDir")?;
    at::unlinkat(fd(cx, a, 0, "dirFd")?, &text(cx, a, 1, "name")?, dir)?;
    cx.undefined()
}

pub fn link_at(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    at::linkat(fd(cx, a, 0, "oldDirFd")?, &text(cx, a, 1, "oldName")?, fd(cx, a, 2, "newDirFd")?, &text(cx, a, 3, "newName")?)?;
    cx.undefined()
}

pub fn mknod_at(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let (dir, name) = (fd(cx, a, 0, "dirFd")?, text(cx, a, 1, "name")?);
    at::mknodat(dir, &name, num(cx, a, 2, "mode")?, num(cx, a, 3, "major")?, num(cx, a, 4, "minor")?)?;
    cx.undefined()
}

pub fn readlink_at(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let target = at::readlinkat(fd(cx, a, 0, "dirFd")?, &text(cx, a, 1, "name")?)?;
    cx.string(&String::from_utf8_lossy(&target))
}

pub fn lchown_at(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    at::lchownat(fd(cx, a, 0, "dirFd")?, &text(cx, a, 1, "name")?, num(cx, a, 2, "uid")?, num(cx, a, 3, "gid")?)?;
    cx.undefined()
}

pub fn lutimes_at(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let ms = cx.to_f64(arg(a, 2, "mtimeMs")?, "mtimeMs")?;
    at::lutimesat(fd(cx, a, 0, "dirFd")?, &text(cx, a, 1, "name")?, (ms * 1e6).round() as i64)?;
    cx.undefined()
}

pub fn readdir_fd(cx: Env, a: &[napi_value]) -> CallResult<napi_value> {
    let names: Vec<String> = at::read_dir(fd(cx, a, 0, "dirFd")?)?.iter().map(|n| String::from_utf8_lossy(n).into_owned()).collect();
    cx.strings(&names)
}
