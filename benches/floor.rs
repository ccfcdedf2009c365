//! The floor a reader is measured against: the least work that reads every line of a
//! `-X importtime` trace and links each module to its parent (no names kept, no runs, no
//! checks). Shared by `benches/readers.rs` and `examples/floor_parser.rs` (`benches/compare.sh`).

/// (modules, Σ self µs); parents linked by level, as CPython prints them (children first).
pub fn parse(bytes: &[u8]) -> (usize, u64) {
    let mut parent: Vec<u32> = Vec::new();
    let mut open: Vec<(usize, u32)> = Vec::new();
    let mut total = 0u64;
    for line in bytes.split(|&b| b == b'\n') {
        let Some(rest) = line.strip_prefix(b"import time:") else {
            continue;
        };
        let mut cols = rest.splitn(3, |&b| b == b'|');
        let (Some(s), Some(_), Some(name)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let digits: Vec<u8> = s.iter().copied().filter(u8::is_ascii_digit).collect();
        if digits.is_empty() {
            continue; // the header
        }
        let self_us = digits
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        let level = name.iter().take_while(|&&b| b == b' ').count();
        let me = parent.len() as u32;
        parent.push(u32::MAX);
        while let Some(&(l, child)) = open.last() {
            if l <= level {
                break;
            }
            parent[child as usize] = me;
            open.pop();
        }
        open.push((level, me));
        total += self_us;
    }
    (parent.len(), total)
}
