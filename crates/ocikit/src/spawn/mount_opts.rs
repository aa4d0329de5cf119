//! OCI mount `options` → mount(2) flags, propagation flags and the filesystem data string.

use crate::sys::consts::*;

/// The decoded options of one mount.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountOpts {
    /// Flags for the first mount(2) call.
    pub flags: usize,
    /// MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE (| MS_REC), applied by a second call.
    pub propagation: usize,
    /// Comma-joined options the filesystem interprets (`mode=755`, `size=64m`).
    pub data: String,
    /// `bind` or `rbind`.
    pub bind: bool,
}

impl MountOpts {
    /// Flags that a read-only or other per-mount flag on a bind needs a remount to apply.
    pub fn bind_remount_flags(&self) -> usize {
        self.flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME
            | MS_STRICTATIME | MS_NOSYMFOLLOW)
    }
}

/// Decodes `options` the way runc and crun do; unknown words go to the data string.
pub fn parse(options: &[String]) -> MountOpts {
    let mut o = MountOpts::default();
    let mut data: Vec<&str> = Vec::new();
    for opt in options {
        let (set, clear): (usize, usize) = match opt.as_str() {
            "ro" => (MS_RDONLY, 0),
            "rw" => (0, MS_RDONLY),
            "nosuid" => (MS_NOSUID, 0),
            "suid" => (0, MS_NOSUID),
            "nodev" => (MS_NODEV, 0),
            "dev" => (0, MS_NODEV),
            "noexec" => (MS_NOEXEC, 0),
            "exec" => (0, MS_NOEXEC),
            "sync" => (MS_SYNCHRONOUS, 0),
            "async" => (0, MS_SYNCHRONOUS),
            "dirsync" => (MS_DIRSYNC, 0),
            "remount" => (MS_REMOUNT, 0),
            "mand" => (MS_MANDLOCK, 0),
            "nomand" => (0, MS_MANDLOCK),
            "noatime" => (MS_NOATIME, 0),
            "atime" => (0, MS_NOATIME),
            "nodiratime" => (MS_NODIRATIME, 0),
            "diratime" => (0, MS_NODIRATIME),
            "relatime" => (MS_RELATIME, 0),
            "norelatime" => (0, MS_RELATIME),
            "strictatime" => (MS_STRICTATIME, 0),
            "nostrictatime" => (0, MS_STRICTATIME),
            "nosymfollow" => (MS_NOSYMFOLLOW, 0),
            "symfollow" => (0, MS_NOSYMFOLLOW),
            "bind" => {
                o.bind = true;
                (MS_BIND, 0)
            }
            "rbind" => {
                o.bind = true;
                (MS_BIND | MS_REC, 0)
            }
            "private" => { o.propagation = MS_PRIVATE; continue; }
            "rprivate" => { o.propagation = MS_PRIVATE | MS_REC; continue; }
            "shared" => { o.propagation = MS_SHARED; continue; }
            "rshared" => { o.propagation = MS_SHARED | MS_REC; continue; }
            "slave" => { o.propagation = MS_SLAVE; continue; }
            "rslave" => { o.propagation = MS_SLAVE | MS_REC; continue; }
            "unbindable" => { o.propagation = MS_UNBINDABLE; continue; }
            "runbindable" => { o.propagation = MS_UNBINDABLE | MS_REC; continue; }
            "tmpcopyup" | "defaults" | "" => continue,
            other => {
                data.push(other);
                continue;
            }
        };
        o.flags = (o.flags | set) & !clear;
    }
    o.data = data.join(",");
    o
}

/// Propagation of the whole mount tree from `linux.rootfsPropagation` (default `rprivate`).
pub fn root_propagation(name: Option<&str>) -> Option<usize> {
    Some(match name.unwrap_or("rprivate") {
        "private" => MS_PRIVATE,
        "rprivate" | "" => MS_PRIVATE | MS_REC,
        "shared" => MS_SHARED,
        "rshared" => MS_SHARED | MS_REC,
        "slave" => MS_SLAVE,
        "rslave" => MS_SLAVE | MS_REC,
        "unbindable" => MS_UNBINDABLE,
        "runbindable" => MS_UNBINDABLE | MS_REC,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn flags_data_and_propagation() {
        let o = parse(&v(&["nosuid", "strictatime", "mode=755", "size=65536k"]));
        assert_eq!(o.flags, MS_NOSUID | MS_STRICTATIME);
        assert_eq!(o.data, "mode=755,size=65536k");
        let b = parse(&v(&["rbind", "ro", "rprivate"]));
        assert!(b.bind);
        assert_eq!(b.flags, MS_BIND | MS_REC | MS_RDONLY);
        assert_eq!(b.propagation, MS_PRIVATE | MS_REC);
        assert_eq!(b.bind_remount_flags(), MS_RDONLY);
        assert_eq!(parse(&v(&["ro", "rw"])).flags, 0);
        assert_eq!(root_propagation(None), Some(MS_PRIVATE | MS_REC));
        assert_eq!(root_propagation(Some("bogus")), None);
    }
}
