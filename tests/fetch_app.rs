//! The app's fetch key against a local HTTP server serving Polygon's documented shapes: the
//! app driven by keys against the real worker, as in tests/tui_worker.rs.

mod common;

use std::cell::RefCell;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, Weekday};
use common::http::serve;
use common::running::Running;
use crossterm::event::KeyCode;
use ducklens::config::Config;
use ducklens::domain::portfolio::WatchItem;
use ducklens::domain::symbol::Symbol;
use ducklens::service::ops::{self, Op};
use ducklens::service::Context;
use ducklens::store::Store;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// 28 watchlist symbols (WA…WZ, XA, XB) and the market's SPY and QQQ: 30. XB is unknown.
fn watchlist() -> Vec<String> {
    let mut out: Vec<String> = ('A'..='Z').map(|c| format!("W{c}")).collect();
    out.extend(["XA".to_string(), "XB".to_string()]);
    out
}

/// 60 weekday bars before today, closes 100, 100.5, 101, …
fn aggregates(ticker: &str) -> String {
    let mut days = Vec::new();
    let mut d = today().pred_opt().unwrap();
    while days.len() < 60 {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            days.push(d);
        }
        d = d.pred_opt().unwrap();
    }
    days.reverse();
    let results: Vec<String> = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let c = 100.0 + i as f64 * 0.5;
            let t = day
                .and_hms_opt(5, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis();
            format!(
                r#"{{"v":1000,"vw":{c},"o":{c},"c":{c},"h":{h},"l":{l},"t":{t},"n":1}}"#,
                h = c + 1.0,
                l = c - 1.0
            )
        })
        .collect();
    format!(
        r#"{{"ticker":"{ticker}","queryCount":60,"resultsCount":60,"adjusted":true,"results":[{}],"status":"OK"}}"#,
        results.join(",")
    )
}

/// Every asked ticker but XB traded at 150 at 19:52 UTC today (14:52 EST).
fn snapshot(path: &str) -> String {
    let t = today()
        .and_hms_opt(19, 52, 0)
        .unwrap()
        .and_utc()
        .timestamp_nanos_opt()
        .unwrap();
    let asked = path
        .split("tickers=")
        .nth(1)
        .unwrap_or("")
        .split('&')
        .next()
        .unwrap_or("");
    let tickers: Vec<String> = asked
        .split(',')
        .filter(|s| *s != "XB" && !s.is_empty())
        .map(|s| {
            format!(
                r#"{{"day":{{"c":149.5,"h":151,"l":148,"o":149,"v":900,"vw":149.6}},"lastTrade":{{"p":150,"s":1,"t":{t},"x":4}},"ticker":"{s}","updated":{t}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"count":{},"status":"OK","tickers":[{}]}}"#,
        tickers.len(),
        tickers.join(",")
    )
}

fn server(delay: Duration) -> String {
    serve(Arc::new(move |path: &str, _| {
        std::thread::sleep(delay);
        if path.starts_with("/v2/snapshot/") {
            return (200, vec![], snapshot(path));
        }
        let ticker = path.split('/').nth(4).unwrap_or("");
        if ticker == "XB" {
            (
                200,
                vec![],
                r#"{"ticker":"XB","queryCount":0,"resultsCount":0,"adjusted":true,"status":"OK"}"#
                    .into(),
            )
        } else {
            (200, vec![], aggregates(ticker))
        }
    }))
}

fn context(dir: &std::path::Path, base: &str) -> Context {
    let config = Config::from_toml_str(
        &format!("[providers]\npolygon_api_key = \"test\"\npolygon_base_url = \"{base}\"\nretry_base_ms = 1\nmax_retries = 1\ntimeout_secs = 5\n"),
        "test",
    )
    .unwrap();
    let ctx = Context {
        db_path: dir.join("live.duckdb"),
        db_flag: None,
        config,
        today: today(),
    };
    let mut store = Store::open(&ctx.db_path).unwrap();
    let items = watchlist()
        .iter()
        .map(|s| WatchItem {
            symbol: Symbol::parse(s).unwrap(),
            added: today(),
            notes: None,
        })
        .collect();
    ops::apply(&ctx, &mut store, Op::AddWatch(items)).unwrap();
    ctx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fetch_key_brings_bars_and_quotes_for_30_symbols_and_the_tabs_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), &server(Duration::ZERO));
    let mut run = Running::start(ctx, false).await;
    assert!(
        run.app.data.as_ref().unwrap().analysis.is_none(),
        "no prices before the fetch"
    );

    let started = Instant::now();
    run.key(KeyCode::Char('f'));
    let seen = RefCell::new(Vec::<String>::new());
    run.settle("the fetch", |a| {
        seen.borrow_mut().extend(a.status.busy.clone());
        a.fetch.running.is_none()
    })
    .await;
    let elapsed = started.elapsed();
    println!(
        "fetch key to refreshed tabs, 30 symbols, local server: {} ms",
        elapsed.as_millis()
    );

    let seen = seen.into_inner();
    // Holdings (none), the watchlist, then the market symbols; then one quote request.
    assert!(
        seen.contains(&"fetch WA 0/30 · Esc cancels".to_string()),
        "{seen:?}"
    );
    assert!(
        seen.contains(&"fetch QQQ 29/30 · Esc cancels".to_string()),
        "{seen:?}"
    );
    assert!(
        seen.contains(&"fetch quotes 30/30 · Esc cancels".to_string()),
        "{seen:?}"
    );
    assert_eq!(
        run.app.status.message.as_deref(),
        Some("30 symbols: 29 fetched, 29 quotes of 2026-12-01 (as of 14:52 ET, delayed)")
    );
    assert_eq!(
        run.app.fetch.failures,
        [
            "XB: polygon knows no symbol XB",
            "XB quote: polygon knows no symbol XB"
        ]
    );
    assert!(run
        .app
        .status
        .error
        .as_deref()
        .unwrap()
        .starts_with("2 failed: XB: "));
    // The tabs were refreshed with today's quotes appended, and say so.
    let d = run.app.data.as_ref().unwrap();
    assert_eq!(d.analysis.as_ref().unwrap().as_of, today());
    assert_eq!(d.live.as_ref().unwrap().label, "as of 14:52 ET, delayed");
    assert!(d.analysis.as_ref().unwrap().warnings[0].starts_with("PROVISIONAL"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_cancels_a_fetch_before_its_next_symbol() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), &server(Duration::from_millis(100)));
    let db = ctx.db_path.clone();
    let mut run = Running::start(ctx, false).await;
    run.key(KeyCode::Char('f'));
    run.settle("the first symbol", |a| {
        a.status
            .busy
            .as_deref()
            .is_some_and(|b| b.starts_with("fetch WA"))
    })
    .await;
    run.key(KeyCode::Esc);
    run.settle("the cancel", |a| a.fetch.running.is_none())
        .await;
    assert_eq!(
        run.app.status.message.as_deref(),
        Some("Fetch cancelled; what came so far is stored")
    );
    // At 100 ms a request, the cancel came long before the 30th symbol; no quote was asked.
    let store = Store::open(&db).unwrap();
    let symbols: i64 = store
        .sql_for_tests()
        .query_row("SELECT count(DISTINCT symbol) FROM prices", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!((1..30).contains(&symbols), "{symbols}");
    let quotes: i64 = store
        .sql_for_tests()
        .query_row("SELECT count(*) FROM provisional_bars", [], |r| r.get(0))
        .unwrap();
    assert_eq!(quotes, 0);
}
