//! `import prices` and `indicators`.

use std::path::PathBuf;

use color_eyre::eyre::Result;

use super::{user_error, Context};
use crate::domain::parse::DecimalMark;
use crate::domain::symbol::Symbol;
use crate::report;
use crate::service::prices::{import_files, indicator_lines};

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
    Ok(files)
}

pub fn import_prices(
    ctx: &Context,
    paths: &[PathBuf],
    skip_bad: bool,
    mark: DecimalMark,
    json: bool,
) -> Result<u8> {
    let files = expand_paths(paths)?;
    if files.is_empty() {
        return Err(user_error("no .csv or .txt price files found"));
    }
    let mut store = ctx.open_store()?;
    let reports = import_files(&mut store, &files, skip_bad, mark, ctx.today, |report| {
        if !json {
            print!("{}", report::prices::file_line(report));
        }
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&reports)?);
    }
    Ok(if reports.iter().any(|r| r.error.is_some()) {
        1
    } else {
        0
    })
}

pub fn indicators(ctx: &Context, symbol: &str, last: usize, json: bool) -> Result<u8> {
    let symbol = Symbol::parse(symbol).map_err(|e| user_error(format!("symbol: {e}")))?;
    let store = ctx.open_store()?;
    let bars = store.bars(&symbol)?;
    if bars.is_empty() {
        return Err(user_error(format!(
            "no prices for {symbol}; import them first (ducklens import prices FILE)"
        )));
    }
    let mut lines = indicator_lines(ctx, &store, &symbol, &bars, last)?;
    lines.extend(crate::service::prices::provisional_line(
        ctx, &store, &symbol, &bars,
    )?);
    if json {
        println!("{}", serde_json::to_string_pretty(&lines)?);
    } else {
        print!("{}", report::prices::indicator_table(&symbol, &lines));
    }
    Ok(0)
}
