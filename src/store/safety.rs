//! What is checked before DuckLens writes to an existing file: that it is a regular file,
//! not damaged, DuckLens's own (not another program's database), and, before a migration
//! changes it, that a copy of it exists beside it.

use std::path::{Path, PathBuf};

use duckdb::Connection;

use super::{attach, migrations, open_error, Result, StoreError};

/// DuckDB's file layout: a main header and two database headers of 4 KiB each, then blocks
/// of `block_alloc_size` bytes. Each database header starts with an 8-byte checksum, then
/// iteration, meta block pointer, free list, block count and block size (8 bytes each).
const HEADER_SIZE: u64 = 4096;
const MAGIC: &[u8; 4] = b"DUCK";
/// The block id is the low 56 bits of a meta block pointer; all ones means none.
const BLOCK_ID_BITS: u64 = (1 << 56) - 1;

/// `None` when nothing is at `path`, or only an empty file (`touch`ed, holding nothing to
/// lose: it is removed so DuckDB can create the database, as it refuses a 0-byte file);
/// else the schema version found, after refusing what must not be written to.
pub(super) fn inspect_existing(conn: &Connection, path: &Path) -> Result<Option<u32>> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(open_failure(path, e.to_string())),
    };
    if !meta.is_file() {
        return Err(open_failure(
            path,
            "not a regular file (a folder, FIFO or device); give the path of a database file"
                .into(),
        ));
    }
    if meta.len() == 0 {
        std::fs::remove_file(path).map_err(|e| open_failure(path, e.to_string()))?;
        return Ok(None);
    }
    // The read-only attachment comes first: while it is held no other process writes, so the
    // layout read below sees a settled file (a writer mid-checkpoint would look cut short).
    // A file DuckDB cannot open gets the layout's explanation when there is one.
    if let Err(e) = attach::attach(conn, path, true) {
        let err = open_error(path, e);
        if !matches!(err, StoreError::Locked { .. }) {
            check_layout(path, meta.len())?;
        }
        return Err(err);
    }
    let found = inspect_attached(conn, path)?;
    attach::detach(conn).map_err(|e| open_error(path, e))?;
    Ok(Some(found))
}

/// The checks of [`inspect_existing`] on the file attached read-only to `conn`.
fn inspect_attached(conn: &Connection, path: &Path) -> Result<u32> {
    let len = std::fs::metadata(path)
        .map_err(|e| open_failure(path, e.to_string()))?
        .len();
    let layout = check_layout(path, len)?;
    let found = migrations::current_version(conn).map_err(|e| damaged(path, &e.to_string()))?;
    if let Some(layout) = layout.filter(|l| !l.holds_every_block(len)) {
        check_blocks_present(conn, path, len, layout.block_size)?;
    }
    if found == 0 {
        let tables = own_tables(conn).map_err(|e| damaged(path, &e.to_string()))?;
        if !tables.is_empty() {
            return Err(StoreError::Foreign {
                path: path.to_path_buf(),
                tables: tables.join(", "),
            });
        }
    }
    Ok(found)
}

/// The current database header's block size, block count and metadata block.
#[derive(Debug, Clone, Copy)]
struct Layout {
    block_size: u64,
    block_count: u64,
    meta_block: u64,
}

impl Layout {
    /// Whether a file of `len` bytes holds every block the header counts. DuckDB gives a new
    /// block the id `block_count` (or a freed one), so every block in use lies below the
    /// count: such a file lacks none, and `check_blocks_present` is not needed. That check
    /// reads the storage of every column segment (~0.27 s at every start for 500 symbols × 25
    /// years, issue 18); it runs only for a file shorter than its count, which DuckDB leaves
    /// when it trims a free tail, and which a cut-short copy looks like, or for a header
    /// whose count does not even cover its own metadata block (it cannot be trusted).
    fn holds_every_block(&self, len: u64) -> bool {
        if self.block_count <= self.meta_block {
            return false;
        }
        self.block_count
            .checked_mul(self.block_size)
            .and_then(|b| b.checked_add(HEADER_SIZE * 3))
            .is_some_and(|needed| len >= needed)
    }
}

/// Refuses a file that is not a DuckDB file, or whose current metadata block lies past its
/// end (a truncated file opens, but its missing blocks would be lost on the next write).
/// DuckDB may legitimately shorten a file by its free tail, so the block count alone
/// proves nothing; the metadata block is always in use.
fn check_layout(path: &Path, len: u64) -> Result<Option<Layout>> {
    use std::io::Read;
    let mut head = vec![0u8; (HEADER_SIZE * 3) as usize];
    let mut file = std::fs::File::open(path).map_err(|e| open_failure(path, e.to_string()))?;
    let read = file
        .read(&mut head)
        .map_err(|e| open_failure(path, e.to_string()))?;
    if read < head.len() || &head[8..12] != MAGIC {
        return Err(damaged(path, "no DuckDB header"));
    }
    let field = |header: usize, index: usize| -> u64 {
        let at = HEADER_SIZE as usize * header + 8 + index * 8;
        u64::from_le_bytes(head[at..at + 8].try_into().unwrap_or([0; 8]))
    };
    // The header with the higher iteration is the current one.
    let current = if field(1, 0) >= field(2, 0) { 1 } else { 2 };
    let (meta, block_count, block_size) = (field(current, 1), field(current, 3), field(current, 4));
    if meta == u64::MAX || block_size == 0 {
        return Ok(None);
    }
    let block = meta & BLOCK_ID_BITS;
    let needed = block
        .checked_add(1)
        .and_then(|n| n.checked_mul(block_size))
        .and_then(|b| b.checked_add(HEADER_SIZE * 3));
    match needed {
        Some(needed) if len >= needed => Ok(Some(Layout {
            block_size,
            block_count,
            meta_block: block,
        })),
        _ => Err(damaged(
            path,
            &format!("{len} bytes, but its catalog lies in block {block}: the file was cut short"),
        )),
    }
}

/// Refuses a file that lacks a block its tables use: the highest block any table's
/// storage points to must lie inside the file. Reads table metadata only, not the data.
fn check_blocks_present(conn: &Connection, path: &Path, len: u64, block_size: u64) -> Result<()> {
    let tables = own_tables(conn).map_err(|e| damaged(path, &e.to_string()))?;
    if tables.is_empty() {
        return Ok(());
    }
    // One statement for every table: each costs about a millisecond at every start.
    // The names come from the catalog; quotes are doubled as SQL requires.
    let each: Vec<String> = tables
        .iter()
        .map(|t| {
            format!(
                "SELECT max(block_id) AS top FROM pragma_storage_info('{}') WHERE persistent",
                t.replace('\'', "''")
            )
        })
        .collect();
    let sql = format!("SELECT max(top) FROM ({})", each.join(" UNION ALL "));
    let highest: Option<i64> = conn
        .query_row(&sql, [], |r| r.get(0))
        .map_err(|e| damaged(path, &e.to_string()))?;
    let Some(top) = highest.and_then(|b| u64::try_from(b).ok()) else {
        return Ok(());
    };
    let needed = (top + 1)
        .checked_mul(block_size)
        .and_then(|b| b.checked_add(HEADER_SIZE * 3));
    match needed {
        Some(needed) if len >= needed => Ok(()),
        _ => Err(damaged(
            path,
            &format!("{len} bytes, but its data uses block {top}: the file was cut short"),
        )),
    }
}

/// Tables in the file that DuckLens did not make (a DuckLens file always has the ledger).
fn own_tables(conn: &Connection) -> duckdb::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT table_name FROM information_schema.tables
         WHERE table_catalog = current_database() ORDER BY table_name",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// Copies the file (and its write-ahead log) to `NAME.before-vVERSION` beside it, never
/// over an earlier copy.
pub(super) fn copy_before_upgrade(path: &Path, version: u32) -> Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ducklens.duckdb".into());
    let base = format!("{name}.before-v{version}");
    let mut copy = path.with_file_name(&base);
    let mut n = 2;
    while copy.exists() {
        copy = path.with_file_name(format!("{base}.{n}"));
        n += 1;
    }
    let fail = |e: std::io::Error| {
        open_failure(
            path,
            format!(
                "cannot copy it to {} before upgrading its schema: {e}; nothing was changed",
                copy.display()
            ),
        )
    };
    std::fs::copy(path, &copy).map_err(fail)?;
    let wal = wal_of(path);
    if wal.exists() {
        std::fs::copy(&wal, wal_of(&copy)).map_err(fail)?;
    }
    Ok(copy)
}

/// DuckDB's write-ahead log: the database path with `.wal` appended.
pub fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".wal");
    PathBuf::from(name)
}

/// Whether DuckDB's message says the file's bytes are wrong (as opposed to a lock, a
/// permission or a missing folder).
pub(super) fn looks_damaged(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    [
        "not a valid duckdb database",
        "corrupt",
        "checksum",
        "invalid database header",
        "could not read enough bytes",
        "unexpected end of file",
        "failed to read",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

fn damaged(path: &Path, message: &str) -> StoreError {
    StoreError::Damaged {
        path: path.to_path_buf(),
        message: message.lines().next().unwrap_or("unreadable").to_string(),
    }
}

fn open_failure(path: &Path, message: String) -> StoreError {
    StoreError::Open {
        path: path.to_path_buf(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_holds_every_block_only_when_it_is_as_long_as_its_count_says() {
        // The 500-symbol benchmark file: 1,431 blocks of 256 KiB after the three 4 KiB
        // headers, 3 × 4,096 + 1,431 × 262,144 = 375,140,352 bytes.
        let layout = Layout {
            block_size: 262_144,
            block_count: 1_431,
            meta_block: 660,
        };
        assert!(layout.holds_every_block(375_140_352));
        assert!(layout.holds_every_block(375_140_353));
        // One byte short, or a free tail trimmed: the blocks in use are checked one by one.
        assert!(!layout.holds_every_block(375_140_351));
        assert!(!layout.holds_every_block(375_140_352 - 262_144));
        // A count that overflows proves nothing either.
        let absurd = Layout {
            block_size: 262_144,
            block_count: u64::MAX,
            meta_block: 660,
        };
        assert!(!absurd.holds_every_block(u64::MAX));
        // A count below the header's own metadata block is not believed.
        let inconsistent = Layout {
            block_count: 0,
            ..layout
        };
        assert!(!inconsistent.holds_every_block(375_140_352));
    }
}
