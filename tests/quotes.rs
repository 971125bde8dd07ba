//! `ducklens fetch --quotes` against a local HTTP server serving Polygon's snapshot and
//! Stooq's quote CSV, and what the provisional bars do afterwards: replaced by the final bar,
//! used by `intraday`, seen by nobody else.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::http::serve;
use common::{json, ok, run_at, stderr};
use ducklens::domain::quote::eastern_of_utc;
use ducklens::store::Store;

/// The binary's "today" (its local date), read the same way.
fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// 19:52 UTC today: 14:52 EST or 15:52 EDT, the same calendar day in New York.
fn quote_utc() -> NaiveDateTime {
    today().and_hms_opt(19, 52, 0).unwrap()
}

fn nanos(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_nanos_opt().unwrap()
}

fn expected_label() -> String {
    format!(
        "as of {} ET, delayed",
        eastern_of_utc(quote_utc()).format("%H:%M")
    )
}

/// Polygon's documented snapshot entry for one ticker: the day so far and the last trade.
fn ticker(name: &str, last: f64, traded: NaiveDateTime, day_close: f64) -> String {
    format!(
        r#"{{"day":{{"c":{day_close},"h":{h},"l":{l},"o":{o},"v":5000,"vw":{day_close}}},
            "lastQuote":{{"P":{last},"S":1,"p":{last},"s":1,"t":{t}}},
            "lastTrade":{{"c":[14],"i":"1","p":{last},"s":100,"t":{t},"x":4}},
            "prevDay":{{"c":{o},"h":{o},"l":{o},"o":{o},"v":1,"vw":{o}}},
            "ticker":"{name}","todaysChange":0,"todaysChangePerc":0,"updated":{t}}}"#,
        h = day_close.max(last) + 1.0,
        l = day_close.min(last) - 1.0,
        o = day_close,
        t = nanos(traded)
    )
}

fn snapshot(tickers: &[String]) -> String {
    format!(
        r#"{{"count":{},"status":"OK","tickers":[{}]}}"#,
        tickers.len(),
        tickers.join(",")
    )
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(base_url: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ducklens.toml"),
            format!(
                "[providers]\npolygon_api_key = \"test\"\npolygon_base_url = \"{base_url}\"\n\
                 stooq_base_url = \"{base_url}\"\nretry_base_ms = 1\nmax_retries = 3\ntimeout_secs = 5\n"
            ),
        )
        .unwrap();
        Env { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("q.duckdb")
    }

    fn run(&self, args: &[&str]) -> Output {
        let config = self.dir.path().join("ducklens.toml");
        let mut all = vec!["--config", config.to_str().unwrap()];
        all.extend_from_slice(args);
        run_at(self.dir.path(), &self.db(), &all)
    }

    fn reports(&self, args: &[&str]) -> (Option<i32>, serde_json::Value) {
        let out = self.run(args);
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {} {}",
                String::from_utf8_lossy(&out.stdout),
                stderr(&out)
            )
        });
        (out.status.code(), v)
    }
}

fn provisional_rows(db: &Path) -> Vec<String> {
    let store = Store::open(db).unwrap();
    let conn = store.sql_for_tests();
    let mut stmt = conn
        .prepare(
            "SELECT symbol, date, close, quote_time, source FROM provisional_bars ORDER BY symbol",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok(format!(
            "{} {} {} {} {}",
            r.get::<_, String>(0)?,
            r.get::<_, NaiveDate>(1)?,
            r.get::<_, rust_decimal::Decimal>(2)?.normalize(),
            r.get::<_, NaiveDateTime>(3)?,
            r.get::<_, String>(4)?
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn by_symbol(v: &serde_json::Value, symbol: &str) -> serde_json::Value {
    v.as_array()
        .unwrap()
        .iter()
        .find(|r| r["symbol"] == symbol)
        .unwrap_or_else(|| panic!("no {symbol} in {v}"))
        .clone()
}

#[test]
fn polygon_quotes_normal_closed_unknown_and_rate_limited() {
    let yesterday_close = (today() - Duration::days(1)).and_hms_opt(21, 0, 0).unwrap();
    let body = snapshot(&[
        ticker("AAA", 101.25, quote_utc(), 101.0),
        // Market closed for this one: its last trade is yesterday's close, the day is empty.
        ticker("SLEPT", 11.5, yesterday_close, 0.0),
    ]);
    let base = serve(Arc::new(move |path: &str, nth: u32| {
        assert!(
            path.starts_with("/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAA")
                && path.ends_with("&apiKey=test"),
            "{path}"
        );
        if nth == 1 {
            (429, vec![("Retry-After".into(), "0".into())], String::new())
        } else {
            (200, vec![], body.clone())
        }
    }));
    let env = Env::new(&base);
    let (code, v) = env.reports(&["fetch", "--quotes", "AAA", "SLEPT", "NOPE", "--json"]);
    assert_eq!(code, Some(1), "NOPE is a failure: {v}");
    let aaa = by_symbol(&v, "AAA");
    assert_eq!(aaa["stored"], true, "429 then OK must store: {aaa}");
    assert_eq!(aaa["last"], "101.25");
    let slept = by_symbol(&v, "SLEPT");
    assert_eq!(slept["stored"], false);
    assert!(slept["error"].is_null());
    assert!(
        slept["note"]
            .as_str()
            .unwrap()
            .starts_with("no trade today on polygon (last trade ")
            && slept["note"]
                .as_str()
                .unwrap()
                .ends_with("ET): nothing stored for today"),
        "{slept}"
    );
    assert!(by_symbol(&v, "NOPE")["error"]
        .as_str()
        .unwrap()
        .contains("knows no symbol NOPE"));
    let et = eastern_of_utc(quote_utc());
    assert_eq!(
        provisional_rows(&env.db()),
        [format!("AAA {} 101.25 {et} polygon", today())]
    );
    // Provisional bars are not prices: nothing reads them as final.
    assert_eq!(
        common::row_counts(&env.db(), &["prices", "indicators"]),
        [0, 0]
    );

    // The text form says what each line rests on.
    let out = env.run(&["fetch", "--quotes", "AAA"]);
    let text = ok(&out);
    assert!(
        text.contains(&format!(
            "AAA      101.25 {} (provisional)",
            expected_label()
        )),
        "{text}"
    );
}

#[test]
fn a_malformed_snapshot_fails_every_symbol_and_stores_nothing() {
    let base = serve(Arc::new(|_: &str, _| {
        (200, vec![], "{\"tickers\": [ {\"ticker\": ".into())
    }));
    let env = Env::new(&base);
    let (code, v) = env.reports(&["fetch", "--quotes", "AAA", "BBB", "--json"]);
    assert_eq!(code, Some(1));
    for s in ["AAA", "BBB"] {
        let e = by_symbol(&v, s)["error"].as_str().unwrap().to_string();
        assert!(
            e.starts_with("polygon sent a response DuckLens cannot read"),
            "{e}"
        );
    }
    assert!(provisional_rows(&env.db()).is_empty());
}

#[test]
fn stooq_quotes_n_d_and_the_final_bar_replaces_the_provisional_one() {
    // Stooq's clock is Warsaw's: 19:52 UTC is 20:52 CET (21:52 CEST in summer).
    let warsaw = |utc: NaiveDateTime| {
        let summer = ducklens::domain::quote::utc_of_warsaw(utc + Duration::hours(2)) == utc;
        utc + Duration::hours(if summer { 2 } else { 1 })
    };
    let local = warsaw(quote_utc());
    let csv = format!(
        "Symbol,Date,Time,Open,High,Low,Close,Volume\n\
         AAA.US,{},{},100,102.5,99.5,101.75,123456\n\
         ZZZZ.US,N/D,N/D,N/D,N/D,N/D,N/D,N/D\n",
        local.date(),
        local.time()
    );
    let final_day = today();
    let base = serve(Arc::new(move |path: &str, _| {
        if path.starts_with("/q/l/?s=aaa.us+zzzz.us&f=sd2t2ohlcv&h&e=csv") {
            (200, vec![], csv.clone())
        } else if path.starts_with("/q/d/l/?s=aaa.us") {
            // The day's final bar, as Stooq's daily CSV gives it after the close.
            (
                200,
                vec![],
                format!("Date,Open,High,Low,Close,Volume\n{final_day},100,103,99,102.5,200000\n"),
            )
        } else {
            (404, vec![], String::new())
        }
    }));
    let env = Env::new(&base);
    let (code, v) = env.reports(&[
        "fetch",
        "--quotes",
        "--provider",
        "stooq",
        "AAA",
        "ZZZZ",
        "--json",
    ]);
    assert_eq!(code, Some(1));
    assert!(by_symbol(&v, "ZZZZ")["error"]
        .as_str()
        .unwrap()
        .contains("stooq knows no symbol ZZZZ"));
    let et = eastern_of_utc(quote_utc());
    assert_eq!(
        provisional_rows(&env.db()),
        [format!("AAA {} 101.75 {et} stooq", today())]
    );

    // The regular fetch brings the final bar: the provisional one goes in the same transaction.
    ok(&env.run(&["fetch", "--provider", "stooq", "AAA", "--json"]));
    assert!(provisional_rows(&env.db()).is_empty());
    assert_eq!(common::row_counts(&env.db(), &["prices"]), [1]);
    // A quote of a day whose final bar is stored is not kept.
    let (_, v) = env.reports(&[
        "fetch",
        "--quotes",
        "--provider",
        "stooq",
        "AAA",
        "ZZZZ",
        "--json",
    ]);
    assert_eq!(by_symbol(&v, "AAA")["stored"], false);
    assert!(provisional_rows(&env.db()).is_empty());
}

/// A demo portfolio closed yesterday; at 14:52 a quote puts HELX (cost 261.43, no stop at
/// yesterday's close) at 200 and SPY at yesterday's close.
#[test]
fn intraday_on_quotes_recomputes_the_figures_and_flags_the_stops_hit_since_the_morning() {
    let yesterday =
        ducklens::domain::calendar::last_trading_day_on_or_before(today() - Duration::days(1));
    let spy_close = std::sync::Mutex::new(String::new());
    let env_dir = tempfile::tempdir().unwrap();
    let db = env_dir.path().join("q.duckdb");
    ok(&run_at(
        env_dir.path(),
        &db,
        &["demo", "--as-of", &yesterday.to_string(), "--no-tui"],
    ));
    let morning = json(&run_at(env_dir.path(), &db, &["intraday", "--json"]));
    let helx_morning = morning["holdings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["symbol"] == "HELX")
        .unwrap()
        .clone();
    assert_eq!(helx_morning["avg_cost"], "261.43");
    assert_eq!(helx_morning["alerts"].as_array().unwrap().len(), 0);
    {
        let store = Store::open(&db).unwrap();
        let spy = store
            .bars(&ducklens::domain::symbol::Symbol::parse("SPY").unwrap())
            .unwrap();
        *spy_close.lock().unwrap() = spy.last().unwrap().close.normalize().to_string();
    }
    let spy = spy_close.lock().unwrap().clone();
    let body = snapshot(&[
        ticker("HELX", 200.0, quote_utc(), 200.0),
        ticker(
            "SPY",
            spy.parse().unwrap(),
            quote_utc(),
            spy.parse().unwrap(),
        ),
    ]);
    let base = serve(Arc::new(move |_: &str, _| (200, vec![], body.clone())));
    let env = Env { dir: env_dir };
    std::fs::write(
        env.dir.path().join("ducklens.toml"),
        format!("[providers]\npolygon_api_key = \"test\"\npolygon_base_url = \"{base}\"\n"),
    )
    .unwrap();
    ok(&env.run(&["fetch", "--quotes", "HELX", "SPY"]));

    // `indicators` opts in: today's line, marked, after the final bars.
    let text = ok(&env.run(&["indicators", "HELX"]));
    assert!(text.contains(&format!("{} *", today())), "{text}");
    assert!(
        text.contains(&format!(
            "* provisional: today's quote {}; recomputed, not stored",
            expected_label()
        )),
        "{text}"
    );

    let live = json(&env.run(&["intraday", "--json"]));
    assert_eq!(live["as_of"], today().to_string());
    assert_eq!(live["provisional"]["label"], expected_label());
    assert!(live["warnings"][0].as_str().unwrap().starts_with(&format!(
        "PROVISIONAL: today's prices of 2 symbol(s) are quotes {} (polygon)",
        expected_label()
    )));
    let helx = live["holdings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["symbol"] == "HELX")
        .unwrap()
        .clone();
    assert_eq!(
        (helx["price"].as_str(), helx["price_date"].as_str()),
        (Some("200"), Some(today().to_string().as_str()))
    );
    // RSI recomputed with today's close, not read from a stored row.
    assert_ne!(helx["rsi_14"], helx_morning["rsi_14"]);
    // 200 / 261.43 − 1 = −23.5 %: beyond the 8 % stop, and new since the morning.
    let new: Vec<String> = live["stops_since_morning"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {}: {}",
                s["symbol"].as_str().unwrap(),
                s["kind"].as_str().unwrap(),
                s["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        new.contains(
            &"HELX percentage stop: down 23.5 % from cost 261.43 (stop at 8 %)".to_string()
        ),
        "{new:?}"
    );
    // Nothing computed from a quote is stored: no indicators of today, no signal recorded.
    assert_eq!(live["recorded"], 0);
    let store = Store::open(&db).unwrap();
    let today_rows: i64 = store
        .sql_for_tests()
        .query_row(
            "SELECT count(*) FROM indicators WHERE date = ?",
            [today()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(today_rows, 0);
    drop(store);
    // The text report names the quote time and the new stop.
    let text = ok(&env.run(&["intraday"]));
    assert!(text.contains(&expected_label()), "{text}");
    assert!(
        text.contains("NEW SINCE THE MORNING (provisional): HELX percentage stop"),
        "{text}"
    );
}
