//! Writes a seeded synthetic `-X importtime` trace: `cargo run --release --example synth_trace -- 200000 > big.txt`.

fn main() {
    let mut args = std::env::args().skip(1);
    let modules: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    print!(
        "{}",
        lmms_core::synth::SynthTree::generate(modules, seed).to_importtime()
    );
}
