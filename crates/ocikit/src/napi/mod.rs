//! Node-API boundary: hand-declared FFI, value conversion, and module registration.
//!
//! Every exported JS function goes through one trampoline that reads its arguments, runs the Rust
//! function under `catch_unwind` and turns a returned error (or a panic) into a thrown JS error.

pub mod ffi;
pub mod value;

use ffi::*;
use std::ffi::{c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::null_mut;
pub use value::{CallError, CallResult, Env};

/// The signature of a binding: the env and the call's arguments (missing ones are absent).
pub type Binding = fn(Env, &[napi_value]) -> CallResult<napi_value>;

const MAX_ARGS: usize = 8;

unsafe extern "C" fn trampoline(env: napi_env, info: napi_callback_info) -> napi_value {
    let cx = Env(env);
    let mut argc = MAX_ARGS;
    let mut argv = [null_mut(); MAX_ARGS];
    let mut data: *mut c_void = null_mut();
    if napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), null_mut(), &mut data) != NAPI_OK {
        cx.throw(&CallError::Napi("get_cb_info", -1));
        return null_mut();
    }
    let f: Binding = std::mem::transmute::<*mut c_void, Binding>(data);
    let args = &argv[..argc.min(MAX_ARGS)];
    match catch_unwind(AssertUnwindSafe(|| f(cx, args))) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            cx.throw(&e);
            null_mut()
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let msg = CString::new(format!("ocikit native panic: {what}").replace('\0', " ")).unwrap_or_default();
            napi_throw_error(env, c"ERR_NATIVE_PANIC".as_ptr(), msg.as_ptr());
            null_mut()
        }
    }
}

/// Adds `name` → `f` to `exports`.
pub fn export(cx: Env, exports: napi_value, name: &str, f: Binding) -> CallResult<()> {
    let mut func = null_mut();
    let status = unsafe {
        napi_create_function(cx.0, name.as_ptr() as *const _, name.len(), Some(trampoline), f as *mut c_void,
            &mut func)
    };
    if status != NAPI_OK {
        return Err(CallError::Napi("create_function", status));
    }
    cx.set(exports, name, func)
}

/// The Node-API version this addon is written against.
#[no_mangle]
pub extern "C" fn node_api_module_get_api_version_v1() -> i32 {
    8
}

/// Module entry point called by Node when the addon is loaded.
///
/// # Safety
/// Called by Node with a valid env and exports object.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: napi_env, exports: napi_value) -> napi_value {
    let cx = Env(env);
    match catch_unwind(AssertUnwindSafe(|| crate::addon::register(cx, exports))) {
        Ok(Ok(())) => exports,
        Ok(Err(e)) => {
            cx.throw(&e);
            null_mut()
        }
        Err(_) => {
            napi_throw_error(env, c"ERR_NATIVE_PANIC".as_ptr(), c"ocikit native panic during load".as_ptr());
            null_mut()
        }
    }
}
