//! v1 cpuacct controller: total CPU time.

use crate::cgroup::error::Result;
use crate::cgroup::fs;
use crate::cgroup::stats::CpuStats;
use std::path::Path;

pub fn stats(dir: &Path) -> Result<CpuStats> {
    Ok(CpuStats { usage_ns: fs::read_u64(dir, "cpuacct.usage")?.unwrap_or(0) })
}
