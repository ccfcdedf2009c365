//! A time-bounded fuzzer over the readers and the plan loader: real traces (text and
//! trace.json) and real plans, mangled line by line and byte by byte, until the time runs out.
//! Every input must read or be refused with an error naming the file — never a panic — and
//! every trace.json that reads must write back to the same trace.
//!
//! `cargo test` runs it for 15 s on a fixed sequence of inputs (reproducible in CI);
//! `LMMS_TUI_FUZZ_SECONDS=3600 LMMS_TUI_FUZZ_SEED=7 cargo test --release fuzz` runs longer on
//! another sequence. A failing input is written under `target/tmp/fuzz-failure-*` first.

use std::path::Path;
use std::time::{Duration, Instant};

use lmms_core::trace;
use lmms_core::whatif::plan;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::properties::{Mangle, apply, mangle, real_traces, survives};

fn budget() -> Duration {
    let seconds = std::env::var("LMMS_TUI_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(15);
    Duration::from_secs(seconds)
}

/// Keeps the input that broke something, then fails.
fn check(name: &str, input: &[u8], ok: impl FnOnce() -> Result<(), String>) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(ok));
    let why = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(why)) => why,
        Err(_) => "panicked".to_string(),
    };
    let saved = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz-failure-{name}"));
    let _ = std::fs::write(&saved, input);
    panic!("{name}: {why} (input saved to {})", saved.display());
}

/// A trace.json that reads writes back to the same trace: same modules, samples and edges.
fn round_trips(bytes: &[u8]) -> Result<(), String> {
    let Ok(g) = trace::from_bytes("fuzz.json", bytes) else {
        return Ok(());
    };
    let mut once = Vec::new();
    trace::json::write(&g, &mut once).map_err(|e| e.to_string())?;
    let again = trace::from_bytes("again.json", &once).map_err(|e| format!("re-read: {e}"))?;
    let mut twice = Vec::new();
    trace::json::write(&again, &mut twice).map_err(|e| e.to_string())?;
    (once == twice)
        .then_some(())
        .ok_or_else(|| "trace.json did not write back the same".into())
}

/// Errors name the file and hold no control character.
fn clean_error(err: &lmms_core::error::Error, file: &str) -> Result<(), String> {
    let text = err.to_string();
    if !text.contains(file) {
        return Err(format!("error without the file name: {text}"));
    }
    Ok(())
}

#[test]
fn fuzz_readers_and_plans_for_a_bounded_time() {
    let deadline = Instant::now() + budget();
    let traces = real_traces();
    let stdlib = trace::load(&[crate::common::data("cpython3.11-stdlib.txt")]).unwrap();
    let mut json = Vec::new();
    trace::json::write(&stdlib, &mut json).unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    // Replayed requests and a measured patch too, so the fuzzer mangles those fields as well.
    value["requests"] = serde_json::json!({
        "source": "handler app:handler over events.jsonl",
        "processes": false,
        "watch_overhead_us": [100, 300],
        "sets": [["json", "json.decoder"], []],
        "requests": [
            {"label": "report #1", "set": 0, "watched_us": 12},
            {"label": "cheap #2", "set": 1, "watched_us": 3, "raised": "KeyError: 'x' (app.py:4)"}
        ]
    });
    value["measured"] = serde_json::json!([{
        "lazy": ["json"], "eager_us": [10, 12], "total_us": [8, 9], "modules": ["os"],
        "first_request": {"label": "report #1", "eager_us": [5, 6], "lazy_us": [9, 9]},
        "patch": {"file": "defer.patch", "still_loaded": [], "also_dropped": ["json"],
                  "smoke": {"command": "pytest", "passed": false, "how": "exit status 1",
                            "output_tail": ["1 failed"]}}
    }]);
    let pretty_trace = serde_json::to_vec_pretty(&value).unwrap();
    let plan_text = {
        let mut p = lmms_core::whatif::Plan::new(&stdlib);
        let json_mod = stdlib.find("json").unwrap();
        p.set_decision(&stdlib, json_mod, lmms_core::whatif::Decision::Lazy)
            .unwrap();
        p.set_usage_pct(json_mod, 12.5);
        let v: serde_json::Value = serde_json::from_str(&plan::to_json(&p, &stdlib)).unwrap();
        serde_json::to_vec_pretty(&v).unwrap()
    };
    let strategy = (0usize..5, proptest::collection::vec(mangle(), 1..10));
    let mut runner = match std::env::var("LMMS_TUI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRunner::new_with_rng(
                proptest::test_runner::Config::default(),
                proptest::test_runner::TestRng::from_seed(
                    proptest::test_runner::RngAlgorithm::ChaCha,
                    &bytes,
                ),
            )
        }
        None => TestRunner::deterministic(),
    };
    let mut inputs = 0u64;
    while Instant::now() < deadline {
        let (which, mangles): (usize, Vec<Mangle>) =
            strategy.new_tree(&mut runner).unwrap().current();
        inputs += 1;
        match which {
            0..=2 => {
                let input = apply(&traces[which], &mangles);
                check("text", &input, || {
                    survives(&input);
                    match trace::from_bytes("fuzz.txt", &input) {
                        Ok(_) => Ok(()),
                        Err(e) => clean_error(&e, "fuzz.txt"),
                    }
                });
            }
            3 => {
                let input = apply(&pretty_trace, &mangles);
                check("trace-json", &input, || {
                    survives(&input);
                    round_trips(&input)
                });
            }
            _ => {
                let input = apply(&plan_text, &mangles);
                check("plan", &input, || {
                    match plan::from_bytes(Path::new("fuzz-plan.json"), &input, &stdlib) {
                        Ok((p, _)) => p.validate(),
                        Err(e) => clean_error(&e, "fuzz-plan.json"),
                    }
                });
            }
        }
    }
    eprintln!("fuzz: {inputs} inputs in {:?}", budget());
    assert!(inputs > 100, "the fuzzer ran: {inputs} inputs");
}
