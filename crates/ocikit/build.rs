// Node-API symbols come from the node binary when the addon is loaded: keep them undefined at
// link time, and never unload the library (threads it starts may outlive a worker's env).
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-z,nodelete");
    println!("cargo:rerun-if-changed=build.rs");
}
