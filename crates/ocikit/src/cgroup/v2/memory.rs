//! v2 memory controller. `memory.swap.max` counts swap alone, so OCI's memory+swap total
//! becomes `swap - limit`. Swappiness and disabling the OOM killer do not exist in v2.

use crate::cgroup::error::{Error, Result};
use crate::cgroup::fs;
use crate::cgroup::resources::Memory;
use crate::cgroup::stats::MemoryStats;
use std::io::ErrorKind;
use std::path::Path;

fn max_or(v: i64) -> String {
    if v < 0 {
        "max".into()
    } else {
        v.to_string()
    }
}

/// `memory.swap.max` for OCI `swap` (memory+swap) and `limit`.
pub fn swap_max(swap: i64, limit: Option<i64>) -> std::result::Result<String, String> {
    match (swap, limit) {
        (-1, _) => Ok("max".into()),
        (_, None) | (_, Some(-1)) => Err("swap needs a memory limit".into()),
        (s, Some(l)) if s < l => Err(format!("memory+swap {s} is below the memory limit {l}")),
        (s, Some(l)) => Ok((s - l).to_string()),
    }
}

pub fn apply(dir: &Path, m: &Memory) -> Result<()> {
    let unsupported = |what: &str, file: &str| Error::other(what, dir.join(file), ErrorKind::Unsupported, "not available in cgroup v2");
    if m.swappiness.is_some() {
        return Err(unsupported("swappiness", "memory.swappiness"));
    }
    if m.disable_oom_killer == Some(true) {
        return Err(unsupported("disableOOMKiller", "memory.oom.group"));
    }
    if let Some(l) = m.limit {
        fs::write(dir, "memory.max", &max_or(l))?;
    }
    if let Some(s) = m.swap {
        let v = swap_max(s, m.limit).map_err(|e| Error::other("swap", dir.join("memory.swap.max"), ErrorKind::InvalidInput, e))?;
        fs::write(dir, "memory.swap.max", &v)?;
    }
    if let Some(r) = m.reservation {
        fs::write(dir, "memory.low", &max_or(r))?;
    }
    Ok(())
}

pub fn stats(dir: &Path) -> Result<MemoryStats> {
    let peak = if fs::exists(dir, "memory.peak") { fs::read_u64(dir, "memory.peak")? } else { None };
    Ok(MemoryStats {
        usage: fs::read_u64(dir, "memory.current")?.unwrap_or(0),
        max_usage: peak,
        limit: fs::read_u64(dir, "memory.max")?,
        cache: fs::read_keyed(dir, "memory.stat", "file")?.unwrap_or(0),
    })
}

/// `oom_kill` in `memory.events`.
pub fn oom_kill_count(dir: &Path) -> Result<u64> {
    Ok(fs::read_keyed(dir, "memory.events", "oom_kill")?.unwrap_or(0))
}
