//! The floor parser as a process (`benches/compare.sh`): reads a trace file, links parents,
//! prints the module count.

#[path = "../benches/floor.rs"]
mod floor;

fn main() {
    let path = std::env::args().nth(1).expect("a trace file");
    let bytes = std::fs::read(path).expect("readable");
    let (modules, total) = floor::parse(&bytes);
    println!("{modules} modules, {total} us");
}
