//! Why an operation did not happen: the user's mistake (exit 1 on the command line, shown in
//! the form in the app) or our fault (exit 2). Decided once, where the error arises, so the
//! command line and the app never classify the same failure differently.

use color_eyre::eyre::Report;

use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpError {
    /// Something the user can fix; the message names the field or the record.
    #[error("{0}")]
    Refused(String),
    /// A fault of the program or the machine; nothing was written.
    #[error("{0}")]
    Internal(String),
}

impl OpError {
    pub fn refused(message: impl Into<String>) -> OpError {
        OpError::Refused(message.into())
    }

    pub fn is_user(&self) -> bool {
        matches!(self, OpError::Refused(_))
    }

    /// The command line's exit status for this error (DESIGN §6).
    pub fn exit_code(&self) -> u8 {
        if self.is_user() {
            1
        } else {
            2
        }
    }

    /// An error of the shared read paths (`color_eyre`), classified like `exit_code_for`.
    pub fn from_report(report: Report) -> OpError {
        if report_is_user(&report) {
            OpError::Refused(first_line(&report.to_string()))
        } else {
            OpError::Internal(format!("{report:#}"))
        }
    }
}

/// Whether a store failure is the user's to fix: a locked, newer, damaged or foreign file,
/// a refused value, or a value too large for its column.
pub fn store_error_is_user(e: &StoreError) -> bool {
    match e {
        StoreError::Db(db) => is_out_of_range(&db.to_string()),
        StoreError::Locked { .. }
        | StoreError::NewerSchema { .. }
        | StoreError::Open { .. }
        | StoreError::Damaged { .. }
        | StoreError::Foreign { .. }
        | StoreError::Invalid(_) => true,
    }
}

/// Whether any cause in `report`'s chain is a user error.
pub fn report_is_user(report: &Report) -> bool {
    report.chain().any(|cause| {
        cause
            .downcast_ref::<OpError>()
            .is_some_and(OpError::is_user)
            || cause.is::<super::super::UserError>()
            || cause.is::<crate::market::portfolio_file::ImportError>()
            || cause.is::<crate::config::ConfigError>()
            || cause
                .downcast_ref::<StoreError>()
                .is_some_and(store_error_is_user)
    })
}

fn is_out_of_range(message: &str) -> bool {
    message.contains("out of range")
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

/// The one-line message of a value DuckDB cannot hold (a DECIMAL out of range).
pub const TOO_LARGE: &str = "a value is too large to store, nothing was written";

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> OpError {
        match &e {
            StoreError::Db(db) if is_out_of_range(&db.to_string()) => {
                OpError::Refused(format!("{TOO_LARGE} ({})", first_line(&db.to_string())))
            }
            _ if store_error_is_user(&e) => OpError::Refused(first_line(&e.to_string())),
            _ => OpError::Internal(e.to_string()),
        }
    }
}

impl From<crate::domain::tracker::JournalError> for OpError {
    fn from(e: crate::domain::tracker::JournalError) -> OpError {
        OpError::Refused(e.to_string())
    }
}

impl From<crate::domain::execution::ExecutionError> for OpError {
    fn from(e: crate::domain::execution::ExecutionError) -> OpError {
        OpError::Refused(e.to_string())
    }
}

impl From<crate::domain::portfolio::HoldingError> for OpError {
    fn from(e: crate::domain::portfolio::HoldingError) -> OpError {
        OpError::Refused(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_value_is_the_users_and_a_database_fault_is_ours() {
        let refused = OpError::from(StoreError::Invalid("swap 9 not found".into()));
        assert_eq!(refused, OpError::Refused("swap 9 not found".into()));
        assert_eq!(refused.exit_code(), 1);
        let locked = OpError::from(StoreError::Locked {
            path: "x.duckdb".into(),
            holder: Some("/usr/bin/ducklens (PID 7)".into()),
        });
        assert!(locked.is_user());
        assert_eq!(OpError::Internal("disk".into()).exit_code(), 2);
        let wrapped = Report::new(OpError::refused("cash: cannot be negative"));
        assert!(report_is_user(&wrapped));
        assert_eq!(
            OpError::from_report(wrapped),
            OpError::refused("cash: cannot be negative")
        );
        assert!(!OpError::from_report(color_eyre::eyre::eyre!("boom")).is_user());
    }
}
