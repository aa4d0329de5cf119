//! Conversion between Rust values and JS values, and the error type a binding returns.

use super::ffi::*;
use crate::sys::SysError;
use std::ffi::{c_char, c_void, CString};
use std::ptr::null_mut;

/// Why a binding failed; thrown into JS by the trampoline.
#[derive(Debug)]
pub enum CallError {
    /// A failed system call: becomes an Error with `code`, `errno`, `syscall`, `path`.
    Sys(SysError),
    /// A wrong argument: becomes a TypeError with code `ERR_INVALID_ARG_TYPE`.
    Arg(String),
    /// A Node-API call failed (usually an exception is already pending).
    Napi(&'static str, napi_status),
}

impl From<SysError> for CallError {
    fn from(e: SysError) -> Self {
        CallError::Sys(e)
    }
}

pub type CallResult<T> = Result<T, CallError>;

fn check(what: &'static str, status: napi_status) -> CallResult<()> {
    if status == NAPI_OK {
        Ok(())
    } else {
        Err(CallError::Napi(what, status))
    }
}

/// A borrowed `napi_env` for the duration of one call.
#[derive(Clone, Copy)]
pub struct Env(pub napi_env);

impl Env {
    pub fn undefined(self) -> CallResult<napi_value> {
        let mut v = null_mut();
        check("get_undefined", unsafe { napi_get_undefined(self.0, &mut v) })?;
        Ok(v)
    }
    pub fn null(self) -> CallResult<napi_value> {
        let mut v = null_mut();
        check("get_null", unsafe { napi_get_null(self.0, &mut v) })?;
        Ok(v)
    }
    pub fn boolean(self, b: bool) -> CallResult<napi_value> {
        let mut v = null_mut();
        check("get_boolean", unsafe { napi_get_boolean(self.0, b, &mut v) })?;
        Ok(v)
    }
    pub fn number(self, n: f64) -> CallResult<napi_value> {
        let mut v = null_mut();
        check("create_double", unsafe { napi_create_double(self.0, n, &mut v) })?;
        Ok(v)
    }
    pub fn string(self, s: &str) -> CallResult<napi_value> {
        let mut v = null_mut();
        check("create_string", unsafe {
            napi_create_string_utf8(self.0, s.as_ptr() as *const c_char, s.len(), &mut v)
        })?;
        Ok(v)
    }
    pub fn buffer(self, bytes: &[u8]) -> CallResult<napi_value> {
        let mut v = null_mut();
        let mut data: *mut c_void = null_mut();
        check("create_buffer_copy", unsafe {
            napi_create_buffer_copy(self.0, bytes.len(), bytes.as_ptr() as *const c_void, &mut data, &mut v)
        })?;
        Ok(v)
    }
    pub fn object(self) -> CallResult<napi_value> {
        let mut v = null_mut();
        check("create_object", unsafe { napi_create_object(self.0, &mut v) })?;
        Ok(v)
    }
    pub fn array(self, items: &[napi_value]) -> CallResult<napi_value> {
        let mut v = null_mut();
        check("create_array", unsafe { napi_create_array_with_length(self.0, items.len(), &mut v) })?;
        for (i, item) in items.iter().enumerate() {
            check("set_element", unsafe { napi_set_element(self.0, v, i as u32, *item) })?;
        }
        Ok(v)
    }
    pub fn strings(self, items: &[String]) -> CallResult<napi_value> {
        let vals = items.iter().map(|s| self.string(s)).collect::<CallResult<Vec<_>>>()?;
        self.array(&vals)
    }
    pub fn set(self, obj: napi_value, key: &str, value: napi_value) -> CallResult<()> {
        let k = CString::new(key).map_err(|_| CallError::Arg(format!("bad key {key}")))?;
        check("set_named_property", unsafe { napi_set_named_property(self.0, obj, k.as_ptr(), value) })
    }
    pub fn get(self, obj: napi_value, key: &str) -> CallResult<napi_value> {
        let k = CString::new(key).map_err(|_| CallError::Arg(format!("bad key {key}")))?;
        let mut v = null_mut();
        check("get_named_property", unsafe { napi_get_named_property(self.0, obj, k.as_ptr(), &mut v) })?;
        Ok(v)
    }
    pub fn type_of(self, v: napi_value) -> CallResult<napi_valuetype> {
        let mut t = 0;
        check("typeof", unsafe { napi_typeof(self.0, v, &mut t) })?;
        Ok(t)
    }
    /// True for `undefined`, `null`, or a missing argument.
    pub fn is_nullish(self, v: Option<napi_value>) -> CallResult<bool> {
        match v {
            None => Ok(true),
            Some(v) => Ok(matches!(self.type_of(v)?, NAPI_UNDEFINED | NAPI_NULL)),
        }
    }

    pub fn to_string(self, v: napi_value, what: &str) -> CallResult<String> {
        if self.type_of(v)? != NAPI_STRING {
            return Err(CallError::Arg(format!("{what} must be a string")));
        }
        let mut len = 0usize;
        check("get_value_string", unsafe { napi_get_value_string_utf8(self.0, v, null_mut(), 0, &mut len) })?;
        let mut buf = vec![0u8; len + 1];
        let mut got = 0usize;
        check("get_value_string", unsafe {
            napi_get_value_string_utf8(self.0, v, buf.as_mut_ptr() as *mut c_char, buf.len(), &mut got)
        })?;
        buf.truncate(got);
        String::from_utf8(buf).map_err(|_| CallError::Arg(format!("{what} is not valid UTF-8")))
    }
    pub fn to_f64(self, v: napi_value, what: &str) -> CallResult<f64> {
        if self.type_of(v)? != NAPI_NUMBER {
            return Err(CallError::Arg(format!("{what} must be a number")));
        }
        let mut n = 0f64;
        check("get_value_double", unsafe { napi_get_value_double(self.0, v, &mut n) })?;
        Ok(n)
    }
    /// An integer in `0..=max`.
    pub fn to_uint(self, v: napi_value, what: &str, max: u64) -> CallResult<u64> {
        let n = self.to_f64(v, what)?;
        if n.fract() != 0.0 || n < 0.0 || n > max as f64 {
            return Err(CallError::Arg(format!("{what} must be an integer in 0..={max}")));
        }
        Ok(n as u64)
    }
    pub fn to_i64(self, v: napi_value, what: &str) -> CallResult<i64> {
        let n = self.to_f64(v, what)?;
        if n.fract() != 0.0 || n.abs() > 9_007_199_254_740_991.0 {
            return Err(CallError::Arg(format!("{what} must be a safe integer")));
        }
        Ok(n as i64)
    }
    pub fn to_bool(self, v: napi_value, what: &str) -> CallResult<bool> {
        if self.type_of(v)? != NAPI_BOOLEAN {
            return Err(CallError::Arg(format!("{what} must be a boolean")));
        }
        let mut b = false;
        check("get_value_bool", unsafe { napi_get_value_bool(self.0, v, &mut b) })?;
        Ok(b)
    }
    /// The bytes of a Buffer/Uint8Array, or of a string (UTF-8).
    pub fn to_bytes(self, v: napi_value, what: &str) -> CallResult<Vec<u8>> {
        let mut is_buf = false;
        check("is_buffer", unsafe { napi_is_buffer(self.0, v, &mut is_buf) })?;
        if !is_buf {
            return self.to_string(v, what).map(String::into_bytes);
        }
        let mut data: *mut c_void = null_mut();
        let mut len = 0usize;
        check("get_buffer_info", unsafe { napi_get_buffer_info(self.0, v, &mut data, &mut len) })?;
        if len == 0 {
            return Ok(Vec::new());
        }
        Ok(unsafe { std::slice::from_raw_parts(data as *const u8, len) }.to_vec())
    }
    pub fn to_opt_string(self, v: Option<napi_value>, what: &str) -> CallResult<Option<String>> {
        if self.is_nullish(v)? {
            return Ok(None);
        }
        self.to_string(v.unwrap(), what).map(Some)
    }
    pub fn to_vec(self, v: napi_value, what: &str) -> CallResult<Vec<napi_value>> {
        let mut is = false;
        check("is_array", unsafe { napi_is_array(self.0, v, &mut is) })?;
        if !is {
            return Err(CallError::Arg(format!("{what} must be an array")));
        }
        let mut len = 0u32;
        check("get_array_length", unsafe { napi_get_array_length(self.0, v, &mut len) })?;
        (0..len)
            .map(|i| {
                let mut e = null_mut();
                check("get_element", unsafe { napi_get_element(self.0, v, i, &mut e) })?;
                Ok(e)
            })
            .collect()
    }
    pub fn to_strings(self, v: napi_value, what: &str) -> CallResult<Vec<String>> {
        self.to_vec(v, what)?.into_iter().map(|e| self.to_string(e, what)).collect()
    }

    /// Throws `err` as a JS exception (unless one is already pending).
    pub fn throw(self, err: &CallError) {
        let mut pending = false;
        unsafe { napi_is_exception_pending(self.0, &mut pending) };
        if pending {
            return;
        }
        let thrown = match err {
            CallError::Sys(e) => self.sys_error(e).and_then(|v| {
                check("throw", unsafe { napi_throw(self.0, v) })
            }),
            CallError::Arg(msg) => {
                let m = CString::new(msg.replace('\0', " ")).unwrap_or_default();
                check("throw", unsafe { napi_throw_type_error(self.0, c"ERR_INVALID_ARG_TYPE".as_ptr(), m.as_ptr()) })
            }
            CallError::Napi(what, status) => {
                let m = CString::new(format!("Node-API call {what} failed with status {status}")).unwrap_or_default();
                check("throw", unsafe { napi_throw_error(self.0, c"ERR_NAPI".as_ptr(), m.as_ptr()) })
            }
        };
        if thrown.is_err() {
            unsafe { napi_throw_error(self.0, c"ERR_NAPI".as_ptr(), c"cannot build error".as_ptr()) };
        }
    }

    /// An Error object with `code` (errno name), `errno`, `syscall` and `path`.
    pub fn sys_error(self, e: &SysError) -> CallResult<napi_value> {
        let code = self.string(&e.errno.name())?;
        let msg = self.string(&e.to_string())?;
        let mut err = null_mut();
        check("create_error", unsafe { napi_create_error(self.0, code, msg, &mut err) })?;
        self.set(err, "errno", self.number(e.errno.0 as f64)?)?;
        self.set(err, "syscall", self.string(&e.step)?)?;
        if let Some(p) = &e.path {
            self.set(err, "path", self.string(p)?)?;
        }
        Ok(err)
    }
}
