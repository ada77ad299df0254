//! The `plutarch` binary: see `plutarch --help`.

fn main() -> std::process::ExitCode {
    plutarch::cli::main()
}

/// mimalloc: parsing and rendering make many small, short-lived allocations, and glibc's
/// allocator spent about 45 % of a parse in `malloc` and `free` (measured with `perf`).
/// Declared by the binary, not the library, so that a test binary can count allocations with
/// an allocator of its own (`tests/markup/cost.rs`).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
