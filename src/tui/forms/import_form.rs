//! The import form (`I`, issue 17): a portfolio, watchlist, prices or transactions file
//! from inside the app. Its fields are checked as typed without touching the disk (the UI
//! thread does no I/O); the worker reads the file and answers with `ducklens import`'s line,
//! or with the file and line at fault, the form kept open.
//!
//! Path: one file; for prices several files or folders separated by commas (a folder
//! imports its `.csv` and `.txt` files, as the command does). Spaces stay part of a path, so
//! a folder such as `~/My Prices` needs no quoting. A leading `~` is the home folder.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::build::Reader;
use super::parse::Parsed;
use super::{Field, Form, FormKind};
use crate::service::import::{ImportKind, ImportRequest};

pub fn import(kind: ImportKind, today: NaiveDate) -> Form {
    Form::new(
        FormKind::Import,
        "Import a file",
        today,
        vec![
            Field::new(
                "Kind",
                "portfolio, watchlist, prices or transactions",
                kind.as_str(),
            ),
            Field::new("Path", "a file; prices: files or folders, a,b", ""),
            Field::new("Merge", "portfolio: yes adds, no replaces", "no"),
        ],
    )
    .with_intro("Read in the background; a bad line is named and nothing of its file is written.")
}

pub(super) fn build(r: &mut Reader) -> Option<ImportRequest> {
    let kind = r.read(kind);
    let several = kind.value == Some(ImportKind::Prices);
    let paths = r.read(|text| paths(text, several, home()));
    let merge = r.read(yes_no);
    if let Some(k) = kind.value {
        r.preview.push(effect(k, merge.value == Some(true)).into());
    }
    Some(ImportRequest {
        kind: kind.value?,
        paths: paths.value?,
        merge: merge.value? && kind.value == Some(ImportKind::Portfolio),
    })
}

/// What Enter will do, said before it is pressed.
fn effect(kind: ImportKind, merge: bool) -> &'static str {
    match (kind, merge) {
        (ImportKind::Portfolio, false) => "Replaces every holding with the file's.",
        (ImportKind::Portfolio, true) => "Adds the file's holdings; a symbol held is updated.",
        (ImportKind::Watchlist, _) => "Adds the file's symbols to the watchlist.",
        (ImportKind::Prices, _) => "Stores the daily bars and recomputes their indicators.",
        (ImportKind::Transactions, _) => "Records the file's transactions in the ledger.",
    }
}

fn kind(text: &str) -> Parsed<ImportKind> {
    ImportKind::parse(text).ok_or_else(|| {
        format!(
            "{:?} is not portfolio, watchlist, prices or transactions",
            text.trim()
        )
    })
}

fn yes_no(text: &str) -> Parsed<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" => Ok(true),
        "no" | "n" | "" => Ok(false),
        other => Err(format!("{other:?} is not yes or no")),
    }
}

/// The home folder a leading `~` stands for (read from the environment, not the disk).
fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// The path (or, with `several`, the comma-separated paths) typed, `~` expanded.
fn paths(text: &str, several: bool, home: Option<PathBuf>) -> Parsed<Vec<PathBuf>> {
    let parts: Vec<&str> = if several {
        text.split(',').map(str::trim).collect()
    } else {
        vec![text.trim()]
    };
    if parts.iter().all(|p| p.is_empty()) {
        return Err("required: the file to import".into());
    }
    if parts.iter().any(|p| p.is_empty()) {
        return Err("an empty path between commas".into());
    }
    parts
        .into_iter()
        .map(|p| expand_home(p, home.as_deref()))
        .collect()
}

fn expand_home(path: &str, home: Option<&std::path::Path>) -> Parsed<PathBuf> {
    let rest = match path.strip_prefix('~') {
        None => return Ok(PathBuf::from(path)),
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest.trim_start_matches('/'),
        // `~user/…` would need the user database: said, not guessed.
        Some(_) => return Err(format!("{path}: only ~/ (your home) is expanded")),
    };
    match home {
        Some(home) => Ok(home.join(rest)),
        None => Err(format!("{path}: HOME is not set, type the full path")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_expand_the_home_and_split_on_commas_for_prices_only() {
        let home = Some(PathBuf::from("/home/ann"));
        assert_eq!(
            paths("~/data/a.csv", false, home.clone()),
            Ok(vec![PathBuf::from("/home/ann/data/a.csv")])
        );
        assert_eq!(
            paths(" ~/My Prices , /tmp/spy.csv", true, home.clone()),
            Ok(vec![
                PathBuf::from("/home/ann/My Prices"),
                PathBuf::from("/tmp/spy.csv")
            ])
        );
        // A portfolio is one file: its comma is part of the name.
        assert_eq!(
            paths("/tmp/a,b.csv", false, home.clone()),
            Ok(vec![PathBuf::from("/tmp/a,b.csv")])
        );
        assert_eq!(
            paths("a.csv,,b.csv", true, home.clone()),
            Err("an empty path between commas".to_string())
        );
        assert_eq!(
            paths("  ", false, home.clone()),
            Err("required: the file to import".to_string())
        );
        assert_eq!(
            paths("~bob/a.csv", false, home),
            Err("~bob/a.csv: only ~/ (your home) is expanded".to_string())
        );
        assert_eq!(
            paths("~/a.csv", false, None),
            Err("~/a.csv: HOME is not set, type the full path".to_string())
        );
    }

    #[test]
    fn kind_and_merge_name_what_they_accept() {
        assert_eq!(kind(" Prices "), Ok(ImportKind::Prices));
        assert_eq!(
            kind("holdings"),
            Err("\"holdings\" is not portfolio, watchlist, prices or transactions".to_string())
        );
        assert_eq!(yes_no("Y"), Ok(true));
        assert_eq!(
            yes_no("maybe"),
            Err("\"maybe\" is not yes or no".to_string())
        );
    }
}
