//! Which cgroup layout the host has (from `/proc/self/mountinfo`) and where the caller's own
//! cgroup is in each hierarchy (from `/proc/self/cgroup`).

use super::v1::Controller;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// Only v1 hierarchies.
    V1,
    /// v1 controller hierarchies plus a cgroup2 mount (systemd's hybrid): controllers use v1.
    Hybrid,
    /// Only the unified hierarchy.
    V2,
}

/// One cgroup mount from mountinfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub mount_point: PathBuf,
    /// The hierarchy path mounted there (`/` unless in a cgroup namespace or bind mount).
    pub root: String,
    /// `cgroup` or `cgroup2`.
    pub fstype: String,
    /// Super options: for v1 they name the controllers (`rw,cpu,cpuacct`).
    pub options: Vec<String>,
}

fn unescape(s: &str) -> String {
    // mountinfo escapes space, tab, newline and backslash as \ooo
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 4 <= b.len() && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            out.push((b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0'));
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `cgroup` and `cgroup2` mounts listed in a mountinfo text.
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some((left, right)) = line.split_once(" - ") else { continue };
        let l: Vec<&str> = left.split(' ').collect();
        let r: Vec<&str> = right.split(' ').collect();
        if l.len() < 5 || r.len() < 3 || (r[0] != "cgroup" && r[0] != "cgroup2") {
            continue;
        }
        out.push(Mount {
            mount_point: PathBuf::from(unescape(l[4])),
            root: unescape(l[3]),
            fstype: r[0].to_string(),
            options: r[2].split(',').map(str::to_string).collect(),
        });
    }
    out
}

pub fn version(mounts: &[Mount]) -> Option<Version> {
    let v1 = mounts.iter().any(|m| m.fstype == "cgroup" && Controller::ALL.iter().any(|c| m.options.iter().any(|o| o == c.name())));
    let v2 = mounts.iter().any(|m| m.fstype == "cgroup2");
    match (v1, v2) {
        (true, true) => Some(Version::Hybrid),
        (true, false) => Some(Version::V1),
        (false, true) => Some(Version::V2),
        (false, false) => None,
    }
}

/// One line of `/proc/<pid>/cgroup`: controllers (empty for v2) and path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub controllers: Vec<String>,
    pub path: String,
}

pub fn parse_proc_cgroup(text: &str) -> Vec<Membership> {
    text.lines()
        .filter_map(|l| {
            let mut it = l.splitn(3, ':');
            let (_id, ctl, path) = (it.next()?, it.next()?, it.next()?);
            let controllers = if ctl.is_empty() { Vec::new() } else { ctl.split(',').map(str::to_string).collect() };
            Some(Membership { controllers, path: path.to_string() })
        })
        .collect()
}

fn join(mount: &Mount, path: &str) -> PathBuf {
    let rel = path.strip_prefix(mount.root.as_str()).unwrap_or(if mount.root == "/" { path } else { "" });
    let rel = rel.trim_start_matches('/');
    if rel.is_empty() {
        mount.mount_point.clone()
    } else {
        mount.mount_point.join(rel)
    }
}

/// Base directories for a v1 manager: for each mounted controller, the caller's own cgroup
/// directory (`own = true`) or the hierarchy's root as mounted (`own = false`, for absolute
/// `cgroupsPath`).
pub fn v1_bases(mounts: &[Mount], member: &[Membership], own: bool) -> Vec<(Controller, PathBuf)> {
    let mut out = Vec::new();
    for c in Controller::ALL {
        let Some(m) = mounts.iter().find(|m| m.fstype == "cgroup" && m.options.iter().any(|o| o == c.name())) else {
            continue;
        };
        let path = member.iter().find(|g| g.controllers.iter().any(|x| x == c.name())).map(|g| g.path.as_str());
        let dir = match (own, path) {
            (true, Some(p)) => join(m, p),
            _ => m.mount_point.clone(),
        };
        out.push((*c, dir));
    }
    out
}

/// Base directory for a v2 manager (see [`v1_bases`] for `own`).
pub fn v2_base(mounts: &[Mount], member: &[Membership], own: bool) -> Option<PathBuf> {
    let m = mounts.iter().find(|m| m.fstype == "cgroup2")?;
    let path = member.iter().find(|g| g.controllers.is_empty()).map(|g| g.path.as_str());
    Some(match (own, path) {
        (true, Some(p)) => join(m, p),
        _ => m.mount_point.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HYBRID: &str = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpu\\040acct rw,relatime shared:9 - cgroup cgroup rw,cpuacct
35 31 0:32 /outer /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";

    #[test]
    fn parses_hybrid_mountinfo() {
        let m = parse_mountinfo(HYBRID);
        assert_eq!(m.len(), 4);
        assert_eq!(m[1].mount_point, PathBuf::from("/sys/fs/cgroup/cpu acct"));
        assert_eq!(m[2].root, "/outer");
        assert_eq!(version(&m), Some(Version::Hybrid));
        assert_eq!(version(&m[3..]), Some(Version::V2));
        assert_eq!(version(&m[..3]), Some(Version::V1));
        let member = parse_proc_cgroup("4:memory:/outer/process_api/x\n2:cpuacct:/\n1:cpu:/a\n0::/user.slice\n");
        let bases = v1_bases(&m, &member, true);
        assert_eq!(
            bases,
            vec![
                (Controller::Memory, PathBuf::from("/sys/fs/cgroup/memory/process_api/x")),
                (Controller::Cpu, PathBuf::from("/sys/fs/cgroup/cpu/a")),
                (Controller::Cpuacct, PathBuf::from("/sys/fs/cgroup/cpu acct")),
            ]
        );
        assert_eq!(v2_base(&m, &member, true), Some(PathBuf::from("/sys/fs/cgroup/unified/user.slice")));
        assert_eq!(v2_base(&m, &member, false), Some(PathBuf::from("/sys/fs/cgroup/unified")));
    }
}
