//! The worker's side of the import form (issue 17): the file is read and parsed here, off the
//! UI thread, and applied through `service::import` and `service::ops` exactly as
//! `ducklens import` does; the answer is the line the command prints.

use color_eyre::eyre::Result;

use super::data::{self, Dashboard};
use crate::domain::parse::DecimalMark;
use crate::service::import::{self, ImportKind, ImportRequest};
use crate::service::ops::{self, Op};
use crate::service::Context;
use crate::store::SharedStore;

/// What an import did.
pub struct ImportOutcome {
    /// The data as reloaded after a write (`None` when nothing was written), or why the
    /// reload failed.
    pub reloaded: Option<Result<Dashboard, String>>,
    /// The command line's summary, or what is wrong, naming the file and its line.
    pub result: Result<String, String>,
}

impl ImportOutcome {
    fn refused(message: String) -> ImportOutcome {
        ImportOutcome {
            reloaded: None,
            result: Err(message),
        }
    }
}

pub fn run(ctx: &Context, store: &SharedStore, request: &ImportRequest) -> ImportOutcome {
    if request.kind == ImportKind::Prices {
        return prices(ctx, store, request);
    }
    let Some(path) = request.paths.first() else {
        return ImportOutcome::refused("Path: required".into());
    };
    // The app reads numbers with a decimal point, as the command does without its flag.
    let op: Result<Op> = match request.kind {
        ImportKind::Portfolio => import::portfolio_op(path, request.merge, DecimalMark::Point),
        ImportKind::Watchlist => import::watchlist_op(ctx, path),
        _ => import::transactions_op(path),
    };
    let op = match op {
        Ok(op) => op,
        Err(e) => return ImportOutcome::refused(e.to_string()),
    };
    let applied = store.with(|s| {
        let summary = ops::apply(ctx, s, op)?.summary;
        Ok::<_, ops::OpError>((summary, reload(ctx, s)))
    });
    match applied {
        Ok((summary, reloaded)) => ImportOutcome {
            reloaded: Some(reloaded),
            result: Ok(summary),
        },
        Err(e) => ImportOutcome::refused(e.to_string()),
    }
}

fn reload(ctx: &Context, store: &mut crate::store::Store) -> Result<Dashboard, String> {
    data::load_dashboard(ctx, store).map_err(|e| e.to_string())
}

/// Price files and folders: each file's line as `ducklens import prices` prints it, joined
/// with "; ". A bad file is refused whole (nothing of it is written) and fails the import
/// with its FILE:LINE message; the good files beside it are stored all the same, and said so.
fn prices(ctx: &Context, store: &SharedStore, request: &ImportRequest) -> ImportOutcome {
    let files = match import::expand_paths(&request.paths) {
        Ok(files) => files,
        Err(e) => return ImportOutcome::refused(e.to_string()),
    };
    let done = store.with(|s| {
        let reports = crate::service::prices::import_files(
            s,
            &files,
            false,
            DecimalMark::Point,
            ctx.today,
            |_| {},
        );
        let written = reports.iter().any(|r| r.error.is_none());
        let reloaded = written.then(|| reload(ctx, s));
        Ok::<_, crate::store::StoreError>((reports, reloaded))
    });
    let (reports, reloaded) = match done {
        Ok(done) => done,
        Err(e) => return ImportOutcome::refused(e.to_string()),
    };
    let line = |r: &crate::service::prices::FileReport| {
        let text = crate::report::prices::file_line(r);
        text.lines().next().unwrap_or_default().to_string()
    };
    let (failed, stored): (Vec<_>, Vec<_>) = reports.iter().partition(|r| r.error.is_some());
    let result = match failed.first().and_then(|r| r.error.as_ref()) {
        Some(error) if stored.is_empty() => Err(format!("{error}; nothing of it was written")),
        Some(error) => Err(format!(
            "{error}; nothing of it was written, the other {} file(s) were imported",
            stored.len()
        )),
        None => Ok(stored
            .iter()
            .copied()
            .map(line)
            .collect::<Vec<_>>()
            .join("; ")),
    };
    ImportOutcome { reloaded, result }
}
