//! The rootfs setup against the recording double: which calls, in which order, with which flags.

use super::*;
use crate::spawn::plan_rootfs::rootfs_plan;
use crate::spawn::syscall_test::Recorder;
use crate::spec::{Device, Mount, Spec};
use rustix::fs::FileType;

fn mnt(dest: &str, kind: &str, source: &str, options: &[&str]) -> Mount {
    Mount { destination: dest.into(), kind: kind.into(), source: source.into(), options: options.iter().map(|o| o.to_string()).collect() }
}

/// A spec whose root is a fresh temp dir (rootfs_plan canonicalizes it), with a file to bind.
struct Fixture {
    dir: std::path::PathBuf,
    spec: Spec,
}

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = std::env::temp_dir().join(format!("ocikit-rootfs-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("root")).unwrap();
        std::fs::write(dir.join("hosts"), b"127.0.0.1 localhost\n").unwrap();
        let root = dir.join("root").canonicalize().unwrap();
        let spec = Spec { root_path: root.to_str().unwrap().into(), ..Spec::default() };
        Fixture { dir, spec }
    }
    /// The recorded calls of `ops` (all when empty), the root's path shown as `R`.
    fn calls(&self, rec: &Recorder, ops: &[&str]) -> Vec<String> {
        let all = if ops.is_empty() { rec.calls() } else { rec.only(ops) };
        all.into_iter().map(|c| c.replace(&self.spec.root_path, "R")).collect()
    }
    fn hosts(&self) -> String {
        self.dir.join("hosts").to_str().unwrap().into()
    }
    /// Runs the setup; a failure comes back owned (its path points into the plan, dropped here).
    fn run(&self, rec: &Recorder) -> Result<(), Failed> {
        let rf = rootfs_plan(&self.spec).unwrap();
        let r = setup(rec, &rf).map_err(owned);
        assert_eq!(rec.still_open(), Vec::<String>::new(), "every fd opened is closed");
        r
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const MOUNTS: &[&str] = &["mount", "bind", "rbind", "remount", "propagate", "unmount", "pivot_root", "fchdir", "chdir"];

type Failed = (&'static str, Errno, Option<String>);

/// Step, errno and path of a failure, while the plan its path points into is alive.
pub(crate) fn owned(f: Fail) -> Failed {
    // SAFETY: the caller still holds the plan the path borrows from.
    (f.step, f.errno, f.path.map(|p| unsafe { &*p }.to_string_lossy().into_owned()))
}

fn fail_of(r: Result<(), Failed>) -> Failed {
    r.expect_err("the setup fails")
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()
}

#[test]
fn mounts_in_spec_order_then_dev_pivot_masked_readonly() {
    let mut fx = Fixture::new("order");
    fx.spec.mounts = vec![
        mnt("/proc", "proc", "proc", &["nosuid", "noexec", "nodev"]),
        mnt("/dev", "tmpfs", "tmpfs", &["nosuid", "strictatime", "mode=755", "size=65536k"]),
        mnt("/etc/hosts", "bind", &fx.hosts(), &["rbind", "ro", "rshared"]),
        mnt("/sys", "sysfs", "sysfs", &["nosuid", "noexec", "nodev", "ro"]),
    ];
    fx.spec.masked_paths = vec!["/proc/kcore".into(), "/proc/acpi".into()];
    fx.spec.readonly_paths = vec!["/proc/sys".into()];
    fx.spec.root_readonly = true;
    let rec = Recorder::new().with_type("/proc/kcore", FileType::RegularFile);
    fx.run(&rec).unwrap();
    let hosts = fx.hosts();
    assert_eq!(fx.calls(&rec, MOUNTS), lines(&format!("
        propagate / PRIVATE|REC
        rbind R R
        mount proc </proc> proc NODEV|NOEXEC|NOSUID -
        mount tmpfs </dev> tmpfs NOSUID|STRICTATIME mode=755,size=65536k
        rbind {hosts} </etc/hosts>
        remount </etc/hosts> BIND|RDONLY
        propagate </etc/hosts> SHARED|REC
        mount sysfs </sys> sysfs NODEV|NOEXEC|NOSUID|RDONLY -
        fchdir <R>
        pivot_root . .
        propagate . DOWNSTREAM|REC
        unmount . DETACH
        chdir /
        bind /dev/null /proc/kcore
        mount tmpfs /proc/acpi tmpfs RDONLY size=0
        rbind /proc/sys /proc/sys
        remount /proc/sys BIND|NODEV|NOEXEC|NOSUID|RDONLY
        remount / BIND|RDONLY
    ")));
}

#[test]
fn a_mount_goes_on_the_target_resolved_in_the_root_and_the_remount_on_the_new_top() {
    let mut fx = Fixture::new("top");
    fx.spec.mounts = vec![mnt("/etc/hosts", "bind", &fx.hosts(), &["bind", "nosuid", "rprivate"])];
    let rec = Recorder::new();
    fx.run(&rec).unwrap();
    let calls = fx.calls(&rec, &[]);
    let at = |l: &str| calls.iter().position(|c| c == l).unwrap_or_else(|| panic!("no {l:?} in {calls:#?}"));
    let hosts = fx.hosts();
    // resolved (again) right before each call that uses it: the mount, then the mount on top
    let bind = at(&format!("bind {hosts} </etc/hosts>"));
    assert_eq!(calls[bind - 1], "open_in_root <R> /etc/hosts PATH|CLOEXEC");
    assert_eq!(calls[bind + 1], "open_in_root <R> /etc/hosts PATH|CLOEXEC");
    assert_eq!(calls[bind + 2], "remount </etc/hosts> BIND|NOSUID");
    assert_eq!(calls[bind + 3], "propagate </etc/hosts> PRIVATE|REC");
}

#[test]
fn missing_mount_targets_are_created_inside_the_root() {
    let mut fx = Fixture::new("create");
    fx.spec.mounts = vec![
        mnt("/mnt/a", "tmpfs", "tmpfs", &[]),
        mnt("/etc/x.conf", "bind", &fx.hosts(), &["bind"]),
    ];
    let rec = Recorder::new()
        .fail_once("open_in_root", " /mnt/a ", Errno::ENOENT)
        .fail_once("open_in_root", " /etc/x.conf ", Errno::ENOENT)
        .fail_once("mkdirat", "", Errno::EEXIST); // a race: someone made it meanwhile
    fx.run(&rec).unwrap();
    let calls = fx.calls(&rec, &["open_in_root", "mkdirat", "openat", "mount", "bind"]);
    let hosts = fx.hosts();
    assert_eq!(calls[..9].to_vec(), lines(&format!("
        open_in_root <R> /mnt PATH|CLOEXEC
        open_in_root <R> /mnt/a PATH|CLOEXEC = ENOENT
        open_in_root <R> /mnt DIRECTORY|PATH|CLOEXEC
        mkdirat </mnt> a 755 = EEXIST
        open_in_root <R> /mnt/a PATH|CLOEXEC
        mount tmpfs </mnt/a> tmpfs 0x0 -
        open_in_root <R> /etc PATH|CLOEXEC
        open_in_root <R> /etc/x.conf PATH|CLOEXEC = ENOENT
        open_in_root <R> /etc DIRECTORY|PATH|CLOEXEC
    ")));
    // a file for a file's bind: created, never followed, closed
    assert_eq!(calls[9], "openat </etc> x.conf CREATE|NOFOLLOW|WRONLY|CLOEXEC 644");
    assert_eq!(calls[11], format!("bind {hosts} </etc/x.conf>"));
}

#[test]
fn a_failed_step_is_reported_with_its_path_and_stops_the_rest() {
    let mut fx = Fixture::new("fail");
    fx.spec.mounts = vec![
        mnt("/proc", "proc", "proc", &[]),
        mnt("/sys", "sysfs", "sysfs", &[]),
        mnt("/dev", "tmpfs", "tmpfs", &[]),
    ];
    let rec = Recorder::new().fail("mount", "sysfs", Errno::EPERM);
    assert_eq!(fail_of(fx.run(&rec)), ("mount", Errno::EPERM, Some("/sys".into())));
    let calls = fx.calls(&rec, &[]);
    assert_eq!(calls.last().unwrap(), "mount sysfs </sys> sysfs 0x0 - = EPERM");
    assert!(!calls.iter().any(|c| c.contains("/dev") || c.starts_with("pivot_root")), "{calls:#?}");

    // resolving a target fails otherwise than ENOENT: named, nothing created
    let rec = Recorder::new().fail("open_in_root", " /proc ", Errno::ELOOP);
    assert_eq!(fail_of(fx.run(&rec)), ("resolve mount target", Errno::ELOOP, Some("/proc".into())));
    assert!(rec.only(&["mkdirat", "mount"]).is_empty());

    // pivot_root fails: the old root is left alone, the root fd closed (checked by run)
    let rec = Recorder::new().fail("pivot_root", "", Errno::EINVAL);
    assert_eq!(fail_of(fx.run(&rec)), ("pivot_root", Errno::EINVAL, None));
    assert!(rec.only(&["unmount", "lstat", "remount"]).is_empty());

    // the root cannot be bound: nothing else is tried
    let rec = Recorder::new().fail("rbind", "", Errno::EACCES);
    assert_eq!(fail_of(fx.run(&rec)), ("bind rootfs", Errno::EACCES, Some(fx.spec.root_path.clone())));
    assert_eq!(rec.calls().len(), 2);
}

#[test]
fn pivot_root_then_the_old_root_goes_slave_and_detached() {
    let fx = Fixture::new("pivot");
    let rec = Recorder::new();
    fx.run(&rec).unwrap();
    assert_eq!(fx.calls(&rec, &[]), lines("
        propagate / PRIVATE|REC
        rbind R R
        open R DIRECTORY|PATH|CLOEXEC 0
        fchdir <R>
        pivot_root . .
        propagate . DOWNSTREAM|REC
        unmount . DETACH
        chdir /
    "));
    // no propagation change may reach the host after a failed one
    let rec = Recorder::new().fail("propagate", " . ", Errno::EINVAL);
    assert_eq!(fail_of(fx.run(&rec)), ("make old root slave", Errno::EINVAL, None));
    assert!(rec.only(&["unmount"]).is_empty());
}

#[test]
fn root_propagation_comes_from_the_spec() {
    let mut fx = Fixture::new("prop");
    fx.spec.rootfs_propagation = Some("rslave".into());
    let rec = Recorder::new();
    fx.run(&rec).unwrap();
    assert_eq!(rec.calls()[0], "propagate / DOWNSTREAM|REC");
}

#[test]
fn masked_paths_by_type_and_missing_ones_skipped() {
    let mut fx = Fixture::new("mask");
    fx.spec.masked_paths = vec!["/proc/kcore".into(), "/proc/gone".into(), "/proc/scsi".into()];
    let rec = Recorder::new().with_type("/proc/kcore", FileType::CharacterDevice).fail("lstat", "gone", Errno::ENOENT);
    fx.run(&rec).unwrap();
    assert_eq!(fx.calls(&rec, &["mount", "bind", "lstat"]), lines("
        lstat /proc/kcore
        bind /dev/null /proc/kcore
        lstat /proc/gone = ENOENT
        lstat /proc/scsi
        mount tmpfs /proc/scsi tmpfs RDONLY size=0
    "));
    let rec = Recorder::new().fail("lstat", "gone", Errno::EACCES);
    assert_eq!(fail_of(fx.run(&rec)), ("stat masked path", Errno::EACCES, Some("/proc/gone".into())));
    assert!(!rec.calls().iter().any(|c| c.contains("/proc/scsi")));
    let rec = Recorder::new().fail("mount", "/proc/scsi", Errno::EPERM);
    assert_eq!(fail_of(fx.run(&rec)), ("mask path", Errno::EPERM, Some("/proc/scsi".into())));
}

#[test]
fn readonly_paths_fall_back_to_plain_read_only_and_skip_missing_ones() {
    let mut fx = Fixture::new("ro");
    fx.spec.readonly_paths = vec!["/proc/bus".into(), "/proc/none".into(), "/proc/sys".into()];
    let rec = Recorder::new()
        .fail("rbind", "/proc/none", Errno::ENOENT)
        // a locked mount flag (nodev from a user namespace, say) refuses the strict remount
        .fail("remount", "/proc/sys BIND|NODEV", Errno::EPERM);
    fx.run(&rec).unwrap();
    assert_eq!(fx.calls(&rec, &["rbind", "remount"])[1..].to_vec(), lines("
        rbind /proc/bus /proc/bus
        remount /proc/bus BIND|NODEV|NOEXEC|NOSUID|RDONLY
        rbind /proc/none /proc/none = ENOENT
        rbind /proc/sys /proc/sys
        remount /proc/sys BIND|NODEV|NOEXEC|NOSUID|RDONLY = EPERM
        remount /proc/sys BIND|RDONLY
    "));
    let rec = Recorder::new().fail("remount", "/proc/bus", Errno::EPERM);
    assert_eq!(fail_of(fx.run(&rec)), ("remount read-only", Errno::EPERM, Some("/proc/bus".into())));
    let rec = Recorder::new().fail("rbind", "/proc/bus", Errno::EBUSY);
    assert_eq!(fail_of(fx.run(&rec)), ("bind read-only path", Errno::EBUSY, Some("/proc/bus".into())));
}

#[test]
fn dev_gets_its_nodes_owners_and_links_only_with_a_dev_mount() {
    let mut fx = Fixture::new("dev");
    fx.spec.devices = vec![Device { kind: "c".into(), path: "/dev/net/tun".into(), major: 10, minor: 200, file_mode: Some(0o600),
        uid: Some(7), gid: None }];
    // the node itself is never looked up or made as a directory, however missing it is
    let rec = Recorder::new().fail("open_in_root", "/dev/net/tun ", Errno::ENOENT);
    fx.run(&rec).unwrap();
    // no /dev mount: only the spec's device, no standard nodes or links
    assert_eq!(fx.calls(&rec, &["mknodat", "lchownat", "symlinkat", "mkdirat"]), lines("
        mknodat </dev/net> tun CharacterDevice 600 0xac8
        lchownat </dev/net> tun 7:0
    "));

    fx.spec.mounts = vec![mnt("/dev", "tmpfs", "tmpfs", &["mode=755"])];
    let rec = Recorder::new().fail_once("mknodat", " null ", Errno::EEXIST).fail_once("open_in_root", "/dev/net ", Errno::ENOENT);
    fx.run(&rec).unwrap();
    assert_eq!(fx.calls(&rec, &["mknodat", "lchownat", "symlinkat", "mkdirat"]), lines("
        mknodat </dev> null CharacterDevice 666 0x103 = EEXIST
        mknodat </dev> zero CharacterDevice 666 0x105
        mknodat </dev> full CharacterDevice 666 0x107
        mknodat </dev> random CharacterDevice 666 0x108
        mknodat </dev> urandom CharacterDevice 666 0x109
        mknodat </dev> tty CharacterDevice 666 0x500
        mkdirat </dev> net 755
        mknodat </dev/net> tun CharacterDevice 600 0xac8
        lchownat </dev/net> tun 7:0
        symlinkat /proc/self/fd </dev> fd
        symlinkat /proc/self/fd/0 </dev> stdin
        symlinkat /proc/self/fd/1 </dev> stdout
        symlinkat /proc/self/fd/2 </dev> stderr
        symlinkat pts/ptmx </dev> ptmx
    "));

    // a link that exists already is fine; any other error stops the links and names the link
    let rec = Recorder::new().fail("symlinkat", " fd", Errno::EEXIST).fail("symlinkat", "stdout", Errno(30));
    assert_eq!(fail_of(fx.run(&rec)), ("symlink", Errno(30), Some("stdout".into())));
    assert!(!rec.calls().iter().any(|c| c.contains("stderr") || c.starts_with("pivot_root")));
    let rec = Recorder::new().fail("mknodat", "tun", Errno::EPERM);
    assert_eq!(fail_of(fx.run(&rec)), ("mknod", Errno::EPERM, Some("/dev/net/tun".into())));
    assert!(rec.only(&["lchownat", "symlinkat"]).is_empty());
}
