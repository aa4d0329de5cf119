//! v1 pids controller (same files as v2).

use crate::cgroup::error::Result;
use crate::cgroup::fs;
use crate::cgroup::resources::Pids;
use crate::cgroup::stats::PidsStats;
use std::path::Path;

pub fn apply(dir: &Path, p: &Pids) -> Result<()> {
    let v = if p.limit > 0 { p.limit.to_string() } else { "max".to_string() };
    fs::write(dir, "pids.max", &v)
}

pub fn stats(dir: &Path) -> Result<PidsStats> {
    Ok(PidsStats { current: fs::read_u64(dir, "pids.current")?.unwrap_or(0), limit: fs::read_u64(dir, "pids.max")? })
}
