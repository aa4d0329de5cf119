//! v2 cpuset controller: empty `cpuset.cpus`/`mems` mean "the parent's", so nothing to inherit.

pub use crate::cgroup::v1::cpuset::apply;
