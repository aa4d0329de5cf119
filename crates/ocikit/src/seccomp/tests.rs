//! Program-shape tests through a small classic-BPF interpreter, and one real install in a child.

use super::bpf::*;
use super::docker::default_profile;
use super::profile::*;
use super::*;

/// `struct seccomp_data` as the kernel lays it out.
fn data(arch: u32, nr: u32, args: [u64; 6]) -> [u8; 64] {
    let mut d = [0u8; 64];
    d[0..4].copy_from_slice(&nr.to_le_bytes());
    d[4..8].copy_from_slice(&arch.to_le_bytes());
    for (i, a) in args.iter().enumerate() {
        d[16 + 8 * i..24 + 8 * i].copy_from_slice(&a.to_le_bytes());
    }
    d
}

/// Runs a seccomp BPF program the way the kernel does (the subset we emit).
fn run(prog: &[SockFilter], d: &[u8; 64]) -> u32 {
    run_counted(prog, d).0
}

/// Also returns how many instructions ran.
fn run_counted(prog: &[SockFilter], d: &[u8; 64]) -> (u32, usize) {
    let (mut a, mut pc, mut steps) = (0u32, 0usize, 0usize);
    loop {
        let i = prog[pc];
        pc += 1;
        steps += 1;
        match i.code {
            c if c == BPF_LD | BPF_W | BPF_ABS => {
                let k = i.k as usize;
                a = u32::from_le_bytes(d[k..k + 4].try_into().unwrap());
            }
            c if c == BPF_ALU | BPF_AND | BPF_K => a &= i.k,
            c if c == BPF_RET | BPF_K => return (i.k, steps),
            c if c == BPF_JMP | BPF_JA => pc += i.k as usize,
            c => {
                let taken = match c & !BPF_JMP & !BPF_K {
                    BPF_JEQ => a == i.k,
                    BPF_JGT => a > i.k,
                    BPF_JGE => a >= i.k,
                    _ => panic!("unexpected opcode {c:#x}"),
                };
                pc += if taken { i.jt } else { i.jf } as usize;
            }
        }
    }
}

const DOCKER_CAPS: u64 = 0xa80425fb; // Docker's default capability set

fn docker(arch: Arch) -> Program {
    compile(&default_profile(arch, DOCKER_CAPS), arch).unwrap()
}

fn eval(p: &Program, name: &str, args: [u64; 6]) -> u32 {
    let nr = p.arch.syscall_nr(name).unwrap_or_else(|| panic!("{name} unknown"));
    run(&p.insns, &data(p.arch.audit_arch(), nr, args))
}

const ALLOW: u32 = SECCOMP_RET_ALLOW;
const EPERM: u32 = SECCOMP_RET_ERRNO | 1;

#[test]
fn arch_is_checked_first() {
    let p = docker(Arch::X86_64);
    assert_eq!(p.insns[0], SockFilter { code: BPF_LD | BPF_W | BPF_ABS, jt: 0, jf: 0, k: OFF_ARCH });
    assert_eq!(p.insns[1].code, BPF_JMP | BPF_JEQ | BPF_K);
    assert_eq!(p.insns[1].k, syscalls::AUDIT_ARCH_X86_64);
    // getpid under the aarch64 token, or i386's token, is killed
    assert_eq!(run(&p.insns, &data(syscalls::AUDIT_ARCH_AARCH64, 39, [0; 6])), SECCOMP_RET_KILL_PROCESS);
    assert_eq!(run(&p.insns, &data(0x4000_0003, 20, [0; 6])), SECCOMP_RET_KILL_PROCESS);
    // x32: nr | 0x40000000 under the x86_64 token
    assert_eq!(run(&p.insns, &data(syscalls::AUDIT_ARCH_X86_64, 39 | 0x4000_0000, [0; 6])), SECCOMP_RET_KILL_PROCESS);
}

#[test]
fn docker_allows_and_denies() {
    for arch in [Arch::X86_64, Arch::Aarch64] {
        let p = docker(arch);
        assert!(p.insns.len() < MAX_INSNS);
        for ok in ["getpid", "read", "openat", "execve", "exit_group", "futex", "capset", "prctl", "fchownat"] {
            assert_eq!(eval(&p, ok, [0; 6]), ALLOW, "{arch:?} {ok}");
        }
        for no in ["keyctl", "reboot", "kexec_load", "mount", "unshare", "setns", "init_module", "bpf", "ptrace_x"]
            .iter()
            .filter(|n| arch.syscall_nr(n).is_some())
        {
            assert_eq!(eval(&p, no, [0; 6]), EPERM, "{arch:?} {no}");
        }
        // a number no table knows
        assert_eq!(run(&p.insns, &data(arch.audit_arch(), 999, [0; 6])), EPERM);
    }
    let x = docker(Arch::X86_64);
    assert_eq!(eval(&x, "arch_prctl", [0; 6]), ALLOW);
    assert_eq!(eval(&x, "chroot", [0; 6]), ALLOW); // CAP_SYS_CHROOT is in Docker's set
}

#[test]
fn docker_conditional_rules() {
    let p = docker(Arch::X86_64);
    // personality: only the listed personas
    assert_eq!(eval(&p, "personality", [0, 0, 0, 0, 0, 0]), ALLOW);
    assert_eq!(eval(&p, "personality", [0xffff_ffff, 0, 0, 0, 0, 0]), ALLOW);
    assert_eq!(eval(&p, "personality", [0x0040_0000, 0, 0, 0, 0, 0]), EPERM); // READ_IMPLIES_EXEC
    // socket: anything but AF_VSOCK
    assert_eq!(eval(&p, "socket", [2, 1, 0, 0, 0, 0]), ALLOW);
    assert_eq!(eval(&p, "socket", [40, 1, 0, 0, 0, 0]), EPERM);
    assert_eq!(eval(&p, "socket", [40 | (1 << 32), 1, 0, 0, 0, 0]), ALLOW); // 64-bit compare
    // clone: no namespace flags without CAP_SYS_ADMIN; clone3 → ENOSYS
    assert_eq!(eval(&p, "clone", [0x01_1200 | 17, 0, 0, 0, 0, 0]), ALLOW); // fork-like
    assert_eq!(eval(&p, "clone", [0x2000_0000 | 17, 0, 0, 0, 0, 0]), EPERM); // CLONE_NEWPID
    assert_eq!(eval(&p, "clone3", [0; 6]), SECCOMP_RET_ERRNO | 38);
    // with CAP_SYS_ADMIN, both are allowed outright
    let admin = compile(&default_profile(Arch::X86_64, DOCKER_CAPS | 1 << 21), Arch::X86_64).unwrap();
    assert_eq!(eval(&admin, "clone", [0x2000_0000, 0, 0, 0, 0, 0]), ALLOW);
    assert_eq!(eval(&admin, "clone3", [0; 6]), ALLOW);
    assert_eq!(eval(&admin, "mount", [0; 6]), ALLOW);
}

#[test]
fn every_operator_on_64_bit_values() {
    type Case = (Op, u64, u64, &'static [(u64, bool)]);
    let cases: &[Case] = &[
        (Op::Eq, 5, 0, &[(5, true), (6, false), (5 | 1 << 32, false)]),
        (Op::Ne, 5, 0, &[(5, false), (6, true), (5 | 1 << 32, true)]),
        (Op::Lt, 1 << 32 | 10, 0, &[(9, true), (1 << 32 | 9, true), (1 << 32 | 10, false), (2 << 32, false)]),
        (Op::Le, 1 << 32 | 10, 0, &[(1 << 32 | 10, true), (1 << 32 | 11, false), (0, true)]),
        (Op::Gt, 1 << 32 | 10, 0, &[(1 << 32 | 11, true), (1 << 32 | 10, false), (2 << 32, true), (11, false)]),
        (Op::Ge, 1 << 32 | 10, 0, &[(1 << 32 | 10, true), (1 << 32 | 9, false), (u64::MAX, true)]),
        (Op::MaskedEq, 0xff00_0000_00f0, 0x1200_0000_0030, &[(0x12ab_0000_0f3f, true), (0x1300_0000_0030, false), (0x1200_0000_0040, false)]),
    ];
    for (op, value, value_two, samples) in cases {
        let profile = Profile {
            default_action: Action::Errno(1),
            rules: vec![Rule::allow(&["getpid"]).with_arg(3, *op, *value, *value_two)],
            flags: 0,
        };
        let p = compile(&profile, Arch::X86_64).unwrap();
        for (arg, want) in *samples {
            let got = eval(&p, "getpid", [0, 0, 0, *arg, 0, 0]) == ALLOW;
            assert_eq!(got, *want, "{op:?} {value:#x} on {arg:#x}");
        }
    }
}

#[test]
fn from_oci_spec() {
    let spec = LinuxSeccomp {
        default_action: "SCMP_ACT_ERRNO".into(),
        default_errno_ret: Some(38),
        architectures: vec!["SCMP_ARCH_X86_64".into(), "SCMP_ARCH_X86".into()],
        flags: vec!["SECCOMP_FILTER_FLAG_SPEC_ALLOW".into()],
        syscalls: vec![
            LinuxSyscall { names: vec!["getpid".into(), "not_a_call".into()], action: "SCMP_ACT_ALLOW".into(), ..Default::default() },
            LinuxSyscall { names: vec!["keyctl".into()], action: "SCMP_ACT_ERRNO".into(), errno_ret: Some(13), args: vec![] },
            LinuxSyscall { names: vec!["uname".into()], action: "SCMP_ACT_ERRNO".into(), ..Default::default() },
            LinuxSyscall {
                names: vec!["write".into()],
                action: "SCMP_ACT_ALLOW".into(),
                args: vec![LinuxSeccompArg { index: 0, value: 2, value_two: 0, op: "SCMP_CMP_LE".into() }],
                ..Default::default()
            },
        ],
    };
    let profile = Profile::from_oci(&spec, Arch::X86_64).unwrap();
    assert_eq!(profile.flags, SECCOMP_FILTER_FLAG_SPEC_ALLOW);
    let p = compile(&profile, Arch::X86_64).unwrap();
    assert_eq!(eval(&p, "getpid", [0; 6]), ALLOW);
    assert_eq!(eval(&p, "keyctl", [0; 6]), SECCOMP_RET_ERRNO | 13);
    assert_eq!(eval(&p, "uname", [0; 6]), SECCOMP_RET_ERRNO | 1); // rule errno defaults to EPERM
    assert_eq!(eval(&p, "write", [1, 0, 0, 0, 0, 0]), ALLOW);
    assert_eq!(eval(&p, "write", [3, 0, 0, 0, 0, 0]), SECCOMP_RET_ERRNO | 38);
    assert_eq!(eval(&p, "read", [0; 6]), SECCOMP_RET_ERRNO | 38);

    let mut bad = spec.clone();
    bad.syscalls[0].action = "SCMP_ACT_NOTIFY".into();
    assert_eq!(Profile::from_oci(&bad, Arch::X86_64).unwrap_err().field, "syscalls[0].action");
    let mut bad = spec.clone();
    bad.syscalls[3].args[0].op = "SCMP_CMP_XX".into();
    assert_eq!(Profile::from_oci(&bad, Arch::X86_64).unwrap_err().field, "syscalls[3].args[0]");
    let mut bad = spec.clone();
    bad.architectures = vec!["SCMP_ARCH_AARCH64".into()];
    assert!(Profile::from_oci(&bad, Arch::X86_64).is_err());
}

#[test]
fn far_jumps_are_refused_not_miscompiled() {
    let mut a = Asm::new();
    let l = a.label();
    a.jump(BPF_JEQ, 1, Target::To(l), Target::Next);
    for _ in 0..300 {
        a.ret(0);
    }
    a.bind(l);
    a.ret(0);
    assert!(a.finish().is_err());
}

const CHILD_ENV: &str = "OCIKIT_SECCOMP_TEST_CHILD";

/// Runs only when re-executed by `real_filter_in_child`: installs the Docker filter in this
/// process and checks what the kernel answers. Exit status 0 = all as expected.
#[test]
fn real_child_entry() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    use super::raw::syscall5;
    let prog = docker(Arch::native());
    let code = match install(&prog) {
        Err(e) => {
            eprintln!("install: {e}");
            10
        }
        Ok(()) => {
            let (getpid, keyctl, reboot) = match Arch::native() {
                Arch::X86_64 => (39, 250, 169),
                Arch::Aarch64 => (172, 219, 142),
            };
            // SAFETY: integer-only syscalls; reboot with bad magic would fail with EINVAL anyway.
            let (pid, k, r) = unsafe { (syscall5(getpid, 0, 0, 0, 0, 0), syscall5(keyctl, 0, 0, 0, 0, 0), syscall5(reboot, 0, 0, 0, 0, 0)) };
            eprintln!("getpid={pid} keyctl={k} reboot={r}");
            if pid == std::process::id() as isize && k == -1 && r == -1 {
                0
            } else {
                11
            }
        }
    };
    std::process::exit(code);
}

#[test]
fn real_filter_in_child() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "seccomp::tests::real_child_entry", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed: {:?} {err}", out.status);
    assert!(err.contains("keyctl=-1 reboot=-1"), "{err}");
}

/// The profile's meaning, evaluated directly: rules in order, first match wins.
fn reference(p: &Profile, arch: Arch, nr: u32, args: [u64; 6]) -> u32 {
    let holds = |c: &ArgCmp| {
        let v = args[c.index as usize];
        match c.op {
            Op::Eq => v == c.value,
            Op::Ne => v != c.value,
            Op::Lt => v < c.value,
            Op::Le => v <= c.value,
            Op::Gt => v > c.value,
            Op::Ge => v >= c.value,
            Op::MaskedEq => v & c.value == c.value_two,
        }
    };
    for r in &p.rules {
        if r.names.iter().any(|n| arch.syscall_nr(n) == Some(nr)) && r.args.iter().all(holds) {
            return r.action.ret_value();
        }
    }
    p.default_action.ret_value()
}

#[test]
fn compiled_tree_matches_first_match_semantics() {
    let argsets: [[u64; 6]; 6] = [
        [0; 6],
        [8, 0, 0, 0, 0, 0],
        [40, 1, 0, 0, 0, 0],
        [0x2000_0000, 0, 0, 0, 0, 0],
        [0xffff_ffff, 0, 0, 0, 0, 0],
        [u64::MAX, 7, 0, 0, 0, 0],
    ];
    for arch in [Arch::X86_64, Arch::Aarch64] {
        for caps in [DOCKER_CAPS, 0, u64::MAX >> 23] {
            let profile = default_profile(arch, caps);
            let p = compile(&profile, arch).unwrap();
            let mut worst = 0;
            for nr in (0..600).chain([1023, 0x3fff_ffff]) {
                for args in argsets {
                    let (got, steps) = run_counted(&p.insns, &data(arch.audit_arch(), nr, args));
                    assert_eq!(got, reference(&profile, arch, nr, args), "{arch:?} caps {caps:#x} nr {nr} {args:?}");
                    worst = worst.max(steps);
                }
            }
            assert!(worst <= 40, "{arch:?}: {worst} instructions on the longest path");
        }
    }
}

#[test]
fn later_rules_never_override_an_unconditional_one() {
    let profile = Profile {
        default_action: Action::Errno(1),
        rules: vec![
            Rule { names: vec!["getpid".into()], action: Action::Errno(5), args: vec![] },
            Rule::allow(&["getpid"]),
            Rule::allow(&["gettid"]).with_arg(0, Op::Eq, 1, 0),
            Rule { names: vec!["gettid".into()], action: Action::Log, args: vec![] },
        ],
        flags: 0,
    };
    let p = compile(&profile, Arch::X86_64).unwrap();
    assert_eq!(eval(&p, "getpid", [0; 6]), SECCOMP_RET_ERRNO | 5);
    assert_eq!(eval(&p, "gettid", [1, 0, 0, 0, 0, 0]), ALLOW);
    assert_eq!(eval(&p, "gettid", [2, 0, 0, 0, 0, 0]), SECCOMP_RET_LOG);
}

#[test]
fn docker_program_size() {
    let p = docker(Arch::X86_64);
    eprintln!("docker x86_64 program: {} instructions", p.insns.len());
    assert!(p.insns.len() < 400);
}
