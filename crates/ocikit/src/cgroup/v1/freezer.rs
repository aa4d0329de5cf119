//! v1 freezer: `freezer.state` goes THAWED → FREEZING → FROZEN; we wait for it to settle.

use crate::cgroup::error::{Error, Result};
use crate::cgroup::fs;
use std::io::ErrorKind;
use std::path::Path;
use std::time::Duration;

const STATE: &str = "freezer.state";

pub fn state(dir: &Path) -> Result<String> {
    Ok(fs::read(dir, STATE)?.trim().to_string())
}

fn set(dir: &Path, want: &str) -> Result<()> {
    // A task in the middle of fork can keep a cgroup FREEZING; writing again retries it.
    for _ in 0..50 {
        fs::write(dir, STATE, want)?;
        if fs::wait_until(Duration::from_millis(100), || Ok(state(dir)? == want))? {
            return Ok(());
        }
    }
    Err(Error::other(format!("set {STATE} {want}"), dir.join(STATE), ErrorKind::TimedOut, format!("still {}", state(dir)?)))
}

pub fn freeze(dir: &Path) -> Result<()> {
    set(dir, "FROZEN")
}

pub fn thaw(dir: &Path) -> Result<()> {
    set(dir, "THAWED")
}
