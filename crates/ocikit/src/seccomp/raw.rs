//! Raw syscalls by inline assembly: no libc, no `errno`, no allocation. Safe to call in a
//! `CLONE_VM|CLONE_VFORK` child. Returns the kernel's value: `>= 0` success, `-errno` failure.
//! Shared by `seccomp::install` and `caps::Prepared::apply` (crate-private).

#[cfg(target_arch = "x86_64")]
pub(crate) mod nr {
    pub const PRCTL: usize = 157;
    pub const CAPSET: usize = 126;
    pub const SECCOMP: usize = 317;
}
#[cfg(target_arch = "aarch64")]
pub(crate) mod nr {
    pub const PRCTL: usize = 167;
    pub const CAPSET: usize = 91;
    pub const SECCOMP: usize = 277;
}

/// # Safety
/// The caller passes arguments valid for syscall `n`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) unsafe fn syscall5(n: usize, a: usize, b: usize, c: usize, d: usize, e: usize) -> isize {
    let ret: isize;
    core::arch::asm!(
        "syscall",
        inlateout("rax") n as isize => ret,
        in("rdi") a, in("rsi") b, in("rdx") c, in("r10") d, in("r8") e,
        lateout("rcx") _, lateout("r11") _,
        options(nostack)
    );
    ret
}

/// # Safety
/// The caller passes arguments valid for syscall `n`.
#[cfg(target_arch = "aarch64")]
#[inline(always)]
pub(crate) unsafe fn syscall5(n: usize, a: usize, b: usize, c: usize, d: usize, e: usize) -> isize {
    let ret: isize;
    core::arch::asm!(
        "svc 0",
        in("x8") n,
        inlateout("x0") a as isize => ret,
        in("x1") b, in("x2") c, in("x3") d, in("x4") e,
        options(nostack)
    );
    ret
}

/// `prctl(option, a2, a3, a4, a5)`.
#[inline(always)]
pub(crate) fn prctl(option: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> isize {
    // SAFETY: prctl with integer arguments only reads/writes through pointers the caller gives.
    unsafe { syscall5(nr::PRCTL, option, a2, a3, a4, a5) }
}
