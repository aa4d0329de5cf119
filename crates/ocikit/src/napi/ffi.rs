//! Node-API declarations, written by hand against Node 20's `js_native_api.h` and `node_api.h`.
//! The symbols are resolved from the Node binary when the addon is loaded (left undefined at link time).
#![allow(non_camel_case_types, dead_code)]

use std::ffi::{c_char, c_void};

#[repr(C)]
pub struct OpaqueEnv {
    _p: [u8; 0],
}
#[repr(C)]
pub struct OpaqueValue {
    _p: [u8; 0],
}
#[repr(C)]
pub struct OpaqueCbInfo {
    _p: [u8; 0],
}
#[repr(C)]
pub struct OpaqueRef {
    _p: [u8; 0],
}
#[repr(C)]
pub struct OpaqueTsfn {
    _p: [u8; 0],
}

pub type napi_env = *mut OpaqueEnv;
pub type napi_value = *mut OpaqueValue;
pub type napi_callback_info = *mut OpaqueCbInfo;
pub type napi_ref = *mut OpaqueRef;
pub type napi_threadsafe_function = *mut OpaqueTsfn;

/// `napi_status` (an int-sized C enum).
pub type napi_status = i32;
pub const NAPI_OK: napi_status = 0;
pub const NAPI_PENDING_EXCEPTION: napi_status = 10;
pub const NAPI_CLOSING: napi_status = 16;

/// `napi_valuetype`.
pub type napi_valuetype = i32;
pub const NAPI_UNDEFINED: napi_valuetype = 0;
pub const NAPI_NULL: napi_valuetype = 1;
pub const NAPI_BOOLEAN: napi_valuetype = 2;
pub const NAPI_NUMBER: napi_valuetype = 3;
pub const NAPI_STRING: napi_valuetype = 4;
pub const NAPI_SYMBOL: napi_valuetype = 5;
pub const NAPI_OBJECT: napi_valuetype = 6;
pub const NAPI_FUNCTION: napi_valuetype = 7;
pub const NAPI_EXTERNAL: napi_valuetype = 8;
pub const NAPI_BIGINT: napi_valuetype = 9;

/// `napi_threadsafe_function_call_mode` / `_release_mode`.
pub const NAPI_TSFN_NONBLOCKING: i32 = 0;
pub const NAPI_TSFN_BLOCKING: i32 = 1;
pub const NAPI_TSFN_RELEASE: i32 = 0;
pub const NAPI_TSFN_ABORT: i32 = 1;

pub type napi_callback = Option<unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value>;
pub type napi_finalize = Option<unsafe extern "C" fn(napi_env, *mut c_void, *mut c_void)>;
pub type napi_threadsafe_function_call_js =
    Option<unsafe extern "C" fn(napi_env, napi_value, *mut c_void, *mut c_void)>;

extern "C" {
    pub fn napi_get_undefined(env: napi_env, result: *mut napi_value) -> napi_status;
    pub fn napi_get_null(env: napi_env, result: *mut napi_value) -> napi_status;
    pub fn napi_get_global(env: napi_env, result: *mut napi_value) -> napi_status;
    pub fn napi_get_boolean(env: napi_env, value: bool, result: *mut napi_value) -> napi_status;
    pub fn napi_create_object(env: napi_env, result: *mut napi_value) -> napi_status;
    pub fn napi_create_array_with_length(env: napi_env, length: usize, result: *mut napi_value) -> napi_status;
    pub fn napi_create_double(env: napi_env, value: f64, result: *mut napi_value) -> napi_status;
    pub fn napi_create_int64(env: napi_env, value: i64, result: *mut napi_value) -> napi_status;
    pub fn napi_create_string_utf8(env: napi_env, s: *const c_char, length: usize, result: *mut napi_value)
        -> napi_status;
    pub fn napi_create_function(env: napi_env, utf8name: *const c_char, length: usize, cb: napi_callback,
        data: *mut c_void, result: *mut napi_value) -> napi_status;
    pub fn napi_create_error(env: napi_env, code: napi_value, msg: napi_value, result: *mut napi_value)
        -> napi_status;
    pub fn napi_typeof(env: napi_env, value: napi_value, result: *mut napi_valuetype) -> napi_status;
    pub fn napi_get_value_double(env: napi_env, value: napi_value, result: *mut f64) -> napi_status;
    pub fn napi_get_value_int64(env: napi_env, value: napi_value, result: *mut i64) -> napi_status;
    pub fn napi_get_value_bool(env: napi_env, value: napi_value, result: *mut bool) -> napi_status;
    pub fn napi_get_value_string_utf8(env: napi_env, value: napi_value, buf: *mut c_char, bufsize: usize,
        result: *mut usize) -> napi_status;
    pub fn napi_set_named_property(env: napi_env, object: napi_value, utf8name: *const c_char,
        value: napi_value) -> napi_status;
    pub fn napi_get_named_property(env: napi_env, object: napi_value, utf8name: *const c_char,
        result: *mut napi_value) -> napi_status;
    pub fn napi_set_element(env: napi_env, object: napi_value, index: u32, value: napi_value) -> napi_status;
    pub fn napi_get_element(env: napi_env, object: napi_value, index: u32, result: *mut napi_value)
        -> napi_status;
    pub fn napi_is_array(env: napi_env, value: napi_value, result: *mut bool) -> napi_status;
    pub fn napi_get_array_length(env: napi_env, value: napi_value, result: *mut u32) -> napi_status;
    pub fn napi_call_function(env: napi_env, recv: napi_value, func: napi_value, argc: usize,
        argv: *const napi_value, result: *mut napi_value) -> napi_status;
    pub fn napi_get_cb_info(env: napi_env, cbinfo: napi_callback_info, argc: *mut usize, argv: *mut napi_value,
        this_arg: *mut napi_value, data: *mut *mut c_void) -> napi_status;
    pub fn napi_throw(env: napi_env, error: napi_value) -> napi_status;
    pub fn napi_throw_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
    pub fn napi_throw_type_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
    pub fn napi_is_exception_pending(env: napi_env, result: *mut bool) -> napi_status;
    pub fn napi_create_reference(env: napi_env, value: napi_value, initial_refcount: u32, result: *mut napi_ref)
        -> napi_status;
    pub fn napi_delete_reference(env: napi_env, r: napi_ref) -> napi_status;
    pub fn napi_get_reference_value(env: napi_env, r: napi_ref, result: *mut napi_value) -> napi_status;
    pub fn napi_create_buffer_copy(env: napi_env, length: usize, data: *const c_void, result_data: *mut *mut c_void,
        result: *mut napi_value) -> napi_status;
    pub fn napi_is_buffer(env: napi_env, value: napi_value, result: *mut bool) -> napi_status;
    pub fn napi_get_buffer_info(env: napi_env, value: napi_value, data: *mut *mut c_void, length: *mut usize)
        -> napi_status;

    pub fn napi_create_threadsafe_function(env: napi_env, func: napi_value, async_resource: napi_value,
        async_resource_name: napi_value, max_queue_size: usize, initial_thread_count: usize,
        thread_finalize_data: *mut c_void, thread_finalize_cb: napi_finalize, context: *mut c_void,
        call_js_cb: napi_threadsafe_function_call_js, result: *mut napi_threadsafe_function) -> napi_status;
    pub fn napi_call_threadsafe_function(func: napi_threadsafe_function, data: *mut c_void, is_blocking: i32)
        -> napi_status;
    pub fn napi_acquire_threadsafe_function(func: napi_threadsafe_function) -> napi_status;
    pub fn napi_release_threadsafe_function(func: napi_threadsafe_function, mode: i32) -> napi_status;
    pub fn napi_unref_threadsafe_function(env: napi_env, func: napi_threadsafe_function) -> napi_status;
    pub fn napi_ref_threadsafe_function(env: napi_env, func: napi_threadsafe_function) -> napi_status;
}
