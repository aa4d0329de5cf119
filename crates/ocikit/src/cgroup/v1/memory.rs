//! v1 memory controller: limits, swap, OOM control, usage and OOM-kill counter.

use crate::cgroup::error::{Error, Result};
use crate::cgroup::fs;
use crate::cgroup::resources::Memory;
use crate::cgroup::stats::MemoryStats;
use std::io::ErrorKind;
use std::path::Path;

const LIMIT: &str = "memory.limit_in_bytes";
const MEMSW: &str = "memory.memsw.limit_in_bytes";

/// v1 reports "unlimited" as a huge page-aligned number.
fn limit_value(v: u64) -> Option<u64> {
    (v < 1 << 62).then_some(v)
}

pub fn apply(dir: &Path, m: &Memory) -> Result<()> {
    // memsw must stay >= limit at every step: raise memsw first when it grows, else limit first.
    let swap_first = match (m.limit, m.swap) {
        (_, Some(-1)) => true,
        (_, Some(s)) => {
            let cur = if fs::exists(dir, LIMIT) { fs::read_u64(dir, LIMIT)?.unwrap_or(u64::MAX) } else { u64::MAX };
            s >= 0 && (s as u64) >= cur
        }
        _ => false,
    };
    let write_swap = |s: i64| -> Result<()> {
        if s == -1 && !fs::exists(dir, MEMSW) {
            return Ok(()); // no swap accounting: nothing to lift
        }
        fs::write(dir, MEMSW, &s.to_string())
    };
    if swap_first {
        if let Some(s) = m.swap {
            write_swap(s)?;
        }
    }
    if let Some(l) = m.limit {
        fs::write(dir, LIMIT, &l.to_string())?;
    }
    if !swap_first {
        if let Some(s) = m.swap {
            write_swap(s)?;
        }
    }
    if let Some(r) = m.reservation {
        fs::write(dir, "memory.soft_limit_in_bytes", &r.to_string())?;
    }
    if let Some(s) = m.swappiness {
        if s > 100 {
            return Err(Error::other("swappiness", dir.join("memory.swappiness"), ErrorKind::InvalidInput, format!("{s} > 100")));
        }
        fs::write(dir, "memory.swappiness", &s.to_string())?;
    }
    if m.disable_oom_killer == Some(true) {
        fs::write(dir, "memory.oom_control", "1")?;
    }
    Ok(())
}

pub fn stats(dir: &Path) -> Result<MemoryStats> {
    let usage = fs::read_u64(dir, "memory.usage_in_bytes")?.unwrap_or(0);
    let max_usage = if fs::exists(dir, "memory.max_usage_in_bytes") { fs::read_u64(dir, "memory.max_usage_in_bytes")? } else { None };
    let limit = fs::read_u64(dir, LIMIT)?.and_then(limit_value);
    let cache = fs::read_keyed(dir, "memory.stat", "cache")?.unwrap_or(0);
    Ok(MemoryStats { usage, max_usage, limit, cache })
}

/// The `oom_kill` counter of `memory.oom_control` (kernels >= 4.13).
pub fn oom_kill_count(dir: &Path) -> Result<u64> {
    Ok(fs::read_keyed(dir, "memory.oom_control", "oom_kill")?.unwrap_or(0))
}
