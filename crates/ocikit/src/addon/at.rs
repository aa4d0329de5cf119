//! Directory-fd bindings for copying into and out of a running container (SECURITY 14): JS holds
//! the fds (closing them with `fs.closeSync`) and reads and writes file contents through Node.
//! Each is one system call on one name: fast, so synchronous.

use super::error::{uint, OrThrow};
use crate::sys::at;
use napi::bindgen_prelude::Result;
use napi::Env;
use napi_derive::napi;

/// `openInRoot(rootFd, path, flags, mode)` → fd.
#[napi]
pub fn open_in_root(env: Env, root_fd: i32, path: String, flags: u32, mode: Option<f64>) -> Result<i32> {
    let mode = match mode {
        Some(m) => uint(&env, m, "mode", 0o7777)? as u32,
        None => 0,
    };
    at::open_in_root(root_fd, &path, flags, mode).js(&env)
}

#[napi]
pub fn mkdir_at(env: Env, dir_fd: i32, name: String, mode: u32) -> Result<()> {
    at::mkdirat(dir_fd, &name, mode & 0o7777).js(&env)
}

#[napi]
pub fn symlink_at(env: Env, target: String, dir_fd: i32, name: String) -> Result<()> {
    at::symlinkat(&target, dir_fd, &name).js(&env)
}

#[napi]
pub fn unlink_at(env: Env, dir_fd: i32, name: String, remove_dir: Option<bool>) -> Result<()> {
    at::unlinkat(dir_fd, &name, remove_dir.unwrap_or(false)).js(&env)
}

#[napi]
pub fn link_at(env: Env, old_dir_fd: i32, old_name: String, new_dir_fd: i32, new_name: String) -> Result<()> {
    at::linkat(old_dir_fd, &old_name, new_dir_fd, &new_name).js(&env)
}

#[napi]
pub fn mknod_at(env: Env, dir_fd: i32, name: String, mode: u32, major: u32, minor: u32) -> Result<()> {
    at::mknodat(dir_fd, &name, mode, major, minor).js(&env)
}

/// `readlinkAt(dirFd, name)` → the target (lossy UTF-8).
#[napi]
pub fn readlink_at(env: Env, dir_fd: i32, name: String) -> Result<String> {
    Ok(String::from_utf8_lossy(&at::readlinkat(dir_fd, &name).js(&env)?).into_owned())
}

#[napi]
pub fn lchown_at(env: Env, dir_fd: i32, name: String, uid: u32, gid: u32) -> Result<()> {
    at::lchownat(dir_fd, &name, uid, gid).js(&env)
}

#[napi]
pub fn lutimes_at(env: Env, dir_fd: i32, name: String, mtime_ms: f64) -> Result<()> {
    at::lutimesat(dir_fd, &name, (mtime_ms * 1e6).round() as i64).js(&env)
}

/// `readdirFd(dirFd)` → names without `.` and `..`.
#[napi]
pub fn readdir_fd(env: Env, dir_fd: i32) -> Result<Vec<String>> {
    let names = at::read_dir(dir_fd).js(&env)?;
    Ok(names.iter().map(|n| String::from_utf8_lossy(n).into_owned()).collect())
}
