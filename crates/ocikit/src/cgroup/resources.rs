//! OCI `linux.resources` (the parts ocikit applies), filled by the caller from the spec's JSON.
//! Field meanings follow the runtime spec; `-1` means unlimited where the spec says so.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    pub memory: Option<Memory>,
    pub cpu: Option<Cpu>,
    pub pids: Option<Pids>,
    /// OCI `linux.resources.devices`, applied in order (v1 only; see `v1::devices::docker_default`).
    pub devices: Option<Vec<DeviceRule>>,
}

/// One OCI device cgroup rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRule {
    pub allow: bool,
    /// `a` (all), `c` or `b`.
    pub kind: char,
    /// `None` = any.
    pub major: Option<i64>,
    pub minor: Option<i64>,
    /// Some of `rwm`.
    pub access: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// Bytes; -1 unlimited.
    pub limit: Option<i64>,
    /// Soft limit in bytes (v1 `memory.soft_limit_in_bytes`, v2 `memory.low`).
    pub reservation: Option<i64>,
    /// Memory + swap in bytes (Docker's `--memory-swap`); -1 unlimited.
    pub swap: Option<i64>,
    /// 0..=100; v1 only.
    pub swappiness: Option<u64>,
    /// v1 only.
    pub disable_oom_killer: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cpu {
    /// Relative weight (v1 `cpu.shares`; v2 mapped to `cpu.weight`).
    pub shares: Option<u64>,
    /// Microseconds per period; -1 unlimited.
    pub quota: Option<i64>,
    /// Microseconds.
    pub period: Option<u64>,
    /// `cpuset.cpus`, e.g. `0-1`.
    pub cpus: Option<String>,
    /// `cpuset.mems`.
    pub mems: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pids {
    /// Maximum tasks; 0 or -1 unlimited.
    pub limit: i64,
}
