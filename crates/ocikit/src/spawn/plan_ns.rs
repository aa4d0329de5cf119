//! The namespace part of a [`super::plan::Plan`]: what the clone creates, what the child joins by
//! path or unshares, and what an exec joins.

use super::plan::{cs, JoinNs};
use crate::spec::Spec;
use crate::sys::{Errno, SysError};
use rustix::fd::IntoRawFd;
use rustix::fs::{Mode, OFlags};
use rustix::thread::{LinkNameSpaceType as T, ThreadNameSpaceType};

pub struct Namespaces {
    /// CLONE_NEW* flags of the namespaces the clone creates.
    pub clone_flags: u64,
    /// Namespaces joined by path (`linux.namespaces[].path`), in spec order.
    pub join: Vec<JoinNs>,
    /// A new cgroup namespace, unshared by the child once it is in its cgroup.
    pub unshare_cgroupns: bool,
}

/// The namespace of an OCI `linux.namespaces[].type`.
fn ns_type(kind: &str) -> Option<T> {
    Some(match kind {
        "pid" => T::ProcessID,
        "network" => T::Network,
        "mount" => T::Mount,
        "ipc" => T::InterProcessCommunication,
        "uts" => T::HostNameAndNISDomainName,
        "cgroup" => T::ControlGroup,
        "user" => T::User,
        _ => return None,
    })
}

/// The namespaces of a run: a mount namespace is required, a user namespace not supported yet, a
/// pid namespace cannot be joined by path (the clone would have to be in it).
pub fn namespaces(spec: &Spec) -> Result<Namespaces, SysError> {
    let mut ns = Namespaces { clone_flags: 0, join: Vec::new(), unshare_cgroupns: false };
    for n in &spec.namespaces {
        let nstype = ns_type(&n.kind).ok_or_else(|| SysError::invalid("spec", &format!("unknown namespace {:?}", n.kind)))?;
        if nstype == T::User {
            return Err(SysError::new(Errno::EOPNOTSUPP, "user namespace (not supported yet)"));
        }
        match &n.path {
            Some(path) if nstype == T::ProcessID => {
                return Err(SysError::at(Errno::EOPNOTSUPP, "join pid namespace by path", path));
            }
            Some(path) => {
                let c = cs(path, "namespace path")?;
                let fd = rustix::fs::open(c.as_c_str(), OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
                    .map_err(|e| SysError::at(Errno(e.raw_os_error()), "open namespace", path))?;
                ns.join.push(JoinNs { fd: fd.into_raw_fd(), nstype });
            }
            None if nstype == T::ControlGroup => ns.unshare_cgroupns = true,
            None => ns.clone_flags |= nstype as u32 as u64,
        }
    }
    if ns.clone_flags & T::Mount as u32 as u64 == 0 {
        return Err(SysError::invalid("spec", "a mount namespace is required"));
    }
    Ok(ns)
}

/// What an exec joins through the pidfd of the container's init: all of its namespaces.
pub fn exec_namespaces() -> ThreadNameSpaceType {
    ThreadNameSpaceType::MOUNT
        | ThreadNameSpaceType::HOST_NAME_AND_NIS_DOMAIN_NAME
        | ThreadNameSpaceType::INTER_PROCESS_COMMUNICATION
        | ThreadNameSpaceType::NETWORK
        | ThreadNameSpaceType::PROCESS_ID
        | ThreadNameSpaceType::CONTROL_GROUP
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Namespace;

    fn spec(ns: &[(&str, Option<&str>)]) -> Spec {
        let namespaces = ns.iter().map(|(k, p)| Namespace { kind: k.to_string(), path: p.map(String::from) }).collect();
        Spec { namespaces, ..Spec::default() }
    }

    #[test]
    fn created_joined_and_unshared_namespaces() {
        let n = namespaces(&spec(&[("mount", None), ("pid", None), ("network", Some("/proc/self/ns/net")), ("cgroup", None)]))
            .unwrap();
        assert_eq!(n.clone_flags, (rustix::thread::UnshareFlags::NEWNS | rustix::thread::UnshareFlags::NEWPID).bits() as u64);
        assert_eq!(n.join.len(), 1);
        assert_eq!(n.join[0].nstype, T::Network);
        assert!(n.unshare_cgroupns);
        // SAFETY: the fd was opened for the plan part and nothing else owns it.
        drop(unsafe { <rustix::fd::OwnedFd as rustix::fd::FromRawFd>::from_raw_fd(n.join[0].fd) });
    }

    #[test]
    fn refused_namespaces() {
        let err = |s: &[(&str, Option<&str>)]| namespaces(&spec(s)).err().map(|e| (e.errno, e.step, e.message));
        assert_eq!(err(&[("uts", None)]), Some((Errno::EINVAL, "spec".into(), Some("a mount namespace is required".into()))));
        assert_eq!(err(&[("mount", None), ("user", None)]).map(|e| e.0), Some(Errno::EOPNOTSUPP));
        assert_eq!(err(&[("mount", None), ("pid", Some("/proc/self/ns/pid"))]).map(|e| e.1), Some("join pid namespace by path".into()));
        assert_eq!(err(&[("mount", None), ("time", None)]).map(|e| e.2), Some(Some("unknown namespace \"time\"".into())));
        assert_eq!(err(&[("mount", None), ("net", Some("/nonexistent-ocikit"))]).map(|e| e.0), Some(Errno::EINVAL));
        assert_eq!(err(&[("mount", None), ("network", Some("/nonexistent-ocikit"))]).map(|e| (e.0, e.1)),
            Some((Errno::ENOENT, "open namespace".into())));
    }
}
