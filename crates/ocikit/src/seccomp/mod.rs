//! Seccomp: build a BPF filter in the parent (Docker's default profile or an OCI
//! `linux.seccomp`), install it in the child with raw syscalls only.
//!
//! ```ignore
//! let profile = docker::default_profile(Arch::native(), caps::DOCKER_DEFAULT.0); // or Profile::from_oci(&spec, Arch::native())?
//! let prog = compile(&profile, Arch::native())?;   // parent, before clone3
//! install(&prog)?;                                  // child, last step before execve
//! ```
//! Only the native 64-bit ABI is filtered; calls through another ABI (i386 `int 0x80`, x32,
//! aarch32) are killed by the arch check.

pub mod bpf;
pub mod compile;
pub mod docker;
pub mod install;
pub mod oci;
pub mod profile;
pub(crate) mod raw;
pub mod syscalls;
#[cfg(test)]
mod tests;

pub use compile::{compile, Program};
pub use install::{install, set_no_new_privs, InstallError};
pub use oci::{LinuxSeccomp, LinuxSeccompArg, LinuxSyscall, SpecError};
pub use profile::{Action, ArgCmp, Op, Profile, Rule};
pub use syscalls::Arch;
