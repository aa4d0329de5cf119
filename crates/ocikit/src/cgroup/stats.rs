//! A snapshot of a cgroup's counters, the same shape for v1 and v2.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub memory: MemoryStats,
    pub cpu: CpuStats,
    pub pids: PidsStats,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryStats {
    /// Bytes in use (v1 `memory.usage_in_bytes`, v2 `memory.current`).
    pub usage: u64,
    /// Peak usage when the kernel reports it (v1 `memory.max_usage_in_bytes`, v2 `memory.peak`).
    pub max_usage: Option<u64>,
    /// `None` when unlimited.
    pub limit: Option<u64>,
    /// Page cache (v1 `cache`, v2 `file` in `memory.stat`).
    pub cache: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CpuStats {
    /// Total CPU time in nanoseconds.
    pub usage_ns: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PidsStats {
    pub current: u64,
    /// `None` when unlimited.
    pub limit: Option<u64>,
}
