//! `import prices` and `indicators`.

use std::path::PathBuf;

use color_eyre::eyre::Result;

use super::{user_error, Context};
use crate::domain::parse::DecimalMark;
use crate::domain::symbol::Symbol;
use crate::report;
use crate::service::prices::{indicator_lines, open_and_import_files};

pub fn import_prices(
    ctx: &Context,
    paths: &[PathBuf],
    skip_bad: bool,
    mark: DecimalMark,
    json: bool,
) -> Result<u8> {
    // The files are found before the database is opened: a wrong path touches nothing.
    let files = crate::service::import::expand_paths(paths)?;
    let open = || ctx.open_store();
    let reports = open_and_import_files(open, &files, skip_bad, mark, ctx.today, |report| {
        if !json {
            print!("{}", report::prices::file_line(report));
        }
    })?;
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
