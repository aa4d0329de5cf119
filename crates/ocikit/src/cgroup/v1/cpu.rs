//! v1 cpu controller: CFS shares, quota and period.

use crate::cgroup::error::Result;
use crate::cgroup::fs;
use crate::cgroup::resources::Cpu;
use std::path::Path;

pub fn apply(dir: &Path, c: &Cpu) -> Result<()> {
    if let Some(s) = c.shares {
        fs::write(dir, "cpu.shares", &s.to_string())?;
    }
    // the period first: a quota is validated against the current period
    if let Some(p) = c.period {
        fs::write(dir, "cpu.cfs_period_us", &p.to_string())?;
    }
    if let Some(q) = c.quota {
        fs::write(dir, "cpu.cfs_quota_us", &q.to_string())?;
    }
    Ok(())
}
