//! The functions the addon exports to JS, declared with napi-rs (`#[napi]`; JS names in
//! camelCase). A narrow binding: plain objects, strings, numbers, Buffers; lib/native/ wraps each
//! one in a typed TS function. Errors become JS errors in one place, `error`.

mod adopt;
mod at;
mod cgroup;
mod cgroup_async;
mod error;
mod fs;
mod fs_async;
mod monitor_spawn;
mod host;
mod runtime;
