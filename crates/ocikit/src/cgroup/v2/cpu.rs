//! v2 cpu controller: `cpu.weight` from v1 shares, `cpu.max` from quota and period, usage
//! from `cpu.stat`.

use crate::cgroup::error::Result;
use crate::cgroup::fs;
use crate::cgroup::resources::Cpu;
use crate::cgroup::stats::CpuStats;
use std::path::Path;

const DEFAULT_PERIOD: u64 = 100_000;

/// shares 2..=262144 → weight 1..=10000 (the mapping runc and crun use).
pub fn weight_from_shares(shares: u64) -> u64 {
    let s = shares.clamp(2, 262_144);
    1 + ((s - 2) * 9999) / 262_142
}

/// `cpu.max` content, or `None` when neither quota nor period is set.
pub fn max_value(quota: Option<i64>, period: Option<u64>) -> Option<String> {
    if quota.is_none() && period.is_none() {
        return None;
    }
    let q = match quota {
        Some(q) if q > 0 => q.to_string(),
        _ => "max".into(),
    };
    Some(format!("{q} {}", period.unwrap_or(DEFAULT_PERIOD)))
}

pub fn apply(dir: &Path, c: &Cpu) -> Result<()> {
    if let Some(s) = c.shares {
        fs::write(dir, "cpu.weight", &weight_from_shares(s).to_string())?;
    }
    if let Some(v) = max_value(c.quota, c.period) {
        fs::write(dir, "cpu.max", &v)?;
    }
    Ok(())
}

pub fn stats(dir: &Path) -> Result<CpuStats> {
    Ok(CpuStats { usage_ns: fs::read_keyed(dir, "cpu.stat", "usage_usec")?.unwrap_or(0) * 1000 })
}
