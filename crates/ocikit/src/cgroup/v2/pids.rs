//! v2 pids controller: the files are the same as v1's.

pub use crate::cgroup::v1::pids::{apply, stats};
