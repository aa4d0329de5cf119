//! Docker json-file log lines: `{"log":"…\n","stream":"stdout","time":"2026-01-02T03:04:05.123456789Z"}`.

use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// RFC 3339 UTC time with nanoseconds.
pub fn rfc3339(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (y, mo, da) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}-{mo:02}-{da:02}T{:02}:{:02}:{:02}.{:09}Z", s / 3600, s / 60 % 60, s % 60, d.subsec_nanos())
}

/// `s` as a JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One log record (the line keeps its trailing newline, as Docker's does).
pub fn record(line: &[u8], stream: &str, time: SystemTime) -> String {
    format!(
        "{{\"log\":{},\"stream\":{},\"time\":\"{}\"}}\n",
        json_string(&String::from_utf8_lossy(line)),
        json_string(stream),
        rfc3339(time)
    )
}

/// Splits complete lines out of `buf` (keeping a partial tail there); calls `emit` for each.
pub fn drain_lines(buf: &mut Vec<u8>, mut emit: impl FnMut(&[u8])) {
    let mut start = 0;
    while let Some(i) = buf[start..].iter().position(|b| *b == b'\n') {
        emit(&buf[start..start + i + 1]);
        start += i + 1;
    }
    // a line longer than 16 KiB is cut, like Docker's
    if buf.len() - start > 16 * 1024 {
        emit(&buf[start..]);
        start = buf.len();
    }
    buf.drain(..start);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_and_records() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000000000Z");
        let t = UNIX_EPOCH + Duration::new(1_709_210_096, 5); // 2024-02-29T12:34:56
        assert_eq!(rfc3339(t), "2024-02-29T12:34:56.000000005Z");
        assert_eq!(
            record(b"a\"b\x01\n", "stderr", UNIX_EPOCH),
            "{\"log\":\"a\\\"b\\u0001\\n\",\"stream\":\"stderr\",\"time\":\"1970-01-01T00:00:00.000000000Z\"}\n"
        );
    }

    #[test]
    fn lines_are_split_and_tails_kept() {
        let mut buf = b"one\ntwo\nthr".to_vec();
        let mut got = Vec::new();
        drain_lines(&mut buf, |l| got.push(l.to_vec()));
        assert_eq!(got, vec![b"one\n".to_vec(), b"two\n".to_vec()]);
        assert_eq!(buf, b"thr");
    }
}
