//! Classic BPF as the kernel's seccomp filter reads it (`<linux/filter.h>`), and a tiny
//! assembler with forward labels so the compiler never computes jump offsets by hand.

/// `struct sock_filter`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockFilter {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// `struct sock_fprog`: points into a `[SockFilter]` that must outlive it.
#[repr(C)]
#[derive(Debug)]
pub struct SockFprog {
    pub len: u16,
    pub filter: *const SockFilter,
}

pub const BPF_LD: u16 = 0x00;
pub const BPF_ALU: u16 = 0x04;
pub const BPF_JMP: u16 = 0x05;
pub const BPF_RET: u16 = 0x06;
pub const BPF_W: u16 = 0x00;
pub const BPF_ABS: u16 = 0x20;
pub const BPF_AND: u16 = 0x50;
pub const BPF_JA: u16 = 0x00;
pub const BPF_JEQ: u16 = 0x10;
pub const BPF_JGT: u16 = 0x20;
pub const BPF_JGE: u16 = 0x30;
pub const BPF_K: u16 = 0x00;

/// The kernel refuses longer programs (`BPF_MAXINSNS`).
pub const MAX_INSNS: usize = 4096;

/// `struct seccomp_data` offsets.
pub const OFF_NR: u32 = 0;
pub const OFF_ARCH: u32 = 4;
/// Offset of the low 32 bits of argument `i` (little-endian: x86_64 and aarch64).
pub const fn off_arg_lo(i: u32) -> u32 {
    16 + 8 * i
}
pub const fn off_arg_hi(i: u32) -> u32 {
    16 + 8 * i + 4
}

/// A jump target not yet placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(usize);

/// Where a conditional branch goes.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    Next,
    To(Label),
}

enum Insn {
    Fixed(SockFilter),
    Ja(Label),
    Jump { code: u16, k: u32, jt: Target, jf: Target },
}

/// Error from [`Asm::finish`]: a branch farther than 255 instructions, an unplaced label, or a
/// program longer than the kernel accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsmError(pub String);

#[derive(Default)]
pub struct Asm {
    insns: Vec<Insn>,
    labels: Vec<Option<usize>>,
}

impl Asm {
    pub fn new() -> Asm {
        Asm::default()
    }
    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }
    /// Places `l` at the next instruction.
    pub fn bind(&mut self, l: Label) {
        self.labels[l.0] = Some(self.insns.len());
    }
    pub fn load(&mut self, offset: u32) {
        self.stmt(BPF_LD | BPF_W | BPF_ABS, offset);
    }
    pub fn and(&mut self, k: u32) {
        self.stmt(BPF_ALU | BPF_AND | BPF_K, k);
    }
    pub fn ret(&mut self, k: u32) {
        self.stmt(BPF_RET | BPF_K, k);
    }
    fn stmt(&mut self, code: u16, k: u32) {
        self.insns.push(Insn::Fixed(SockFilter { code, jt: 0, jf: 0, k }));
    }
    /// `if A <op> k goto jt else goto jf`, op one of `BPF_JEQ`, `BPF_JGT`, `BPF_JGE`.
    pub fn jump(&mut self, op: u16, k: u32, jt: Target, jf: Target) {
        self.insns.push(Insn::Jump { code: BPF_JMP | op | BPF_K, k, jt, jf });
    }
    /// Unconditional jump (32-bit offset: the way to reach past 255 instructions).
    pub fn ja(&mut self, to: Label) {
        self.insns.push(Insn::Ja(to));
    }
    pub fn len(&self) -> usize {
        self.insns.len()
    }
    pub fn is_empty(&self) -> bool {
        self.insns.is_empty()
    }

    pub fn finish(self) -> Result<Vec<SockFilter>, AsmError> {
        if self.insns.len() > MAX_INSNS {
            return Err(AsmError(format!("program has {} instructions, max {MAX_INSNS}", self.insns.len())));
        }
        let distance = |at: usize, l: Label| -> Result<usize, AsmError> {
            let dest = self.labels[l.0].ok_or_else(|| AsmError(format!("label {} never bound", l.0)))?;
            if dest <= at || dest >= self.insns.len() {
                return Err(AsmError(format!("jump at {at} to {dest} is backward or past the end")));
            }
            Ok(dest - at - 1)
        };
        let resolve = |at: usize, t: Target| -> Result<u8, AsmError> {
            match t {
                Target::Next => Ok(0),
                Target::To(l) => {
                    let d = distance(at, l)?;
                    u8::try_from(d).map_err(|_| AsmError(format!("jump at {at} too far ({d})")))
                }
            }
        };
        let mut out = Vec::with_capacity(self.insns.len());
        for (at, insn) in self.insns.iter().enumerate() {
            out.push(match *insn {
                Insn::Fixed(f) => f,
                Insn::Ja(l) => SockFilter { code: BPF_JMP | BPF_JA, jt: 0, jf: 0, k: distance(at, l)? as u32 },
                Insn::Jump { code, k, jt, jf } => SockFilter { code, k, jt: resolve(at, jt)?, jf: resolve(at, jf)? },
            });
        }
        Ok(out)
    }
}
