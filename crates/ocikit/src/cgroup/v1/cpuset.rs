//! v1 cpuset controller. A new v1 cpuset starts with empty `cpus`/`mems` and refuses tasks
//! until they are set, so every level we create copies its parent's values.

use crate::cgroup::error::Result;
use crate::cgroup::fs;
use crate::cgroup::resources::Cpu;
use std::path::Path;

/// Fills empty `cpuset.cpus` / `cpuset.mems` of `dir` from its parent.
pub fn inherit(dir: &Path) -> Result<()> {
    let Some(parent) = dir.parent() else { return Ok(()) };
    for file in ["cpuset.cpus", "cpuset.mems"] {
        let own = if fs::exists(dir, file) { fs::read(dir, file)? } else { String::new() };
        if own.trim().is_empty() {
            let from = fs::read(parent, file)?;
            fs::write(dir, file, from.trim())?;
        }
    }
    Ok(())
}

pub fn apply(dir: &Path, c: &Cpu) -> Result<()> {
    if let Some(cpus) = &c.cpus {
        fs::write(dir, "cpuset.cpus", cpus)?;
    }
    if let Some(mems) = &c.mems {
        fs::write(dir, "cpuset.mems", mems)?;
    }
    Ok(())
}
