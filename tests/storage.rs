//! A folder the user may not write to and a full disk are theirs to fix: one line naming
//! the path, exit 1, never "internal error" with a backtrace.
//!
//! The suite may run as root, for whom a read-only folder stops nothing. Then the binary
//! runs without the capabilities that let root write anywhere (`setpriv`), and the full
//! disk is a tiny tmpfs in a private mount namespace (`unshare -m`). Where the machine
//! allows neither, the case says so and is skipped; `cli::fault`'s unit tests pin the
//! mapping of each error kind either way.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{inside, ok, run_at, stderr};

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// `wrapper… ducklens --db DB ARGS…` with the platform dirs inside `dir`.
fn run_wrapped(wrapper: &[&str], dir: &Path, db: &Path, args: &[&str]) -> Output {
    let (program, before) = wrapper.split_first().expect("a wrapper");
    let mut command = Command::new(program);
    command.args(before).arg(env!("CARGO_BIN_EXE_ducklens"));
    inside(&mut command, dir, db, args).output().unwrap()
}

fn works(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// One line naming `path`, exit 1, no backtrace.
fn one_line_naming(out: &Output, path: &str, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("internal error"), "{err}");
    assert!(err.contains(path), "{err}");
    assert!(err.contains(what), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn a_database_in_a_read_only_folder_is_one_line_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let db = locked.join("d.duckdb");
    let wrapper: Vec<&str> = if !is_root() {
        vec!["env"]
    } else if works("setpriv", &["--bounding-set=-dac_override", "true"]) {
        vec!["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    } else {
        eprintln!("skipped: running as root without setpriv, a read-only folder stops nothing");
        return;
    };
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = run_wrapped(
        &wrapper,
        dir.path(),
        &db,
        &["account", "set", "--cash", "100"],
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    one_line_naming(&out, db.to_str().unwrap(), "Permission denied");
    assert!(!db.exists());
}

#[test]
fn a_database_on_a_read_only_file_system_is_one_line_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("ro");
    std::fs::create_dir(&mount).unwrap();
    let db = mount.join("d.duckdb");
    let script = "mount -t tmpfs -o ro,size=1m tmpfs \"$0\" && exec \"$@\"";
    let probe = ["-m", "sh", "-c", script, mount.to_str().unwrap(), "true"];
    if !works("unshare", &probe) {
        eprintln!("skipped: no private mount namespace here (unshare -m needs privileges)");
        return;
    }
    let wrapper = ["unshare", "-m", "sh", "-c", script, mount.to_str().unwrap()];
    let out = run_wrapped(&wrapper, dir.path(), &db, &["watch", "add", "NVDA"]);
    one_line_naming(&out, db.to_str().unwrap(), "Read-only file system");
}

#[test]
fn a_write_to_a_full_disk_is_one_line_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    // Anywhere on Linux: /dev/full answers every write with ENOSPC.
    let out = run_at(
        dir.path(),
        &dir.path().join("d.duckdb"),
        &["export", "portfolio", "--output", "/dev/full"],
    );
    one_line_naming(&out, "/dev/full", "No space left on device");

    // The database itself on a disk that fills up while the demo is written.
    let mount = dir.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let script = "mount -t tmpfs -o size=2m tmpfs \"$0\" && exec \"$@\"";
    let probe = ["-m", "sh", "-c", script, mount.to_str().unwrap(), "true"];
    if !works("unshare", &probe) {
        eprintln!("skipped: no private mount namespace here (unshare -m needs privileges)");
        return;
    }
    let wrapper = ["unshare", "-m", "sh", "-c", script, mount.to_str().unwrap()];
    let db = mount.join("d.duckdb");
    let out = run_wrapped(
        &wrapper,
        dir.path(),
        &db,
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    );
    one_line_naming(&out, db.to_str().unwrap(), "No space left on device");
    // The same command on a disk with room works: the failure was the disk's.
    ok(&run_at(
        dir.path(),
        &dir.path().join("roomy.duckdb"),
        &["demo", "--as-of", "2026-11-20", "--no-tui"],
    ));
}
