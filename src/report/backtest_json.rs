//! `backtest --json` written as it is made. The report is a tree of `serde_json` values
//! (sorted keys, as always) except for the equity curves, which are streamed: four
//! strategies over 25 years are 25,200 points, and building each as a map of three keys
//! first was most of the 80 ms the printing took (issue 18). The bytes are the same.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};

use super::backtest::{merge, metrics_json};
use crate::domain::backtest::{BacktestReport, EquityPoint};

/// `map` with the value at `key` (a placeholder there keeps the key's place in the sorted
/// map) written by `with`.
struct With<'a, T> {
    map: Map<String, Value>,
    key: &'static str,
    with: &'a T,
}

impl<T: Serialize> Serialize for With<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.map.len()))?;
        for (k, v) in &self.map {
            if k == self.key {
                map.serialize_entry(k, self.with)?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// An equity curve as the objects `{"benchmark", "date", "equity"}` (the keys sorted, as a
/// `serde_json` map writes them).
struct Curve<'a>(&'a [EquityPoint]);

impl Serialize for Curve<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for p in self.0 {
            seq.serialize_element(&Point(p))?;
        }
        seq.end()
    }
}

struct Point<'a>(&'a EquityPoint);

impl Serialize for Point<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("benchmark", &self.0.benchmark)?;
        map.serialize_entry("date", &self.0.date)?;
        map.serialize_entry("equity", &self.0.equity)?;
        map.end()
    }
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The report as pretty JSON, written to `out`.
pub fn write_json(out: &mut impl std::io::Write, r: &BacktestReport) -> serde_json::Result<()> {
    let curves: Vec<Curve> = r.strategies.iter().map(|s| Curve(&s.run.equity)).collect();
    let strategies: Vec<With<Curve>> = r
        .strategies
        .iter()
        .zip(&curves)
        .map(|(s, curve)| {
            let head = json!({"name": s.params.name, "params": s.params});
            // `trades` is already the metric (the count), so the list has a name of its own.
            let tail =
                json!({"verdict": s.verdict, "equity": Value::Null, "trade_list": s.run.trades});
            With {
                map: object(merge(merge(head, metrics_json(&s.metrics)), tail)),
                key: "equity",
                with: curve,
            }
        })
        .collect();
    let benchmark = merge(
        json!({"symbol": r.benchmark.symbol}),
        metrics_json(&r.benchmark.metrics),
    );
    let top = json!({
        "from": r.from,
        "to": r.to,
        "benchmark": benchmark,
        "best": r.best().map(|s| s.params.name.clone()),
        "strategies": Value::Null,
    });
    let top = With {
        map: object(top),
        key: "strategies",
        with: &strategies,
    };
    serde_json::to_writer_pretty(out, &top)
}

/// [`write_json`] as a string.
pub fn json(r: &BacktestReport) -> String {
    let mut out = Vec::new();
    let _ = write_json(&mut out, r);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use chrono::{Duration, NaiveDate};
    use rust_decimal::prelude::FromPrimitive;
    use rust_decimal::Decimal;

    use super::*;
    use crate::domain::analyzer::fixtures::{rules, sym};
    use crate::domain::backtest::{run_strategies, StrategyKind, StrategyParams, Universe};
    use crate::domain::bar::Bar;

    /// The JSON as it was built before: the whole report as one tree of values.
    fn as_one_tree(r: &BacktestReport) -> String {
        let strategies: Vec<Value> = r
            .strategies
            .iter()
            .map(|s| {
                let equity: Vec<Value> = s
                    .run
                    .equity
                    .iter()
                    .map(|p| json!({"date": p.date, "equity": p.equity, "benchmark": p.benchmark}))
                    .collect();
                let head = json!({"name": s.params.name, "params": s.params});
                let tail =
                    json!({"verdict": s.verdict, "equity": equity, "trade_list": s.run.trades});
                merge(merge(head, metrics_json(&s.metrics)), tail)
            })
            .collect();
        let benchmark = merge(
            json!({"symbol": r.benchmark.symbol}),
            metrics_json(&r.benchmark.metrics),
        );
        let value = json!({
            "from": r.from,
            "to": r.to,
            "benchmark": benchmark,
            "best": r.best().map(|s| s.params.name.clone()),
            "strategies": strategies,
        });
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    fn bars(n: usize, seed: f64) -> Vec<Bar> {
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        (0..n)
            .map(|i| {
                let t = i as f64;
                let c = (40.0 + 5.0 * seed + t * 0.03 * (seed - 1.5))
                    * (1.0 + 0.1 * (t / (9.0 + seed)).sin());
                let c = Decimal::from_f64(c).unwrap().round_dp(2);
                Bar {
                    date: start + Duration::days(i as i64),
                    open: Some(c),
                    high: Some(c * Decimal::new(101, 2)),
                    low: Some(c * Decimal::new(99, 2)),
                    close: c,
                    adj_close: None,
                    volume: Some(1_000_000),
                }
            })
            .collect()
    }

    #[test]
    fn the_streamed_json_is_the_one_tree_json_byte_for_byte() {
        let symbols = (0..4)
            .map(|k| (sym(&format!("S{k}")), bars(400, f64::from(k))))
            .collect();
        let bench = bars(400, 2.0);
        let (from, to) = (bench[250].date, bench[399].date);
        let u = Universe::new(sym("SPY"), bench, symbols, from, to).unwrap();
        let r = rules();
        let config = crate::config::Config::default();
        let params: Vec<StrategyParams> = StrategyKind::ALL
            .iter()
            .map(|&k| StrategyParams::preset(k, &config.backtest, &r))
            .collect();
        let report = run_strategies(
            &u,
            &params,
            &r,
            &config.backtest,
            &|_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        assert!(report.strategies.iter().any(|s| !s.run.trades.is_empty()));
        assert_eq!(json(&report), as_one_tree(&report));
    }
}
