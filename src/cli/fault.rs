//! Which failures the user can fix, and the one line that tells them how. A full disk or a
//! folder they may not write to is theirs to fix (exit 1), not an internal error.

use std::io::ErrorKind;

use color_eyre::eyre::Report;

/// What the operating system refused, recognised from an `io::Error` in the chain or from
/// the OS wording inside a DuckDB message (DuckDB reports I/O failures as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFault {
    Full,
    ReadOnly,
    Denied,
}

impl StorageFault {
    fn of_kind(kind: ErrorKind) -> Option<Self> {
        match kind {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Some(StorageFault::Full),
            ErrorKind::ReadOnlyFilesystem => Some(StorageFault::ReadOnly),
            ErrorKind::PermissionDenied => Some(StorageFault::Denied),
            _ => None,
        }
    }

    /// strerror's wording (Linux and macOS), as it appears inside DuckDB's messages.
    fn of_text(text: &str) -> Option<Self> {
        let lower = text.to_ascii_lowercase();
        if lower.contains("no space left on device") || lower.contains("disk quota exceeded") {
            Some(StorageFault::Full)
        } else if lower.contains("read-only file system") {
            Some(StorageFault::ReadOnly)
        } else if lower.contains("permission denied") || lower.contains("operation not permitted") {
            Some(StorageFault::Denied)
        } else {
            None
        }
    }

    fn advice(self) -> &'static str {
        match self {
            StorageFault::Full => "the disk is full; free some space and run the command again",
            StorageFault::ReadOnly => {
                "the file system is read-only; choose a --db in a folder you can write to"
            }
            StorageFault::Denied => {
                "no permission to write there; choose a --db in a folder you can write to"
            }
        }
    }
}

/// The fault behind `report`, if the OS refused a write or an open.
pub fn storage_fault(report: &Report) -> Option<StorageFault> {
    report.chain().find_map(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .and_then(|e| StorageFault::of_kind(e.kind()))
            .or_else(|| StorageFault::of_text(&cause.to_string()))
    })
}

/// One line for a fault: what the OS said (DuckDB and our own messages name the path),
/// then what to do.
pub fn storage_line(report: &Report, fault: StorageFault) -> String {
    let text = report.to_string();
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    format!("{first} — {}", fault.advice())
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;
    use crate::cli::user_error;

    fn io_report(kind: ErrorKind, what: &str) -> Report {
        Report::new(io::Error::new(kind, what.to_string()))
    }

    // The test suite may run as root, where a read-only folder does not stop a write;
    // tests/storage.rs runs the binary under conditions that do, and these pin the mapping
    // itself with the error kinds the OS gives.
    #[test]
    fn io_errors_of_space_and_permission_are_the_users_to_fix() {
        for (kind, fault) in [
            (ErrorKind::StorageFull, StorageFault::Full),
            (ErrorKind::ReadOnlyFilesystem, StorageFault::ReadOnly),
            (ErrorKind::PermissionDenied, StorageFault::Denied),
        ] {
            let report = io_report(kind, "x").wrap_err("writing /data/d.duckdb");
            assert_eq!(storage_fault(&report), Some(fault), "{kind:?}");
        }
        assert_eq!(storage_fault(&io_report(ErrorKind::Other, "boom")), None);
        assert_eq!(storage_fault(&user_error("bad input")), None);
    }

    #[test]
    fn duckdbs_wording_of_a_full_disk_is_recognised_and_the_line_names_the_path() {
        let raw = "IO Error: Could not write file \"/mnt/small/d.duckdb.wal\": \
                   No space left on device\n\nLINE 1: INSERT …";
        let report = Report::msg(raw.to_string());
        assert_eq!(storage_fault(&report), Some(StorageFault::Full));
        assert_eq!(
            storage_line(&report, StorageFault::Full),
            "IO Error: Could not write file \"/mnt/small/d.duckdb.wal\": No space left on \
             device — the disk is full; free some space and run the command again"
        );
        let ro = Report::msg("cannot open /ro/d.duckdb: IO Error: Read-only file system");
        assert_eq!(storage_fault(&ro), Some(StorageFault::ReadOnly));
    }
}
