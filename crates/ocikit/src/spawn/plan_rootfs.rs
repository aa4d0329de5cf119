//! The rootfs part of a run's [`super::plan::Plan`]: mounts, devices and paths, in C strings the
//! child uses without allocating.

use super::mount_opts::{self, MountOpts};
use super::plan::cs;
use crate::spec::{Mount, Spec};
use crate::sys::{Errno, SysError};
use rustix::fs::{makedev, Dev, FileType, Mode};
use rustix::mount::{MountFlags, MountPropagationFlags};
use std::ffi::CString;

pub struct MountPlan {
    /// Every prefix of the destination (`/a`, `/a/b`) and the last component of each.
    pub prefixes: Vec<CString>,
    pub names: Vec<CString>,
    pub dest: CString,
    pub source: CString,
    /// None for a bind mount (then `flags` is `MS_BIND`, `| MS_REC` for rbind).
    pub fstype: Option<CString>,
    pub flags: MountFlags,
    pub data: Option<CString>,
    pub propagation: MountPropagationFlags,
    /// Per-mount flags a bind needs a remount for (read-only, nosuid, ...).
    pub remount: MountFlags,
    pub bind: bool,
    /// The target is a file (bind of a non-directory).
    pub file: bool,
}

pub struct DevicePlan {
    /// Prefixes and names of the path below the rootfs, as for mounts (`/dev`, `/dev/net`, `/dev/net/tun`).
    pub prefixes: Vec<CString>,
    pub names: Vec<CString>,
    pub kind: FileType,
    pub mode: Mode,
    pub dev: Dev,
    pub owner: Option<(u32, u32)>,
}

pub struct RootfsPlan {
    pub root: CString,
    pub propagation: MountPropagationFlags,
    pub mounts: Vec<MountPlan>,
    pub devices: Vec<DevicePlan>,
    pub dev_links: Vec<(CString, CString)>,
    pub masked: Vec<CString>,
    pub readonly: Vec<CString>,
    pub root_readonly: bool,
}

/// Each prefix of an absolute path: `/a/b` → [`/a`, `/a/b`] with names [`a`, `b`].
pub fn prefixes(path: &str) -> (Vec<String>, Vec<String>) {
    let mut pre = Vec::new();
    let mut names = Vec::new();
    let mut acc = String::new();
    for comp in path.split('/').filter(|c| !c.is_empty() && *c != ".") {
        acc.push('/');
        acc.push_str(comp);
        pre.push(acc.clone());
        names.push(comp.to_string());
    }
    (pre, names)
}

fn cgroup_v2_host() -> bool {
    std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists()
}

fn mount_plan(m: &Mount, v2: bool) -> Result<MountPlan, SysError> {
    if !m.destination.starts_with('/') {
        return Err(SysError::invalid("spec", &format!("mount destination {:?} is not absolute", m.destination)));
    }
    let mut o: MountOpts = mount_opts::parse(&m.options);
    // the one place mount_opts' plain numbers become rustix's flag types
    let mut flags = MountFlags::from_bits_retain(o.flags as u32);
    let mut fstype = Some(m.kind.clone());
    let mut source = m.source.clone();
    if m.kind == "bind" || o.bind {
        o.bind = true;
        flags |= MountFlags::BIND;
        fstype = None;
    } else if m.kind == "cgroup" && !v2 {
        // v1: the container gets an empty read-only tmpfs at /sys/fs/cgroup (no host hierarchy shown)
        fstype = Some("tmpfs".into());
        source = "tmpfs".into();
        flags |= MountFlags::RDONLY;
        o.data = "mode=755".into();
    } else if m.kind == "cgroup" {
        fstype = Some("cgroup2".into());
        source = "cgroup2".into();
    }
    let file = o.bind && std::fs::metadata(&source).map(|md| !md.is_dir()).unwrap_or(false);
    if o.bind && !source.starts_with('/') {
        return Err(SysError::invalid("spec", &format!("bind source {source:?} is not absolute")));
    }
    let (pre, names) = prefixes(&m.destination);
    let remount = MountFlags::from_bits_retain(if o.bind { o.bind_remount_flags() as u32 } else { 0 });
    Ok(MountPlan {
        prefixes: pre.iter().map(|p| cs(p, "mount destination")).collect::<Result<_, _>>()?,
        names: names.iter().map(|p| cs(p, "mount destination")).collect::<Result<_, _>>()?,
        dest: cs(&m.destination, "mount destination")?,
        source: cs(&source, "mount source")?,
        fstype: fstype.map(|f| cs(&f, "mount type")).transpose()?,
        flags: if o.bind { flags & (MountFlags::BIND | MountFlags::REC) } else { flags },
        data: if o.data.is_empty() { None } else { Some(cs(&o.data, "mount options")?) },
        propagation: MountPropagationFlags::from_bits_retain(o.propagation as u32),
        remount,
        bind: o.bind,
        file,
    })
}

/// What the child does to make `spec`'s root file system.
pub fn rootfs_plan(spec: &Spec) -> Result<RootfsPlan, SysError> {
    let v2 = cgroup_v2_host();
    let mounts = spec.mounts.iter().map(|m| mount_plan(m, v2)).collect::<Result<Vec<_>, _>>()?;
    let has_dev = spec.mounts.iter().any(|m| m.destination == "/dev");
    let dev = |path: &str, kind: FileType, mode: u32, major: u32, minor: u32, owner: Option<(u32, u32)>|
        -> Result<DevicePlan, SysError> {
        if !path.starts_with("/dev/") || path.split('/').any(|c| c == "..") {
            return Err(SysError::invalid("spec", &format!("device path {path:?} is not under /dev")));
        }
        let (pre, names) = prefixes(path);
        Ok(DevicePlan {
            prefixes: pre.iter().map(|p| cs(p, "device path")).collect::<Result<_, _>>()?,
            names: names.iter().map(|p| cs(p, "device path")).collect::<Result<_, _>>()?,
            kind,
            mode: Mode::from_raw_mode(mode),
            dev: makedev(major, minor),
            owner,
        })
    };
    let mut devices = Vec::new();
    if has_dev {
        for (n, ma, mi) in [("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0)] {
            devices.push(dev(&format!("/dev/{n}"), FileType::CharacterDevice, 0o666, ma, mi, None)?);
        }
    }
    for d in &spec.devices {
        let kind = match d.kind.as_str() {
            "c" | "u" => FileType::CharacterDevice,
            "b" => FileType::BlockDevice,
            "p" => FileType::Fifo,
            other => return Err(SysError::invalid("spec", &format!("device type {other:?}"))),
        };
        let owner = (d.uid.is_some() || d.gid.is_some()).then(|| (d.uid.unwrap_or(0), d.gid.unwrap_or(0)));
        devices.push(dev(&d.path, kind, d.file_mode.unwrap_or(0o666), d.major, d.minor, owner)?);
    }
    let link = |a: &str, b: &str| (CString::new(a).unwrap(), CString::new(b).unwrap());
    let dev_links = if has_dev {
        vec![link("/proc/self/fd", "fd"), link("/proc/self/fd/0", "stdin"), link("/proc/self/fd/1", "stdout"),
             link("/proc/self/fd/2", "stderr"), link("pts/ptmx", "ptmx")]
    } else {
        Vec::new()
    };
    let root = std::fs::canonicalize(&spec.root_path)
        .map_err(|e| SysError::at(Errno(e.raw_os_error().unwrap_or(2)), "rootfs", &spec.root_path))?;
    Ok(RootfsPlan {
        root: cs(&root.to_string_lossy(), "root.path")?,
        propagation: mount_opts::root_propagation(spec.rootfs_propagation.as_deref())
            .map(|p| MountPropagationFlags::from_bits_retain(p as u32))
            .ok_or_else(|| SysError::invalid("spec", "linux.rootfsPropagation"))?,
        mounts,
        devices,
        dev_links,
        masked: spec.masked_paths.iter().map(|m| cs(m, "maskedPaths")).collect::<Result<_, _>>()?,
        readonly: spec.readonly_paths.iter().map(|m| cs(m, "readonlyPaths")).collect::<Result<_, _>>()?,
        root_readonly: spec.root_readonly,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_of_paths() {
        let (p, n) = prefixes("/a//b/./c/");
        assert_eq!(p, vec!["/a", "/a/b", "/a/b/c"]);
        assert_eq!(n, vec!["a", "b", "c"]);
        assert!(prefixes("/").0.is_empty());
    }
}
