//! The live view of today (issue 16): the analysis inputs with today's provisional bars
//! appended, for the readers that opt in (the intraday check, the app). Past days and every
//! other reader see final bars only.

use chrono::NaiveDate;
use color_eyre::eyre::Result;
use serde::Serialize;

use super::analysis::AnalysisInputs;
use crate::domain::analyzer::Analysis;
use crate::domain::quote::{as_of_label, with_quote, ProvisionalBar};
use crate::domain::symbol::Symbol;
use crate::store::Store;

/// What a live figure rests on; shown beside every figure computed from a quote.
#[derive(Debug, Clone, Serialize)]
pub struct LiveNote {
    pub date: NaiveDate,
    /// The oldest quote used, "as of 14:52 ET, delayed": no figure is fresher than this.
    pub label: String,
    pub symbols: Vec<Symbol>,
    /// Tracked symbols without a quote today: their figures are from their last final bar.
    pub without_quote: Vec<Symbol>,
    pub sources: Vec<String>,
}

/// `base` (final bars, as of the requested day) with today's quotes appended when the
/// requested day is today and the benchmark has a quote today; `None` otherwise (then the
/// figures are the final bars' only).
pub fn with_provisional(
    store: &Store,
    base: &AnalysisInputs,
    today: NaiveDate,
) -> Result<Option<(AnalysisInputs, LiveNote)>> {
    if base.requested != today {
        return Ok(None);
    }
    let quotes: Vec<ProvisionalBar> = store.provisional_on(today)?;
    let benchmark = &base.rules.general.benchmark;
    if !quotes.iter().any(|p| p.quote.symbol.as_str() == benchmark) {
        return Ok(None);
    }
    let mut snapshot = base.snapshot.clone();
    let mut used: Vec<&ProvisionalBar> = Vec::new();
    for p in &quotes {
        let Some(series) = snapshot.series.get(&p.quote.symbol) else {
            continue;
        };
        if series.bars.last().is_some_and(|b| b.date >= p.quote.date()) {
            continue;
        }
        let history = store.bars(&p.quote.symbol)?;
        let live = with_quote(series, &history, &p.quote);
        snapshot.series.insert(p.quote.symbol.clone(), live);
        used.push(p);
    }
    snapshot.as_of = today;
    let Some(oldest) = used.iter().map(|p| p.quote.time).min() else {
        return Ok(None);
    };
    let mut sources: Vec<String> = used.iter().map(|p| p.source.clone()).collect();
    sources.sort();
    sources.dedup();
    let note = LiveNote {
        date: today,
        label: as_of_label(oldest),
        symbols: used.iter().map(|p| p.quote.symbol.clone()).collect(),
        without_quote: snapshot
            .series
            .iter()
            .filter(|(_, s)| s.bars.last().is_some_and(|b| b.date < today))
            .map(|(symbol, _)| symbol.clone())
            .collect(),
        sources,
    };
    let inputs = AnalysisInputs {
        holdings: base.holdings.clone(),
        watchlist: base.watchlist.clone(),
        account: base.account.clone(),
        snapshot,
        rules: base.rules.clone(),
        requested: base.requested,
    };
    Ok(Some((inputs, note)))
}

impl LiveNote {
    /// The line said first by every live view.
    pub fn warning(&self) -> String {
        let mut line = format!(
            "PROVISIONAL: today's prices of {} symbol(s) are quotes {} ({}); RSI, MACD, trend, \
             strength, alpha and stops include them. The next `ducklens fetch` replaces them with \
             final bars",
            self.symbols.len(),
            self.label,
            self.sources.join(", ")
        );
        if !self.without_quote.is_empty() {
            let names: Vec<&str> = self.without_quote.iter().map(Symbol::as_str).collect();
            line.push_str(&format!(
                "; no quote today for {}: their figures are from their last close",
                names.join(", ")
            ));
        }
        line
    }
}

/// A stop hit in the live analysis that the final bars (the morning's view) did not show.
#[derive(Debug, Clone, Serialize)]
pub struct NewStop {
    pub symbol: Symbol,
    pub kind: String,
    pub message: String,
}

pub fn stops_since_morning(morning: &Analysis, live: &Analysis) -> Vec<NewStop> {
    live.holdings
        .iter()
        .flat_map(|h| {
            let before = morning.holdings.iter().find(|m| m.symbol == h.symbol);
            h.alerts
                .iter()
                .filter(move |a| before.is_none_or(|m| !m.alerts.iter().any(|b| b.kind == a.kind)))
                .map(|a| NewStop {
                    symbol: h.symbol.clone(),
                    kind: a.kind.label().to_string(),
                    message: a.message.clone(),
                })
        })
        .collect()
}
