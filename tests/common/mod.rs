//! Running the real binary against a database in a temp folder, and reading its output.
// Each test crate uses a subset of these helpers.
#![allow(dead_code)]

pub mod http;
pub mod pty;
pub mod running;

use std::path::Path;
use std::process::{Command, Output};

use rust_decimal::Decimal;

/// `ducklens --db DIR/demo.duckdb ARGS…` with the platform dirs inside `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_at(dir, &dir.join("demo.duckdb"), args)
}

/// `ducklens --db DB ARGS…` with every platform dir inside `dir`.
pub fn run_at(dir: &Path, db: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ducklens"));
    inside(&mut command, dir, db, args).output().unwrap()
}

/// `… --db DB ARGS…` with every platform dir inside `dir`, appended to `command` (the
/// binary itself, or a wrapper that runs it).
pub fn inside<'c>(
    command: &'c mut Command,
    dir: &Path,
    db: &Path,
    args: &[&str],
) -> &'c mut Command {
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("DUCKLENS_DB")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output of a run that must succeed (its stderr when it did not).
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).unwrap()
}

/// A JSON number or string as a decimal.
pub fn decimal(v: &serde_json::Value) -> Decimal {
    match v {
        serde_json::Value::String(s) => s.parse().unwrap(),
        other => other.to_string().parse().unwrap(),
    }
}

/// Row counts of `tables` in the database at `db`, to compare before and after a command.
pub fn row_counts(db: &Path, tables: &[&str]) -> Vec<i64> {
    let store = ducklens::store::Store::open(db).unwrap();
    tables
        .iter()
        .map(|t| {
            store
                .sql_for_tests()
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap()
        })
        .collect()
}
