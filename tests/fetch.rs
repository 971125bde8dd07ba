//! `ducklens fetch` against a local HTTP server that serves the documented response shapes.
//! Nothing here touches the internet.

mod common;

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use common::http::serve;

use chrono::NaiveDate;
use ducklens::domain::symbol::Symbol;
use ducklens::store::Store;

fn ms(date: &str) -> i64 {
    // Midnight US/Eastern (EST) is 05:00 UTC.
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(5, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

fn aggregates(ticker: &str, bars: &[(&str, f64)]) -> String {
    let results: Vec<String> = bars
        .iter()
        .map(|(d, c)| {
            format!(
                r#"{{"v":1000,"vw":{c},"o":{c},"c":{c},"h":{h},"l":{l},"t":{t},"n":10}}"#,
                h = c + 1.0,
                l = c - 1.0,
                t = ms(d)
            )
        })
        .collect();
    format!(
        r#"{{"ticker":"{ticker}","queryCount":{n},"resultsCount":{n},"adjusted":true,"results":[{}],"status":"OK","request_id":"r"}}"#,
        results.join(","),
        n = bars.len()
    )
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(base_url: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            format!(
                "[providers]\npolygon_api_key = \"test\"\npolygon_base_url = \"{base_url}\"\nretry_base_ms = 1\nmax_retries = 3\ntimeout_secs = 5\n"
            ),
        )
        .unwrap();
        Env { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("f.duckdb")
    }

    fn fetch(&self, symbols: &[&str]) -> Output {
        let home = self.dir.path();
        Command::new(env!("CARGO_BIN_EXE_ducklens"))
            .arg("--db")
            .arg(self.db())
            .arg("--config")
            .arg(home.join("config.toml"))
            .arg("fetch")
            .args(symbols)
            .arg("--json")
            .env("XDG_STATE_HOME", home.join("state"))
            .env_remove("POLYGON_API_KEY")
            .output()
            .unwrap()
    }

    fn closes(&self, symbol: &str) -> Vec<String> {
        let store = Store::open(&self.db()).unwrap();
        store
            .bars(&Symbol::parse(symbol).unwrap())
            .unwrap()
            .iter()
            .map(|b| format!("{} {}", b.date, b.close.normalize()))
            .collect()
    }
}

fn reports(out: &Output) -> HashMap<String, serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| (r["symbol"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

#[test]
fn each_response_shape_gets_its_own_outcome() {
    let base = serve(Arc::new(|path: &str, nth: u32| {
        let ticker = path.split('/').nth(4).unwrap_or("");
        match ticker {
            "AAA" => (200, vec![], aggregates("AAA", &[("2026-11-20", 10.5), ("2026-11-23", 11.25)])),
            "RATE" if nth == 1 => (429, vec![("Retry-After".into(), "0".into())], String::new()),
            "RATE" => (200, vec![], aggregates("RATE", &[("2026-11-23", 20.0)])),
            "KEY" => (401, vec![], r#"{"status":"ERROR","error":"Unknown API Key"}"#.into()),
            "NONE" => (200, vec![], r#"{"ticker":"NONE","queryCount":0,"resultsCount":0,"adjusted":true,"status":"OK"}"#.into()),
            "JUNK" => (200, vec![], "{\"results\": [ {\"t\": ".into()),
            _ => (500, vec![], String::new()),
        }
    }));
    let env = Env::new(&base);
    let out = env.fetch(&["AAA", "RATE", "KEY", "NONE", "JUNK", "DOWN"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = reports(&out);
    assert_eq!(r["AAA"]["inserted"], 2);
    assert!(r["AAA"]["error"].is_null());
    assert_eq!(r["RATE"]["inserted"], 1, "429 then OK must succeed");
    assert!(r["KEY"]["error"]
        .as_str()
        .unwrap()
        .contains("rejected the API key"));
    assert!(r["NONE"]["error"]
        .as_str()
        .unwrap()
        .contains("knows no symbol NONE"));
    assert!(r["JUNK"]["error"].as_str().unwrap().contains("cannot read"));
    // 500 on every attempt: 1 try + 3 retries.
    assert!(r["DOWN"]["error"]
        .as_str()
        .unwrap()
        .contains("HTTP 500 after 4 attempt(s)"));
    assert_eq!(env.closes("AAA"), ["2026-11-20 10.5", "2026-11-23 11.25"]);
    // Indicators follow the prices.
    let store = Store::open(&env.db()).unwrap();
    let n: i64 = store
        .sql_for_tests()
        .query_row(
            "SELECT count(*) FROM indicators WHERE symbol = 'AAA'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 2);
}

#[test]
fn a_split_replaces_the_whole_history() {
    let base = serve(Arc::new(|path: &str, nth: u32| {
        if nth == 1 {
            (
                200,
                vec![],
                aggregates(
                    "SPLT",
                    &[
                        ("2026-11-18", 200.0),
                        ("2026-11-19", 202.0),
                        ("2026-11-20", 204.0),
                    ],
                ),
            )
        } else {
            // After a 2:1 split the provider's adjusted history is halved, and a new day exists.
            assert!(path.contains("/range/1/day/"));
            (
                200,
                vec![],
                aggregates(
                    "SPLT",
                    &[
                        ("2026-11-18", 100.0),
                        ("2026-11-19", 101.0),
                        ("2026-11-20", 102.0),
                        ("2026-11-23", 103.0),
                    ],
                ),
            )
        }
    }));
    let env = Env::new(&base);
    assert!(env.fetch(&["SPLT"]).status.success());
    let out = env.fetch(&["SPLT"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = reports(&out);
    assert_eq!(r["SPLT"]["refetched_full_history"], true);
    assert_eq!(
        env.closes("SPLT"),
        [
            "2026-11-18 100",
            "2026-11-19 101",
            "2026-11-20 102",
            "2026-11-23 103"
        ]
    );
}

#[test]
fn no_network_is_one_line_per_symbol() {
    // Nothing listens on this port once the listener is dropped.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new(&format!("http://127.0.0.1:{port}"));
    let out = env.fetch(&["AAA", "BBB"]);
    assert_eq!(out.status.code(), Some(1));
    let r = reports(&out);
    for s in ["AAA", "BBB"] {
        let e = r[s]["error"].as_str().unwrap();
        assert!(e.starts_with("cannot reach polygon"), "{e}");
        assert_eq!(e.lines().count(), 1);
    }
}
