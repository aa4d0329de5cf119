//! ocikit's kernel side: a Node-API addon (cdylib), an rlib for the monitor binary and tests.
//! std only: syscalls and constants are declared in `sys`, Node-API in `napi`.

pub mod caps;
pub mod cgroup;
pub mod monitor;
pub mod seccomp;
pub mod spawn;
pub mod spec;
pub mod sys;

/// Node-API needs Node's symbols at load time; `cargo test` links without them.
#[cfg(not(test))]
pub mod napi;
#[cfg(not(test))]
mod addon;
