use std::process::ExitCode;

fn main() -> ExitCode {
    lmms_tui::cli::main()
}
