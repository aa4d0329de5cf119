//! The functions the addon exports to JS (a narrow binding: plain objects, strings, numbers, Buffers).
//! lib/native/ wraps each one in a typed TS function.

mod adopt;
mod at;
mod cgroup;
mod fs;
mod host;
mod runtime;

use crate::napi::{export, CallResult, Env};
use crate::napi::ffi::napi_value;

/// Registers every binding on `exports`.
pub fn register(cx: Env, exports: napi_value) -> CallResult<()> {
    export(cx, exports, "uname", host::uname)?;
    export(cx, exports, "ids", host::ids)?;
    export(cx, exports, "mknod", fs::mknod)?;
    export(cx, exports, "lsetxattr", fs::lsetxattr)?;
    export(cx, exports, "lgetxattr", fs::lgetxattr)?;
    export(cx, exports, "llistxattr", fs::llistxattr)?;
    export(cx, exports, "mount", fs::mount)?;
    export(cx, exports, "umount2", fs::umount2)?;
    export(cx, exports, "openInRoot", at::open_in_root)?;
    export(cx, exports, "mkdirAt", at::mkdir_at)?;
    export(cx, exports, "symlinkAt", at::symlink_at)?;
    export(cx, exports, "unlinkAt", at::unlink_at)?;
    export(cx, exports, "linkAt", at::link_at)?;
    export(cx, exports, "mknodAt", at::mknod_at)?;
    export(cx, exports, "readlinkAt", at::readlink_at)?;
    export(cx, exports, "lchownAt", at::lchown_at)?;
    export(cx, exports, "lutimesAt", at::lutimes_at)?;
    export(cx, exports, "readdirFd", at::readdir_fd)?;
    export(cx, exports, "setExitHandler", runtime::set_exit_handler)?;
    export(cx, exports, "spawn", runtime::spawn)?;
    export(cx, exports, "exec", runtime::exec)?;
    export(cx, exports, "kill", runtime::kill)?;
    export(cx, exports, "resizePty", runtime::resize_pty)?;
    export(cx, exports, "cgroupCreate", cgroup::create)?;
    export(cx, exports, "cgroupOpen", cgroup::open)?;
    export(cx, exports, "cgroupFreeze", cgroup::freeze)?;
    export(cx, exports, "cgroupThaw", cgroup::thaw)?;
    export(cx, exports, "cgroupStats", cgroup::stats)?;
    export(cx, exports, "cgroupOomKilled", cgroup::oom_killed)?;
    export(cx, exports, "cgroupKillAll", cgroup::kill_all)?;
    export(cx, exports, "cgroupProcs", cgroup::procs)?;
    export(cx, exports, "cgroupRemove", cgroup::remove)?;
    export(cx, exports, "signalChecked", cgroup::signal_checked)?;
    export(cx, exports, "processStartTime", cgroup::process_start_time)?;
    export(cx, exports, "adopt", adopt::adopt)?;
    Ok(())
}

/// Argument `i`, or a TypeError naming it.
pub(crate) fn arg(args: &[napi_value], i: usize, what: &str) -> CallResult<napi_value> {
    args.get(i).copied().ok_or_else(|| crate::napi::CallError::Arg(format!("missing argument {what}")))
}
