//! One DuckDB instance per opened file, the file attached to it: first read-only, for the
//! checks of `safety`, then for writing. Two instances (one per handle) cost 43–62 ms at every
//! start, of which creating the second was about 20 ms; attaching twice to one costs 24–28
//! (issue 18). Every statement names tables without a catalog, so the file is made the
//! connection's default (`USE`), and a clone of the connection is pointed at it too
//! ([`same_database`]).

use std::path::Path;

use duckdb::{Config, Connection};

/// The name the file is attached under.
const ALIAS: &str = "ducklens";

/// An instance without a database of its own. Its temporary files (a query larger than the
/// memory limit spills) go beside the file as DuckDB puts a file database's: `NAME.tmp`.
pub(super) fn instance_for(path: &Path) -> duckdb::Result<Connection> {
    let mut spill = path.as_os_str().to_owned();
    spill.push(".tmp");
    let config = Config::default().with("temp_directory", spill.to_string_lossy())?;
    Connection::open_in_memory_with_flags(config)
}

/// Attaches the file at `path` (creating it when nothing is there and not `read_only`) and
/// makes it the connection's default database.
pub(super) fn attach(conn: &Connection, path: &Path, read_only: bool) -> duckdb::Result<()> {
    // A path that is not UTF-8 cannot be written in SQL without changing it; DuckDB's own
    // open refuses it likewise.
    let text = path
        .to_str()
        .ok_or_else(|| duckdb::Error::InvalidPath(path.to_path_buf()))?;
    let literal = text.replace('\'', "''");
    let mode = if read_only { " (READ_ONLY)" } else { "" };
    conn.execute_batch(&format!("ATTACH '{literal}' AS {ALIAS}{mode}; USE {ALIAS}"))
}

/// Lets go of the attached file (a read-only attachment writes nothing, even on close).
pub(super) fn detach(conn: &Connection) -> duckdb::Result<()> {
    conn.execute_batch(&format!("USE memory; DETACH {ALIAS}"))
}

/// Points `clone` (a `try_clone` of `source`) at `source`'s default database: a new
/// connection starts at the instance's own, empty one.
pub(super) fn same_database(source: &Connection, clone: &Connection) -> duckdb::Result<()> {
    let name: String = source.query_row("SELECT current_database()", [], |r| r.get(0))?;
    let quoted = name.replace('"', "\"\"");
    clone.execute_batch(&format!("USE \"{quoted}\""))
}

#[cfg(test)]
mod tests {
    use super::super::Store;

    /// The files this process has open at `path`, from `/proc/self/fd`.
    #[cfg(target_os = "linux")]
    fn handles_on(path: &std::path::Path) -> usize {
        let wanted = path.canonicalize().unwrap();
        std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
            .filter(|target| *target == wanted)
            .count()
    }

    /// DuckDB's file lock belongs to the process, and closing any handle of the file drops
    /// it: the read-only attachment of the checks must be closed before the file is attached
    /// for writing, or closing it later would leave the writer unprotected. An existing file
    /// takes both attachments; one handle stays, and the store still reads and writes.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_existing_file_is_held_by_one_handle_after_the_checks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("held.duckdb");
        drop(Store::open(&path).unwrap());
        assert_eq!(handles_on(&path), 0);
        let store = Store::open(&path).unwrap();
        assert_eq!(handles_on(&path), 1);
        assert_eq!(
            store.schema_version().unwrap(),
            super::super::migrations::LATEST_VERSION
        );
        drop(store);
        assert_eq!(handles_on(&path), 0);
        assert!(
            !super::super::safety::wal_of(&path).exists(),
            "checkpointed on close"
        );
    }
}
