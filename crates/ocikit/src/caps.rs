//! Linux capabilities: names ↔ numbers, Docker's default set, OCI `process.capabilities`, and
//! applying them in the container's child with raw syscalls only.
//!
//! `Capabilities::prepare` runs in the parent (reads `cap_last_cap`, builds the `capset` v3
//! data); `Prepared::apply` runs in the `CLONE_VM|CLONE_VFORK` child after the final
//! setuid/setgid and before `seccomp::install`: drop the bounding set (`PR_CAPBSET_DROP`, needs
//! CAP_SETPCAP, so it comes first), `capset`, clear the ambient set, raise the requested ambient
//! capabilities. All of these act on the calling thread only.

use crate::seccomp::raw::{nr, prctl, syscall5};

/// Highest capability number this table knows (CAP_CHECKPOINT_RESTORE).
pub const LAST_CAP: u32 = 40;

/// Capability names indexed by number.
pub const NAMES: [&str; LAST_CAP as usize + 1] = [
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
    "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
];

/// `CAP_CHOWN`, `chown` or `cap_chown` → 0.
pub fn from_name(name: &str) -> Option<u32> {
    let upper = name.to_ascii_uppercase();
    let full = if upper.starts_with("CAP_") { upper } else { format!("CAP_{upper}") };
    NAMES.iter().position(|n| *n == full).map(|i| i as u32)
}

pub fn name(cap: u32) -> Option<&'static str> {
    NAMES.get(cap as usize).copied()
}

/// A set of capabilities as a bit mask (`1 << cap`), the kernel's own representation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CapSet(pub u64);

/// A capability name that is not in [`NAMES`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCap(pub String);

impl std::fmt::Display for UnknownCap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown capability {:?}", self.0)
    }
}
impl std::error::Error for UnknownCap {}

impl CapSet {
    pub const EMPTY: CapSet = CapSet(0);

    pub fn contains(self, cap: u32) -> bool {
        cap < 64 && self.0 & (1 << cap) != 0
    }
    pub fn with(self, cap: u32) -> CapSet {
        CapSet(self.0 | 1 << cap)
    }
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<CapSet, UnknownCap> {
        names.iter().try_fold(CapSet::EMPTY, |set, n| {
            from_name(n.as_ref()).map(|c| set.with(c)).ok_or_else(|| UnknownCap(n.as_ref().to_string()))
        })
    }
    pub fn names(self) -> Vec<&'static str> {
        (0..=LAST_CAP).filter(|c| self.contains(*c)).map(|c| NAMES[c as usize]).collect()
    }
}

/// Docker's default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
/// NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP.
pub const DOCKER_DEFAULT: CapSet = CapSet(0xa804_25fb);

/// OCI `process.capabilities`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub bounding: CapSet,
    pub effective: CapSet,
    pub inheritable: CapSet,
    pub permitted: CapSet,
    pub ambient: CapSet,
}

impl Capabilities {
    /// Docker's `run`/`exec` sets: bounding = effective = permitted = default; inheritable and
    /// ambient empty.
    pub fn docker_default() -> Capabilities {
        Capabilities {
            bounding: DOCKER_DEFAULT,
            effective: DOCKER_DEFAULT,
            permitted: DOCKER_DEFAULT,
            inheritable: CapSet::EMPTY,
            ambient: CapSet::EMPTY,
        }
    }

    /// From the OCI lists of names (absent lists are empty, as the spec says).
    pub fn from_oci<S: AsRef<str>>(
        bounding: &[S],
        effective: &[S],
        inheritable: &[S],
        permitted: &[S],
        ambient: &[S],
    ) -> Result<Capabilities, UnknownCap> {
        Ok(Capabilities {
            bounding: CapSet::parse(bounding)?,
            effective: CapSet::parse(effective)?,
            inheritable: CapSet::parse(inheritable)?,
            permitted: CapSet::parse(permitted)?,
            ambient: CapSet::parse(ambient)?,
        })
    }

    /// Builds the syscall arguments in the parent. `last_cap` is the running kernel's
    /// (`kernel_last_cap()`); capabilities above it are dropped from every set.
    pub fn prepare(&self, last_cap: u32) -> Prepared {
        let known = if last_cap >= 63 { u64::MAX } else { (1u64 << (last_cap + 1)) - 1 };
        let (e, p, i) = (self.effective.0 & known, self.permitted.0 & known, self.inheritable.0 & known);
        let data = [
            CapUserData { effective: e as u32, permitted: p as u32, inheritable: i as u32 },
            CapUserData { effective: (e >> 32) as u32, permitted: (p >> 32) as u32, inheritable: (i >> 32) as u32 },
        ];
        Prepared { last_cap, bounding: self.bounding.0 & known, data, ambient: self.ambient.0 & known }
    }
}

/// `/proc/sys/kernel/cap_last_cap`.
pub fn kernel_last_cap() -> std::io::Result<u32> {
    let s = std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")?;
    s.trim().parse().map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("cap_last_cap: {s:?}")))
}

/// `struct __user_cap_header_struct`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapUserHeader {
    pub version: u32,
    pub pid: i32,
}

/// `struct __user_cap_data_struct`; v3 uses two of them (bits 0..32 and 32..64).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CapUserData {
    pub effective: u32,
    pub permitted: u32,
    pub inheritable: u32,
}

pub const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;
const PR_CAPBSET_DROP: usize = 24;
const PR_CAP_AMBIENT: usize = 47;
const PR_CAP_AMBIENT_RAISE: usize = 2;
const PR_CAP_AMBIENT_CLEAR_ALL: usize = 4;
const EINVAL: i32 = 22;

/// Everything [`Prepared::apply`] needs, computed before the clone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prepared {
    pub last_cap: u32,
    pub bounding: u64,
    pub data: [CapUserData; 2],
    pub ambient: u64,
}

/// Which step of [`Prepared::apply`] failed (with the capability for per-cap steps) and errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyError {
    BoundingDrop { cap: u32, errno: i32 },
    Capset { errno: i32 },
    AmbientClear { errno: i32 },
    AmbientRaise { cap: u32, errno: i32 },
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplyError::BoundingDrop { cap, errno } => write!(f, "prctl(PR_CAPBSET_DROP, {cap}): errno {errno}"),
            ApplyError::Capset { errno } => write!(f, "capset: errno {errno}"),
            ApplyError::AmbientClear { errno } => write!(f, "prctl(PR_CAP_AMBIENT_CLEAR_ALL): errno {errno}"),
            ApplyError::AmbientRaise { cap, errno } => write!(f, "prctl(PR_CAP_AMBIENT_RAISE, {cap}): errno {errno}"),
        }
    }
}
impl std::error::Error for ApplyError {}

impl Prepared {
    /// Applies to the calling thread. No allocation, no libc: safe in a vfork-style child.
    pub fn apply(&self) -> Result<(), ApplyError> {
        let mut cap = 0;
        while cap <= self.last_cap {
            if self.bounding & (1u64 << cap) == 0 {
                let r = prctl(PR_CAPBSET_DROP, cap as usize, 0, 0, 0);
                if r < 0 && r as i32 != -EINVAL {
                    return Err(ApplyError::BoundingDrop { cap, errno: -r as i32 });
                }
            }
            cap += 1;
        }
        let header = CapUserHeader { version: LINUX_CAPABILITY_VERSION_3, pid: 0 };
        // SAFETY: header and data are valid repr(C) structs living across the call.
        let r = unsafe {
            syscall5(nr::CAPSET, &header as *const _ as usize, self.data.as_ptr() as usize, 0, 0, 0)
        };
        if r < 0 {
            return Err(ApplyError::Capset { errno: -r as i32 });
        }
        let r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        if r < 0 && !(r as i32 == -EINVAL && self.ambient == 0) {
            return Err(ApplyError::AmbientClear { errno: -r as i32 });
        }
        let mut cap = 0;
        while cap <= self.last_cap {
            if self.ambient & (1u64 << cap) != 0 {
                let r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap as usize, 0, 0);
                if r < 0 {
                    return Err(ApplyError::AmbientRaise { cap, errno: -r as i32 });
                }
            }
            cap += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (i, n) in NAMES.iter().enumerate() {
            assert_eq!(from_name(n), Some(i as u32));
            assert_eq!(name(i as u32), Some(*n));
        }
        assert_eq!(from_name("net_bind_service"), Some(10));
        assert_eq!(from_name("CAP_NOPE"), None);
        assert_eq!(name(41), None);
    }

    #[test]
    fn docker_default_set() {
        let names = [
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE",
        ];
        assert_eq!(CapSet::parse(&names).unwrap(), DOCKER_DEFAULT);
        assert_eq!(DOCKER_DEFAULT.names().len(), 14);
        assert!(!DOCKER_DEFAULT.contains(21));
        assert_eq!(CapSet::parse(&["CAP_CHOWN", "CAP_BOGUS"]), Err(UnknownCap("CAP_BOGUS".into())));
    }

    #[test]
    fn prepare_splits_and_masks() {
        let caps = Capabilities::from_oci(
            &["CAP_CHOWN", "CAP_CHECKPOINT_RESTORE"],
            &["CAP_CHOWN", "CAP_BPF"],
            &[],
            &["CAP_CHOWN", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"],
            &[],
        )
        .unwrap();
        let p = caps.prepare(39); // an older kernel without CHECKPOINT_RESTORE
        assert_eq!(p.bounding, 1);
        assert_eq!(p.data[0], CapUserData { effective: 1, permitted: 1, inheritable: 0 });
        assert_eq!(p.data[1], CapUserData { effective: 1 << 7, permitted: 1 << 7, inheritable: 0 });
    }

    const CHILD_ENV: &str = "OCIKIT_CAPS_TEST_CHILD";

    /// Runs only when re-executed by `real_apply_in_child`; prints this thread's cap lines.
    #[test]
    fn real_child_entry() {
        let Some(mode) = std::env::var_os(CHILD_ENV) else { return };
        let mut caps = Capabilities::docker_default();
        if mode == "ambient" {
            caps.inheritable = CapSet::EMPTY.with(10);
            caps.ambient = CapSet::EMPTY.with(10);
        }
        let prepared = caps.prepare(kernel_last_cap().unwrap());
        if let Err(e) = prepared.apply() {
            eprintln!("apply: {e}");
            std::process::exit(10);
        }
        // capabilities are per thread and the test runs on a harness thread
        let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
        for line in status.lines().filter(|l| l.starts_with("Cap")) {
            eprintln!("{line}");
        }
        std::process::exit(0);
    }

    fn run_child(mode: &str) -> String {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "caps::tests::real_child_entry", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, mode)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "child failed: {:?} {err}", out.status);
        err
    }

    #[test]
    fn real_apply_in_child() {
        let root = std::fs::read_to_string("/proc/self/status").unwrap();
        if !root.contains("CapEff:\t000001ff") {
            eprintln!("skipping: not a privileged root");
            return;
        }
        let out = run_child("default");
        assert!(out.contains("CapEff:\t00000000a80425fb"), "{out}");
        assert!(out.contains("CapPrm:\t00000000a80425fb"), "{out}");
        assert!(out.contains("CapBnd:\t00000000a80425fb"), "{out}");
        assert!(out.contains("CapInh:\t0000000000000000"), "{out}");
        assert!(out.contains("CapAmb:\t0000000000000000"), "{out}");
        let out = run_child("ambient");
        assert!(out.contains("CapAmb:\t0000000000000400"), "{out}");
        assert!(out.contains("CapInh:\t0000000000000400"), "{out}");
    }
}
