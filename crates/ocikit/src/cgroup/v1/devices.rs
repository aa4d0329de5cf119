//! v1 devices controller: rules written in order to `devices.deny` / `devices.allow`.
//! Without rules a container could `mknod` and open any host device (CAP_MKNOD is in Docker's
//! default set), so the caller should pass at least [`docker_default`].

use crate::cgroup::error::{Error, Result};
use crate::cgroup::fs;
use crate::cgroup::resources::DeviceRule;
use std::io::ErrorKind;
use std::path::Path;

/// Deny everything, then allow mknod of any node and use of null, zero, full, random,
/// urandom, tty, console, ptmx and the pts devices (runc's and Docker's defaults).
pub fn docker_default() -> Vec<DeviceRule> {
    let r = |allow, kind, major, minor, access: &str| DeviceRule { allow, kind, major, minor, access: access.into() };
    let mut v = vec![r(false, 'a', None, None, "rwm"), r(true, 'c', None, None, "m"), r(true, 'b', None, None, "m")];
    for (major, minor) in [(1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 1), (5, 2)] {
        v.push(r(true, 'c', Some(major), Some(minor), "rwm"));
    }
    v.push(r(true, 'c', Some(136), None, "rwm"));
    v
}

/// The v1 line for a rule: `c 1:3 rwm`, `a *:* rwm`.
pub fn line(r: &DeviceRule) -> std::result::Result<String, String> {
    if !matches!(r.kind, 'a' | 'c' | 'b') {
        return Err(format!("device type {:?}", r.kind));
    }
    if r.access.is_empty() || !r.access.chars().all(|c| matches!(c, 'r' | 'w' | 'm')) {
        return Err(format!("device access {:?}", r.access));
    }
    let num = |n: Option<i64>| n.filter(|v| *v >= 0).map_or("*".to_string(), |v| v.to_string());
    Ok(format!("{} {}:{} {}", r.kind, num(r.major), num(r.minor), r.access))
}

pub fn apply(dir: &Path, rules: &[DeviceRule]) -> Result<()> {
    for r in rules {
        let file = if r.allow { "devices.allow" } else { "devices.deny" };
        let l = line(r).map_err(|e| Error::other("device rule", dir.join(file), ErrorKind::InvalidInput, e))?;
        fs::write(dir, file, &l)?;
    }
    Ok(())
}
