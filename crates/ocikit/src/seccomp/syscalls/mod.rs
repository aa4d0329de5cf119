//! Syscall name → number tables per architecture, and the architecture tokens the filter checks.

pub mod aarch64;
pub mod x86_64;

/// `AUDIT_ARCH_*` values from `<linux/audit.h>`.
pub const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;
pub const AUDIT_ARCH_AARCH64: u32 = 0xc000_00b7;
/// x32 ABI syscalls carry this bit in `nr` while the arch token still says x86_64.
pub const X32_SYSCALL_BIT: u32 = 0x4000_0000;

/// The architectures a filter can be built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    Aarch64,
}

impl Arch {
    /// The architecture this crate was compiled for.
    pub fn native() -> Arch {
        if cfg!(target_arch = "aarch64") {
            Arch::Aarch64
        } else {
            Arch::X86_64
        }
    }

    pub fn audit_arch(self) -> u32 {
        match self {
            Arch::X86_64 => AUDIT_ARCH_X86_64,
            Arch::Aarch64 => AUDIT_ARCH_AARCH64,
        }
    }

    /// libseccomp / OCI spelling (`SCMP_ARCH_X86_64`) or Docker's short one (`amd64`).
    pub fn from_name(name: &str) -> Option<Arch> {
        match name {
            "SCMP_ARCH_X86_64" | "amd64" | "x86_64" => Some(Arch::X86_64),
            "SCMP_ARCH_AARCH64" | "arm64" | "aarch64" => Some(Arch::Aarch64),
            _ => None,
        }
    }

    fn table(self) -> &'static [(&'static str, u32)] {
        match self {
            Arch::X86_64 => x86_64::TABLE,
            Arch::Aarch64 => aarch64::TABLE,
        }
    }

    /// The number of syscall `name` on this architecture; `None` when it does not exist there.
    pub fn syscall_nr(self, name: &str) -> Option<u32> {
        let t = self.table();
        t.binary_search_by(|(n, _)| (*n).cmp(name)).ok().map(|i| t[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_lookup_works() {
        for arch in [Arch::X86_64, Arch::Aarch64] {
            let t = arch.table();
            assert!(t.windows(2).all(|w| w[0].0 < w[1].0), "{arch:?} table not sorted");
        }
        assert_eq!(Arch::X86_64.syscall_nr("getpid"), Some(39));
        assert_eq!(Arch::X86_64.syscall_nr("keyctl"), Some(250));
        assert_eq!(Arch::Aarch64.syscall_nr("getpid"), Some(172));
        assert_eq!(Arch::Aarch64.syscall_nr("openat"), Some(56));
        assert_eq!(Arch::Aarch64.syscall_nr("open"), None);
        assert_eq!(Arch::X86_64.syscall_nr("no_such_call"), None);
    }
}
