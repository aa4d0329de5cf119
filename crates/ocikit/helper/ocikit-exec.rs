//! ocikit-exec: the last step before a container's program runs.
//!
//! The process that starts a container's program (a clone of Node or of the monitor) must not have a
//! host binary as `/proc/self/exe` when it execs that program: a `#!/proc/self/exe` script, or an ELF
//! whose interpreter is `/proc/self/exe`, would run the host binary inside the container, where a
//! container process can reopen it for writing (runc CVE-2019-5736). So the child execs this
//! program instead, from a sealed memfd (its `/proc/self/exe` is that memfd: nothing to overwrite),
//! and this program execs the container's one.
//!
//! Built by build.rs as a freestanding static binary (no libc, no std): it runs after the
//! container's seccomp filter is installed, so it makes as few system calls as possible —
//! `fcntl`, `execve`, and on failure `write` and `exit_group`.
//!
//! `argv`: `ocikit-exec <n> <candidate>… <program argv>…`. It tries each of the `n` candidate paths
//! in order as `execve(candidate, program argv, envp)` (ENOENT/ENOTDIR: next one; EACCES: remember,
//! next one; any other error: stop). Fd 3, when open, is the parent's report pipe: it is made
//! close-on-exec, so a successful exec closes it; on failure the errno goes into it as 4 bytes.

#![no_std]
#![no_main]

use core::arch::global_asm;

#[cfg(target_arch = "x86_64")]
global_asm!(
    ".globl _start",
    "_start:",
    "xor rbp, rbp",
    "mov rdi, rsp",
    "and rsp, -16",
    "call helper_main",
    "ud2",
);

#[cfg(target_arch = "aarch64")]
global_asm!(
    ".globl _start",
    "_start:",
    "mov x29, #0",
    "mov x30, #0",
    "mov x0, sp",
    "bl helper_main",
    "brk #1",
);

#[cfg(target_arch = "x86_64")]
mod nr {
    pub const WRITE: usize = 1;
    pub const EXECVE: usize = 59;
    pub const FCNTL: usize = 72;
    pub const EXIT_GROUP: usize = 231;
}

#[cfg(target_arch = "aarch64")]
mod nr {
    pub const WRITE: usize = 64;
    pub const EXECVE: usize = 221;
    pub const FCNTL: usize = 25;
    pub const EXIT_GROUP: usize = 94;
}

#[cfg(target_arch = "x86_64")]
unsafe fn syscall3(n: usize, a: usize, b: usize, c: usize) -> isize {
    let ret: isize;
    core::arch::asm!("syscall", inlateout("rax") n as isize => ret, in("rdi") a, in("rsi") b, in("rdx") c,
        lateout("rcx") _, lateout("r11") _, options(nostack));
    ret
}

#[cfg(target_arch = "aarch64")]
unsafe fn syscall3(n: usize, a: usize, b: usize, c: usize) -> isize {
    let ret: isize;
    core::arch::asm!("svc 0", in("x8") n, inlateout("x0") a as isize => ret, in("x1") b, in("x2") c,
        options(nostack));
    ret
}

const ENOENT: isize = 2;
const EACCES: isize = 13;
const ENOTDIR: isize = 20;
const F_SETFD: usize = 2;
const FD_CLOEXEC: usize = 1;
const REPORT_FD: usize = 3;

fn exit(code: usize) -> ! {
    unsafe {
        syscall3(nr::EXIT_GROUP, code, 0, 0);
    }
    loop {}
}

fn say(msg: &[u8]) {
    unsafe {
        syscall3(nr::WRITE, 2, msg.as_ptr() as usize, msg.len());
    }
}

/// Whether the NUL-terminated string at `s` equals `want` (which has no NUL).
unsafe fn c_eq(s: *const u8, want: &[u8]) -> bool {
    for (i, w) in want.iter().enumerate() {
        if *s.add(i) != *w {
            return false;
        }
    }
    *s.add(want.len()) == 0
}

/// The decimal number at `s`, if it is one (at most 4 digits).
unsafe fn c_number(s: *const u8) -> Option<usize> {
    let mut n = 0usize;
    let mut i = 0;
    loop {
        let c = *s.add(i);
        if c == 0 {
            return if i == 0 { None } else { Some(n) };
        }
        if !c.is_ascii_digit() || i == 4 {
            return None;
        }
        n = n * 10 + (c - b'0') as usize;
        i += 1;
    }
}

#[no_mangle]
unsafe extern "C" fn helper_main(sp: *const usize) -> ! {
    let argc = *sp;
    let argv = sp.add(1) as *const *const u8;
    let envp = argv.add(argc + 1);
    let count = if argc >= 3 && c_eq(*argv, b"ocikit-exec") { c_number(*argv.add(1)) } else { None };
    let Some(n) = count.filter(|n| 2 + n < argc) else {
        say(b"ocikit-exec: this program only starts a container's process and takes no other arguments\n");
        exit(126);
    };
    let report = syscall3(nr::FCNTL, REPORT_FD, F_SETFD, FD_CLOEXEC) == 0;
    let program = argv.add(2 + n);
    let mut last = ENOENT;
    for i in 0..n {
        let r = syscall3(nr::EXECVE, *argv.add(2 + i) as usize, program as usize, envp as usize);
        match -r {
            ENOENT | ENOTDIR => continue,
            EACCES => last = EACCES,
            e => {
                last = e;
                break;
            }
        }
    }
    if report {
        let errno = (last as i32).to_ne_bytes();
        syscall3(nr::WRITE, REPORT_FD, errno.as_ptr() as usize, 4);
    }
    exit(127);
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    exit(127);
}
