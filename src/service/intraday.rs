//! The intraday check: the analysis with the intraday thresholds, the plan against the
//! morning's buy signals, and the day's new buy signals recorded once (source
//! `intraday_monitor`).

use chrono::NaiveDate;
use color_eyre::eyre::Result;

use super::analysis::inputs;
use super::live::{stops_since_morning, with_provisional, LiveNote, NewStop};
use super::ops::OpError;
use super::record::{record, SignalDraft};
use super::Context;
use crate::domain::analyzer::{intraday_plan, Analysis, CheckMode, IntradayPlan};
use crate::domain::journal::SignalType;
use crate::store::{self, Store, MORNING_SOURCE};

pub const INTRADAY_SOURCE: &str = "intraday_monitor";

pub struct Intraday {
    pub analysis: Analysis,
    pub plan: IntradayPlan,
    /// New buy signals written to the journal by this run (0 when already recorded today,
    /// and on provisional prices: the journal holds signals on final prices only).
    pub recorded: usize,
    /// Set when today's quotes are part of the figures.
    pub live: Option<LiveNote>,
    /// Stops the quotes hit that the last close did not (empty without quotes).
    pub stops_since_morning: Vec<NewStop>,
}

pub fn intraday(ctx: &Context, store: &mut Store, as_of: Option<NaiveDate>) -> Result<Intraday> {
    let base = inputs(ctx, store, as_of)?;
    let (inputs, live, stops_since_morning) = match with_provisional(store, &base, ctx.today)? {
        Some((live_inputs, note)) => {
            let morning = base.analyze(CheckMode::Intraday);
            let live = live_inputs.analyze(CheckMode::Intraday);
            let stops = stops_since_morning(&morning, &live);
            (live_inputs, Some(note), stops)
        }
        None => (base, None, Vec::new()),
    };
    let mut analysis = inputs.analyze(CheckMode::Intraday);
    if let Some(note) = &live {
        analysis.warnings.insert(0, note.warning());
    }
    let morning = store.signals_on(analysis.as_of, MORNING_SOURCE)?;
    let plan = intraday_plan(&analysis, &morning, &inputs.snapshot, &inputs.rules);
    let already = store.signals_on(analysis.as_of, INTRADAY_SOURCE)?;
    let wanted: Vec<_> = plan
        .new_buys
        .iter()
        .filter(|buy| live.is_none() && !already.iter().any(|s| s.symbol == buy.symbol))
        .collect();
    // Each new signal is filled from its day's data and stored in the same transaction.
    let recorded = store.transaction(|tx| -> Result<usize, OpError> {
        for buy in &wanted {
            let mut draft = SignalDraft::new(buy.symbol.clone(), SignalType::Buy, INTRADAY_SOURCE);
            draft.date = Some(analysis.as_of);
            let mut s = record(ctx, tx, draft)?;
            // The brief's intraday glance runs at 3 PM.
            s.signal_time = analysis
                .as_of
                .and_time(chrono::NaiveTime::from_hms_opt(15, 0, 0).unwrap_or_default());
            s.suggested_quantity = i32::try_from(buy.quantity).ok();
            store::insert_signal(tx, &s)?;
        }
        Ok(wanted.len())
    })?;
    Ok(Intraday {
        analysis,
        plan,
        recorded,
        live,
        stops_since_morning,
    })
}
