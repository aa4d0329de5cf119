//! The functions the addon exports to JS (a narrow binding: plain objects, strings, numbers, Buffers).
//! lib/native/ wraps each one in a typed TS function.

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
    export(cx, exports, "setExitHandler", runtime::set_exit_handler)?;
    export(cx, exports, "spawn", runtime::spawn)?;
    export(cx, exports, "exec", runtime::exec)?;
    export(cx, exports, "kill", runtime::kill)?;
    export(cx, exports, "resizePty", runtime::resize_pty)?;
    Ok(())
}

/// Argument `i`, or a TypeError naming it.
pub(crate) fn arg(args: &[napi_value], i: usize, what: &str) -> CallResult<napi_value> {
    args.get(i).copied().ok_or_else(|| crate::napi::CallError::Arg(format!("missing argument {what}")))
}
