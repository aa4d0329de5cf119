//! OCI `linux.resources` (the parts ocikit applies), filled by the caller from the spec's JSON.
//! Field meanings follow the runtime spec; `-1` means unlimited where the spec says so.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    pub memory: Option<Memory>,
    pub cpu: Option<Cpu>,
    pub pids: Option<Pids>,
    /// OCI `linux.resources.devices`, applied in order (v1 only; see `v1::devices::docker_default`).
    pub devices: Option<Vec<DeviceRule>>,
}

/// One OCI device cgroup rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRule {
    pub allow: bool,
    /// `a` (all), `c` or `b`.
    pub kind: char,
    /// `None` = any.
    pub major: Option<i64>,
    pub minor: Option<i64>,
    /// Some of `rwm`.
    pub access: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// Bytes; -1 unlimited.
    pub limit: Option<i64>,
    /// Soft limit in bytes (v1 `memory.soft_limit_in_bytes`, v2 `memory.low`).
    pub reservation: Option<i64>,
    /// Memory + swap in bytes (Docker's `--memory-swap`); -1 unlimited.
    pub swap: Option<i64>,
    /// 0..=100; v1 only.
    pub swappiness: Option<u64>,
    /// v1 only.
    pub disable_oom_killer: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cpu {
    /// Relative weight (v1 `cpu.shares`; v2 mapped to `cpu.weight`).
    pub shares: Option<u64>,
    /// Microseconds per period; -1 unlimited.
    pub quota: Option<i64>,
    /// Microseconds.
    pub period: Option<u64>,
    /// `cpuset.cpus`, e.g. `0-1`.
    pub cpus: Option<String>,
    /// `cpuset.mems`.
    pub mems: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pids {
    /// Maximum tasks; 0 or -1 unlimited.
    pub limit: i64,
}

use crate::spec::json::{self, Json};

/// Reads OCI `linux.resources` from its JSON text (`null` or `{}` → nothing to apply). Unknown
/// members are ignored, as runtimes do; a member of the wrong type is an error naming it.
pub fn from_json_text(text: &str) -> Result<Resources, String> {
    let t = text.trim();
    if t.is_empty() || t == "null" {
        return Ok(Resources::default());
    }
    let j = json::parse(t).map_err(|e| format!("linux.resources: JSON at byte {}: {}", e.offset, e.message))?;
    from_json(&j)
}

fn int(o: &Json, key: &str, field: &str) -> Result<Option<i64>, String> {
    match o.get(key) {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 => Ok(Some(n as i64)),
            _ => Err(format!("{field}.{key} must be an integer")),
        },
    }
}

fn uint(o: &Json, key: &str, field: &str) -> Result<Option<u64>, String> {
    match int(o, key, field)? {
        Some(n) if n < 0 => Err(format!("{field}.{key} must not be negative")),
        n => Ok(n.map(|n| n as u64)),
    }
}

fn string(o: &Json, key: &str, field: &str) -> Result<Option<String>, String> {
    match o.get(key) {
        None => Ok(None),
        Some(v) => v.as_str().map(|s| Some(s.to_string())).ok_or_else(|| format!("{field}.{key} must be a string")),
    }
}

fn object<'a>(o: &'a Json, key: &str, field: &str) -> Result<Option<&'a Json>, String> {
    match o.get(key) {
        None => Ok(None),
        Some(v @ Json::Obj(_)) => Ok(Some(v)),
        Some(_) => Err(format!("{field}.{key} must be an object")),
    }
}

/// Reads OCI `linux.resources` (memory, cpu, pids, devices) from a parsed JSON value.
pub fn from_json(j: &Json) -> Result<Resources, String> {
    const F: &str = "linux.resources";
    if !matches!(j, Json::Obj(_)) {
        return Err(format!("{F} must be an object"));
    }
    let mut r = Resources::default();
    if let Some(m) = object(j, "memory", F)? {
        let f = "linux.resources.memory";
        let swappiness = uint(m, "swappiness", f)?;
        if swappiness.is_some_and(|s| s > 100) {
            return Err(format!("{f}.swappiness must be in 0..=100"));
        }
        r.memory = Some(Memory {
            limit: int(m, "limit", f)?,
            reservation: int(m, "reservation", f)?,
            swap: int(m, "swap", f)?,
            swappiness,
            disable_oom_killer: match m.get("disableOOMKiller") {
                None => None,
                Some(v) => Some(v.as_bool().ok_or_else(|| format!("{f}.disableOOMKiller must be a boolean"))?),
            },
        });
    }
    if let Some(c) = object(j, "cpu", F)? {
        let f = "linux.resources.cpu";
        r.cpu = Some(Cpu {
            shares: uint(c, "shares", f)?,
            quota: int(c, "quota", f)?,
            period: uint(c, "period", f)?,
            cpus: string(c, "cpus", f)?.filter(|s| !s.is_empty()),
            mems: string(c, "mems", f)?.filter(|s| !s.is_empty()),
        });
    }
    if let Some(p) = object(j, "pids", F)? {
        r.pids = int(p, "limit", "linux.resources.pids")?.map(|limit| Pids { limit });
    }
    if let Some(d) = j.get("devices") {
        let Json::Arr(items) = d else { return Err(format!("{F}.devices must be an array")) };
        let mut rules = Vec::with_capacity(items.len());
        for (i, it) in items.iter().enumerate() {
            let f = format!("{F}.devices[{i}]");
            let allow = it.get("allow").and_then(Json::as_bool).ok_or_else(|| format!("{f}.allow must be a boolean"))?;
            let kind = match string(it, "type", &f)?.as_deref() {
                None | Some("a") => 'a',
                Some("c") => 'c',
                Some("b") => 'b',
                Some(other) => return Err(format!("{f}.type {other:?} is not a, b or c")),
            };
            let access = string(it, "access", &f)?.unwrap_or_else(|| "rwm".into());
            if access.is_empty() || !access.chars().all(|c| matches!(c, 'r' | 'w' | 'm')) {
                return Err(format!("{f}.access {access:?} is not some of rwm"));
            }
            rules.push(DeviceRule { allow, kind, major: int(it, "major", &f)?, minor: int(it, "minor", &f)?, access });
        }
        r.devices = Some(rules);
    }
    Ok(r)
}
