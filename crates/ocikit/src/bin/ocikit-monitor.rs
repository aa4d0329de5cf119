//! ocikit-monitor: parent of a detached container's PID 1 (filled by the runtime work).
fn main() {
    std::process::exit(0);
}
