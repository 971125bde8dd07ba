//! Import files into the store: what `ducklens import` and the app's import form (issue 17)
//! both do, written once. A portfolio, watchlist or transactions file is read and parsed
//! into an [`Op`] before the database is touched (so a bad line names itself and nothing is
//! written); price files are found here and stored by [`super::prices::import_files`].

use std::path::{Path, PathBuf};

use color_eyre::eyre::Result;

use super::ops::Op;
use super::{user_error, Context};
use crate::domain::parse::DecimalMark;
use crate::domain::portfolio::WatchItem;
use crate::market::{portfolio_file, transactions_file};

/// What a file holds, as the import form's Kind field and `ducklens import KIND` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Portfolio,
    Watchlist,
    Prices,
    Transactions,
}

impl ImportKind {
    pub const ALL: [ImportKind; 4] = [
        ImportKind::Portfolio,
        ImportKind::Watchlist,
        ImportKind::Prices,
        ImportKind::Transactions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Portfolio => "portfolio",
            ImportKind::Watchlist => "watchlist",
            ImportKind::Prices => "prices",
            ImportKind::Transactions => "transactions",
        }
    }

    /// The kind named by `text`, in any case.
    pub fn parse(text: &str) -> Option<ImportKind> {
        let text = text.trim().to_ascii_lowercase();
        ImportKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One import as the app asks for it: the file (several, or folders, for prices) and, for a
/// portfolio, whether it merges into the holdings or replaces them.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRequest {
    pub kind: ImportKind,
    pub paths: Vec<PathBuf>,
    pub merge: bool,
}

fn read_text(file: &Path) -> Result<String> {
    std::fs::read_to_string(file)
        .map_err(|e| user_error(format!("cannot read {}: {e}", file.display())))
}

/// A portfolio file (the previous tool's JSON or a CSV) as the operation that imports it.
pub fn portfolio_op(file: &Path, merge: bool, mark: DecimalMark) -> Result<Op> {
    Ok(Op::ImportPortfolio {
        file: portfolio_file::read_portfolio(file, mark)?,
        name: file.display().to_string(),
        merge,
    })
}

/// A watchlist file as the operation that adds its symbols, each added on `ctx.today`.
pub fn watchlist_op(ctx: &Context, file: &Path) -> Result<Op> {
    let name = file.display().to_string();
    let items = portfolio_file::parse_watchlist(&read_text(file)?, &name)?
        .into_iter()
        .map(|(symbol, notes)| WatchItem {
            symbol,
            added: ctx.today,
            notes,
        })
        .collect();
    Ok(Op::AddWatch(items))
}

/// A transactions CSV as the operation that records it in the ledger.
pub fn transactions_op(file: &Path) -> Result<Op> {
    let name = file.display().to_string();
    let transactions =
        transactions_file::parse_transactions(&read_text(file)?, &name).map_err(user_error)?;
    Ok(Op::ImportTransactions { transactions, name })
}

/// Files directly named, plus `.csv`/`.txt` files inside named folders (sorted).
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| user_error(format!("cannot read folder {}: {e}", path.display())))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|e| {
                            e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt")
                        })
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(user_error(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
    }
    if files.is_empty() {
        return Err(user_error("no .csv or .txt price files found"));
    }
    Ok(files)
}
