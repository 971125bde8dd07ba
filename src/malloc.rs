//! The allocator's arenas, capped before any thread starts (issue 18).
//!
//! glibc gives each thread that meets a locked arena a new one, up to eight per core, and an
//! arena keeps the memory freed into it. A backtest's load runs DuckDB's scan threads, two
//! decode threads and rayon's pool, each filling and freeing batches: at 16 arenas the
//! 500-symbol × 25-year run peaked at 321 MB resident for 196 MB of live heap, at two
//! arenas (one per core on the 2-core machine) at 250 MB, no slower (valgrind massif and
//! `/usr/bin/time -v`, 2026-12-03). Other allocators (musl's, macOS's) have no such arenas.

/// Caps glibc's arenas at one per core, at least two. Call first thing in `main`.
pub fn cap_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets an allocator parameter; no thread has started yet, and
        // glibc takes its own lock for it anyway.
        // A refusal (0) costs memory only, so it is not reported.
        let _ = unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) };
    }
}

/// Gives the pages of freed memory back to the system (glibc keeps them in its arenas). For
/// after a step that freed much in one go: the backtest's load frees the second reader's
/// columns once appended to the first's, and without this the run's peak was 250 or 300 MB
/// from one run to the next, by where the later steps found room.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only returns free pages of the allocator's own; it takes the
        // arenas' locks itself.
        let _ = unsafe { libc::malloc_trim(0) };
    }
}
