//! Running the real binary against a demo database in a temp folder.

use std::path::Path;
use std::process::{Command, Output};

/// `ducklens --db DIR/demo.duckdb ARGS…` with the platform dirs inside `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ducklens"))
        .arg("--db")
        .arg(dir.join("demo.duckdb"))
        .args(args)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .output()
        .unwrap()
}
