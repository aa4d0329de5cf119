//! ocikit's kernel side: a Node-API addon (cdylib), an rlib for the monitor binary and tests.
//! Syscalls and constants are declared in `sys`; the addon's exports (`addon`) use napi-rs.

pub mod caps;
pub mod cgroup;
pub mod monitor;
pub mod seccomp;
pub mod spawn;
pub mod spec;
pub mod sys;

/// The Node-API addon; `cargo test` and the static monitor are built without it.
#[cfg(all(feature = "addon", not(test)))]
mod addon;
