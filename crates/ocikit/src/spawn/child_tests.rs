//! The run child's namespace and filesystem steps, and the exec helper's join, against the
//! recording double.

use super::*;
use crate::spawn::child_exec::join_container;
use crate::spawn::plan::Options;
use crate::spawn::syscall_test::Recorder;
use crate::spec::{Namespace, Process, Spec};

fn ns(kind: &str, path: Option<&str>) -> Namespace {
    Namespace { kind: kind.into(), path: path.map(String::from) }
}

fn spec(namespaces: Vec<Namespace>) -> Spec {
    Spec {
        process: Process { args: vec!["/bin/true".into()], cwd: "/".into(), ..Process::default() },
        root_path: "/".into(),
        namespaces,
        ..Spec::default()
    }
}

fn opts() -> Options {
    // not a v2 cgroup directory (no cgroup.controllers): joined by the child
    Options { stdio: [0, 1, 2], cgroup_procs: vec!["/nonexistent-ocikit/cg/cgroup.procs".into()], ..Options::default() }
}

/// The calls that are not part of the rootfs (which rootfs_tests covers).
fn outside_rootfs(rec: &Recorder) -> Vec<String> {
    let ops = ["open", "write", "unshare", "setns", "umask", "loopback_up", "sethostname", "setdomainname", "setns_pidfd"];
    rec.only(&ops).into_iter().filter(|c| !c.ends_with("DIRECTORY|PATH|CLOEXEC 0")).collect() // the rootfs's open
}

fn owned(f: Fail) -> (&'static str, Errno, Option<String>) {
    // SAFETY: called while the plan the path borrows from is alive.
    (f.step, f.errno, f.path.map(|p| unsafe { &*p }.to_string_lossy().into_owned()))
}

#[test]
fn cgroups_then_namespaces_then_rootfs_then_names() {
    let mut s = spec(vec![ns("mount", None), ns("network", None), ns("uts", None), ns("cgroup", None),
        ns("ipc", Some("/proc/self/ns/ipc"))]);
    s.hostname = Some("box".into());
    s.domainname = Some("example".into());
    s.sysctl = vec![("net.ipv4.ip_forward".into(), "1".into())];
    s.process.oom_score_adj = Some(-500);
    let plan = Plan::new(&s, &opts()).unwrap();
    let rec = Recorder::new();
    setup_container(&rec, &plan).unwrap();
    let ipc = plan.join[0].fd;
    let calls = outside_rootfs(&rec);
    let before_rootfs: Vec<&str> = calls.iter().map(String::as_str).take(6).collect();
    assert_eq!(before_rootfs, [
        "open /nonexistent-ocikit/cg/cgroup.procs WRONLY|CLOEXEC 0",
        "write </nonexistent-ocikit/cg/cgroup.procs> 0",
        // joined namespaces first (runc's order: a namespace made after them would belong to a
        // joined user namespace), the cgroup namespace unshared once the cgroup is joined
        &format!("setns fd{ipc} InterProcessCommunication"),
        "unshare NEWCGROUP",
        "umask 0",
        "loopback_up",
    ]);
    // the rootfs comes next, then what lives in the new namespaces
    let pivot = rec.calls().iter().position(|c| c.starts_with("pivot_root")).expect("rootfs set up");
    let lo = rec.calls().iter().position(|c| c == "loopback_up").unwrap();
    let host = rec.calls().iter().position(|c| c.starts_with("sethostname")).unwrap();
    assert!(lo < pivot && pivot < host);
    assert_eq!(calls[6..].to_vec(), [
        "open /proc/sys/net/ipv4/ip_forward WRONLY|CLOEXEC 0",
        "write </proc/sys/net/ipv4/ip_forward> 1",
        "sethostname box",
        "setdomainname example",
        "open /proc/self/oom_score_adj WRONLY|CLOEXEC 0",
        "write </proc/self/oom_score_adj> -500",
    ]);
    assert!(rec.still_open().is_empty());
}

#[test]
fn no_loopback_without_a_network_namespace_and_no_names_when_unset() {
    let plan = Plan::new(&spec(vec![ns("mount", None), ns("uts", None), ns("ipc", None)]), &Options::default()).unwrap();
    let rec = Recorder::new();
    setup_container(&rec, &plan).unwrap();
    assert_eq!(outside_rootfs(&rec), ["umask 0"]);
}

#[test]
fn a_failing_step_stops_the_ones_after_it() {
    let mut s = spec(vec![ns("mount", None), ns("uts", None)]);
    s.hostname = Some("box".into());
    s.domainname = Some("example".into());
    let plan = Plan::new(&s, &opts()).unwrap();

    let rec = Recorder::new().fail("sethostname", "", Errno::EPERM);
    assert_eq!(setup_container(&rec, &plan).map_err(owned), Err(("sethostname", Errno::EPERM, None)));
    assert!(rec.only(&["setdomainname"]).is_empty());

    let rec = Recorder::new().fail("write", "cgroup.procs", Errno::ENOSPC);
    let r = setup_container(&rec, &plan).map_err(owned);
    assert_eq!(r, Err(("join cgroup", Errno::ENOSPC, Some("/nonexistent-ocikit/cg/cgroup.procs".into()))));
    assert_eq!(rec.calls().len(), 2, "nothing after the cgroup join: {:#?}", rec.calls());
    assert!(rec.still_open().is_empty(), "the cgroup.procs fd is closed on failure");

    let plan2 = Plan::new(&spec(vec![ns("mount", None), ns("cgroup", None), ns("uts", Some("/proc/self/ns/uts"))]), &opts())
        .unwrap();
    let rec = Recorder::new().fail("setns", "", Errno::EPERM);
    assert_eq!(setup_container(&rec, &plan2).map_err(owned), Err(("setns", Errno::EPERM, None)));
    assert!(rec.only(&["unshare", "umask", "propagate"]).is_empty(), "{:#?}", rec.calls());

    let rec = Recorder::new().fail("propagate", "/", Errno::EINVAL);
    assert_eq!(setup_container(&rec, &plan).map_err(owned), Err(("set root propagation", Errno::EINVAL, None)));
    assert!(rec.only(&["sethostname"]).is_empty());
}

#[test]
fn exec_joins_cgroups_then_every_namespace_of_the_container_at_once() {
    let pidfd = rustix::process::pidfd_open(rustix::process::getpid(), rustix::process::PidfdFlags::empty()).unwrap();
    let o = Options { join_pidfd: Some(rustix::fd::AsRawFd::as_raw_fd(&pidfd)), ..opts() };
    let plan = Plan::new(&spec(Vec::new()), &o).unwrap();
    let rec = Recorder::new();
    join_container(&rec, &plan).unwrap();
    let fd = rustix::fd::AsRawFd::as_raw_fd(&pidfd);
    assert_eq!(rec.calls(), [
        "open /nonexistent-ocikit/cg/cgroup.procs WRONLY|CLOEXEC 0".to_string(),
        "write </nonexistent-ocikit/cg/cgroup.procs> 0".into(),
        format!("setns_pidfd fd{fd} MOUNT|CONTROL_GROUP|HOST_NAME_AND_NIS_DOMAIN_NAME|INTER_PROCESS_COMMUNICATION|PROCESS_ID|NETWORK"),
    ]);
    assert!(plan.rootfs.is_none() && plan.hostname.is_none());
}
