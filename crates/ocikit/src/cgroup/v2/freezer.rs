//! v2 freezer: write `cgroup.freeze`, then wait for `frozen` in `cgroup.events` to follow.

use crate::cgroup::error::{Error, Result};
use crate::cgroup::fs;
use std::io::ErrorKind;
use std::path::Path;
use std::time::Duration;

pub fn is_frozen(dir: &Path) -> Result<bool> {
    Ok(fs::read_keyed(dir, "cgroup.events", "frozen")? == Some(1))
}

fn set(dir: &Path, frozen: bool) -> Result<()> {
    fs::write(dir, "cgroup.freeze", if frozen { "1" } else { "0" })?;
    if fs::wait_until(Duration::from_secs(5), || Ok(is_frozen(dir)? == frozen))? {
        return Ok(());
    }
    Err(Error::other(
        if frozen { "freeze" } else { "thaw" },
        dir.join("cgroup.events"),
        ErrorKind::TimedOut,
        "state did not settle in 5 s",
    ))
}

pub fn freeze(dir: &Path) -> Result<()> {
    set(dir, true)
}

pub fn thaw(dir: &Path) -> Result<()> {
    set(dir, false)
}
