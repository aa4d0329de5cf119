//! ocikit's kernel side: a Node-API addon (cdylib), an rlib for the monitor binary and tests.
//! std only: syscalls and constants are declared in `sys`, Node-API in `napi`.

pub mod cgroup;
pub mod seccomp;
pub mod sys;

#[cfg(not(test))]
pub mod napi;
