//! `morning-check` and `intraday`: load the data, analyze, print, and (morning) record.

use chrono::NaiveDate;
use color_eyre::eyre::Result;

use super::Context;
use crate::domain::analyzer::CheckMode;
use crate::report;
use crate::service::analysis::analysis;
use crate::service::ops::record_swaps_of;

pub fn morning(ctx: &Context, as_of: Option<NaiveDate>, json: bool) -> Result<u8> {
    let mut store = ctx.open_store()?;
    let a = analysis(ctx, &store, as_of, CheckMode::Morning)?;
    let recorded = record_swaps_of(&mut store, &a)?;
    if json {
        let mut value = serde_json::to_value(&a)?;
        value["recorded"] = serde_json::to_value(recorded)?;
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", report::check::morning_text(&a));
        if recorded.recommendations + recorded.signals > 0 {
            println!(
                "\nRecorded {} recommendation(s) and {} signal(s) in the journal.",
                recorded.recommendations, recorded.signals
            );
        }
    }
    Ok(0)
}

pub fn intraday(ctx: &Context, as_of: Option<NaiveDate>, json: bool) -> Result<u8> {
    let mut store = ctx.open_store()?;
    let run = crate::service::intraday::intraday(ctx, &mut store, as_of)?;
    if json {
        let mut value = serde_json::to_value(&run.analysis)?;
        value["plan"] = serde_json::to_value(&run.plan)?;
        value["recorded"] = serde_json::to_value(run.recorded)?;
        value["provisional"] = serde_json::to_value(&run.live)?;
        value["stops_since_morning"] = serde_json::to_value(&run.stops_since_morning)?;
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!(
            "{}",
            report::intraday::intraday_text(&run.analysis, &run.plan, &run.stops_since_morning)
        );
        if run.live.is_some() && !run.plan.new_buys.is_empty() {
            println!(
                "\nNew buy signals on provisional prices are not recorded in the journal; \
                 run `ducklens intraday` again after the close's `ducklens fetch` to record them."
            );
        }
        if run.recorded > 0 {
            println!(
                "\nRecorded {} new buy signal(s) in the journal (source intraday_monitor).",
                run.recorded
            );
        }
    }
    Ok(0)
}
