use std::path::PathBuf;
use std::process::Command;

// napi-build sets up the addon's link for napi-rs (Node-API symbols are resolved from the node
// binary at load time). Never unload the library: the reaper thread it starts may outlive a
// worker's env.
//
// Also builds helper/ocikit-exec.rs, the freestanding program a container's process is exec'd
// through (see that file), as a static binary that the crate embeds with `include_bytes!`: no
// second file to ship or find, and the bytes are copied into a sealed memfd at run time.
fn main() {
    napi_build::setup();
    println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=helper/ocikit-exec.rs");

    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("ocikit-exec");
    let status = Command::new(&rustc)
        .args(["--edition", "2021", "--crate-type", "bin", "--crate-name", "ocikit_exec", "--target", &target])
        .args(["-C", "panic=abort", "-C", "opt-level=2", "-C", "debuginfo=0", "-C", "strip=symbols"])
        .args(["-C", "relocation-model=static", "-C", "target-feature=+crt-static"])
        .args(["-C", "link-arg=-nostartfiles", "-C", "link-arg=-nostdlib", "-C", "link-arg=-static"])
        .args(["-C", "link-arg=-Wl,--build-id=none"])
        .arg("-o")
        .arg(&out)
        .arg("helper/ocikit-exec.rs")
        .status()
        .unwrap_or_else(|e| panic!("cannot run {rustc} to build helper/ocikit-exec.rs: {e}"));
    assert!(status.success(), "building helper/ocikit-exec.rs failed ({status})");
}
