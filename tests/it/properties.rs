//! Property tests: every reader survives arbitrary and mangled input; synthetic traces of any
//! shape read back exactly.

#![allow(clippy::needless_range_loop)] // parallel arrays indexed together

use lmms_core::synth::SynthTree;
use lmms_core::trace::{self};
use proptest::prelude::*;

/// Reading must return Ok or a clean error, and whatever reads must also build and report.
pub(crate) fn survives(bytes: &[u8]) {
    if let Ok(g) = lmms_core::trace::from_bytes("fuzz", bytes) {
        let mut sink = Vec::new();
        let a = lmms_core::whatif::Analysis::of(g);
        for format in lmms_tui::output::ReportFormat::ALL {
            format.write(&a, Some(5), &mut sink).unwrap();
        }
        lmms_tui::output::ReportFormat::Json
            .write(&a, None, &mut sink)
            .unwrap();
        trace::json::write(a.graph(), &mut sink).unwrap();
    }
}

pub(crate) fn real_traces() -> Vec<Vec<u8>> {
    [
        "cpython3.11-numpy-3runs.txt",
        "cpython3.11-requests-websocket.txt",
        "cpython3.7-stdlib.txt",
    ]
    .iter()
    .map(|f| std::fs::read(crate::common::data(f)).unwrap())
    .collect()
}

#[derive(Debug, Clone)]
pub(crate) enum Mangle {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    FlipByte(usize, u8),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

pub(crate) fn mangle() -> impl Strategy<Value = Mangle> {
    prop_oneof![
        any::<usize>().prop_map(Mangle::DeleteLine),
        any::<usize>().prop_map(Mangle::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mangle::SwapLines(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mangle::FlipByte(a, b)),
        (
            any::<usize>(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..20),
                Just(b"import time: cached    | cached     | ".to_vec()),
                Just(b"|".to_vec()),
                Just(b"import time: self [us] | cumulative | imported package\n".to_vec()),
                Just(b"\r\n".to_vec()),
            ]
        )
            .prop_map(|(a, b)| Mangle::Insert(a, b)),
        any::<usize>().prop_map(Mangle::Truncate),
    ]
}

pub(crate) fn apply(bytes: &[u8], mangles: &[Mangle]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    for m in mangles {
        let n = lines.len().max(1);
        match m {
            Mangle::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Mangle::DuplicateLine(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Mangle::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
            Mangle::FlipByte(i, v) if !lines.is_empty() => {
                let line = &mut lines[i % n];
                if !line.is_empty() {
                    let at = i % line.len();
                    line[at] = *v;
                }
            }
            Mangle::Insert(i, b) if !lines.is_empty() => {
                let line = &mut lines[i % n];
                let at = i % (line.len() + 1);
                line.splice(at..at, b.iter().copied());
            }
            Mangle::Truncate(i) => lines.truncate(i % n),
            _ => {}
        }
    }
    lines.join(&b'\n')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        survives(&bytes);
        let mut json = b"{".to_vec();
        json.extend_from_slice(&bytes);
        survives(&json);
        let mut text = b"import time: ".to_vec();
        text.extend_from_slice(&bytes);
        survives(&text);
    }

    #[test]
    fn mangled_real_traces_never_panic(which in 0usize..3, mangles in proptest::collection::vec(mangle(), 1..8)) {
        let traces = real_traces();
        survives(&apply(&traces[which], &mangles));
    }

    #[test]
    fn mangled_trace_json_never_panics(mangles in proptest::collection::vec(mangle(), 1..6)) {
        let g = lmms_core::trace::load(&[crate::common::data("cpython3.11-stdlib.txt")]).unwrap();
        let mut json = Vec::new();
        trace::json::write(&g, &mut json).unwrap();
        // Pretty-print so line mangles hit individual fields.
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let pretty = serde_json::to_vec_pretty(&value).unwrap();
        survives(&apply(&pretty, &mangles));
    }

    #[test]
    fn synthetic_traces_read_back_exactly(modules in 1usize..400, seed in any::<u64>()) {
        let tree = SynthTree::generate(modules, seed);
        let text = tree.to_importtime();
        let g = lmms_core::trace::from_bytes("synth", text.as_bytes()).unwrap();
        prop_assert_eq!(g.len(), modules);
        let cumulative = tree.cumulative_us();
        for i in 0..modules {
            let m = g.module(g.find(&tree.names[i]).unwrap());
            prop_assert_eq!(m.self_us, tree.self_us[i]);
            prop_assert_eq!(m.cumulative_us, cumulative[i]);
            prop_assert_eq!(m.parent.map(|p| g.name(p).to_string()), tree.parent[i].map(|p| tree.names[p].clone()));
            prop_assert_eq!(m.depth as usize, tree.depth(i));
        }
        let roots: u64 = (0..modules).filter(|&i| tree.parent[i].is_none()).map(|i| cumulative[i]).sum();
        prop_assert_eq!(g.total_us(), roots);
    }
}
