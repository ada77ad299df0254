//! The `plutarch` binary: see `plutarch --help`.

fn main() -> std::process::ExitCode {
    plutarch::cli::main()
}
