//! The headless commands, run as a user would run them: the real binary, a temp database.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ducklens::store::Store;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("test.duckdb")
    }

    fn file(&self, name: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    /// Runs ducklens with every platform dir inside the temp folder.
    fn run(&self, args: &[&str]) -> Output {
        let home = self.dir.path();
        Command::new(env!("CARGO_BIN_EXE_ducklens"))
            .args(args)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env_remove("DUCKLENS_DB")
            .output()
            .unwrap()
    }

    fn run_db(&self, args: &[&str]) -> Output {
        let db = self.db();
        let mut all = vec!["--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Everything an import could have written, as text, to compare before and after.
fn portfolio_state(db: &Path) -> String {
    let store = Store::open(db).unwrap();
    format!(
        "{:?} {:?} {:?}",
        store.holdings().unwrap(),
        store.watchlist().unwrap(),
        store.balance_history().unwrap()
    )
}

const OLD_TOOL_JSON: &str = r#"{
  "cash": 1126.7900000000002,
  "positions": {
    "AAPL": {"symbol": "AAPL", "quantity": 10, "price_paid": 182.5, "purchase_date": "2024-03-01", "notes": "core"},
    "NVDA": {"symbol": "NVDA", "quantity": 4, "price_paid": 450.1, "purchase_date": "2024-04-15", "notes": ""}
  },
  "last_updated": "2024-06-01T10:00:00.123456"
}"#;

#[test]
fn imports_the_previous_tools_json_with_float_drifted_cash() {
    let env = Env::new();
    let file = env.file("portfolio.json", OLD_TOOL_JSON);
    let out = env.run_db(&["import", "portfolio", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Imported 2 holding(s)"));

    let store = Store::open(&env.db()).unwrap();
    let balance = store.latest_balance().unwrap().unwrap();
    assert_eq!(balance.cash.to_string(), "1126.79");
    let holdings = store.holdings().unwrap();
    assert_eq!(holdings.len(), 2);
    assert_eq!(holdings[1].avg_cost.to_string(), "450.1");
}

#[test]
fn truncated_json_and_negative_csv_quantity_change_nothing() {
    let env = Env::new();
    let good = env.file("portfolio.json", OLD_TOOL_JSON);
    assert!(env
        .run_db(&["import", "portfolio", good.to_str().unwrap()])
        .status
        .success());
    let before = portfolio_state(&env.db());

    let truncated = env.file("cut.json", &OLD_TOOL_JSON[..150]);
    let out = env.run_db(&["import", "portfolio", truncated.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("cut.json:"), "{err}");
    assert!(err.contains("not valid JSON"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(portfolio_state(&env.db()), before);

    let csv = env.file(
        "bad.csv",
        "symbol,quantity,avg_cost,opened\nMSFT,3,400,2024-01-02\nAMD,-5,100,2024-01-02\n",
    );
    let out = env.run_db(&["import", "portfolio", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.csv:3: column quantity: must be positive, got -5"),
        "{}",
        stderr(&out)
    );
    assert_eq!(portfolio_state(&env.db()), before);
}

#[test]
fn csv_import_export_round_trip() {
    let env = Env::new();
    let csv = env.file(
        "p.csv",
        "symbol,quantity,avg_cost,opened,notes\nmsft,3,400.5,2024-01-02,cloud\nAMD,5,100,,\n",
    );
    assert!(env
        .run_db(&["import", "portfolio", csv.to_str().unwrap()])
        .status
        .success());
    let out = env.run_db(&["export", "portfolio", "--format", "csv"]);
    assert_eq!(
        stdout(&out),
        "symbol,quantity,avg_cost,opened,notes\nAMD,5,100,,\nMSFT,3,400.5,2024-01-02,cloud\n"
    );
    let json = env.run_db(&["export", "portfolio"]);
    let exported = env.file("exported.json", &stdout(&json));
    let other = Env::new();
    assert!(other
        .run_db(&["import", "portfolio", exported.to_str().unwrap()])
        .status
        .success());
    assert_eq!(
        format!(
            "{:?}",
            Store::open(&other.db()).unwrap().holdings().unwrap()
        ),
        format!("{:?}", Store::open(&env.db()).unwrap().holdings().unwrap())
    );
}

#[test]
fn watchlist_import_and_bad_symbol() {
    let env = Env::new();
    let list = env.file("w.txt", "aapl\nmsft\n# comment\n");
    assert!(env
        .run_db(&["import", "watchlist", list.to_str().unwrap()])
        .status
        .success());
    let out = env.run_db(&["watch", "list"]);
    assert!(stdout(&out).contains("AAPL") && stdout(&out).contains("MSFT"));

    let bad = env.file("bad.txt", "NVDA\nTOO LONG SYMBOL\n");
    let out = env.run_db(&["import", "watchlist", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("bad.txt:2"), "{}", stderr(&out));
    assert!(!stdout(&env.run_db(&["watch", "list"])).contains("NVDA"));
}

#[test]
fn db_check_reports_known_problems() {
    let env = Env::new();
    {
        let store = Store::open(&env.db()).unwrap();
        store
            .sql_for_tests()
            .execute_batch(
                "INSERT INTO holdings VALUES ('GHOST', 1, 10, NULL, NULL);
                 INSERT INTO watchlist VALUES ('NOPE', DATE '2026-01-02', NULL);
                 INSERT INTO prices VALUES
                   ('OLD', DATE '2026-11-02', 10, 11, 9, 10, 10, 100, 'test'),
                   ('BAD', DATE '2026-11-23', 10, 9, 11, 10, 10, 100, 'test'),
                   ('BAD', DATE '2026-11-24', 10, 11, 9, 0, 0, 100, 'test'),
                   ('DUP', DATE '2026-11-23', 10, 11, 9, 10, 10, 100, 'test'),
                   ('DUP', DATE '2026-11-24', 10, 11, 9, 10, 10, 100, 'test');",
            )
            .unwrap();
    }
    let out = env.run_db(&["db-check", "--as-of", "2026-11-25"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for expected in [
        "missing prices: GHOST: held but has no prices",
        "missing prices: NOPE: on the watchlist but has no prices",
        "stale prices: OLD: last bar 2026-11-02 is 17 trading days before 2026-11-25",
        "non-positive price: BAD: 2026-11-24",
        "high below low: BAD: 2026-11-23: high 9.000000 < low 11.000000",
        "duplicate bar: DUP: 2026-11-24",
        "outside the day's range: BAD: 2026-11-24: close 0.000000 outside [9.000000, 11.000000]",
        &format!("Schema version: {}", ducklens::store::LATEST_VERSION),
        "Prices:         2026-11-02 .. 2026-11-24 (3 symbols)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let json = env.run_db(&["db-check", "--as-of", "2026-11-25", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["problems"].as_array().unwrap().len(), 7);
    assert_eq!(value["schema_version"], ducklens::store::LATEST_VERSION);
}

#[test]
fn demo_is_deterministic_and_labelled() {
    let env = Env::new();
    let a = env.dir.path().join("a.duckdb");
    let b = env.dir.path().join("b.duckdb");
    for path in [&a, &b] {
        let out = env.run(&[
            "demo",
            "--db",
            path.to_str().unwrap(),
            "--as-of",
            "2026-11-20",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("DEMO DATA"));
        assert!(
            stdout(&out).contains("No problems found"),
            "{}",
            stdout(&out)
        );
    }
    let summary = |path: &Path| -> (i64, i64, i64, i64, String) {
        let store = Store::open(path).unwrap();
        store
            .sql_for_tests()
            .query_row(
                "SELECT (SELECT count(*) FROM prices), (SELECT count(*) FROM holdings),
                        (SELECT count(*) FROM watchlist), (SELECT count(*) FROM trading_signals),
                        (SELECT sum(close)::VARCHAR FROM prices)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap()
    };
    let first = summary(&a);
    assert_eq!(first, summary(&b));
    assert_eq!(first.1, 7);
    assert_eq!(first.2, 20);
    assert_eq!(first.3, 40);
    // Rebuilding over an existing demo is allowed and gives the same data again.
    let out = env.run(&["demo", "--db", a.to_str().unwrap(), "--as-of", "2026-11-20"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(summary(&a), first);
}

#[test]
fn demo_refuses_to_overwrite_real_data() {
    let env = Env::new();
    let csv = env.file("p.csv", "symbol,quantity,avg_cost,opened\nMSFT,3,400,\n");
    assert!(env
        .run_db(&["import", "portfolio", csv.to_str().unwrap()])
        .status
        .success());
    let out = env.run_db(&["demo"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("holds real data"), "{}", stderr(&out));
    assert_eq!(Store::open(&env.db()).unwrap().holdings().unwrap().len(), 1);
}

#[test]
fn config_errors_name_the_key_and_exit_1() {
    let env = Env::new();
    let cfg = env.file("c.toml", "[sizing]\nmax_positon_pct = 20\n");
    let out = env.run(&["--config", cfg.to_str().unwrap(), "config"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown key `sizing.max_positon_pct`"),
        "{}",
        stderr(&out)
    );

    let cfg = env.file("ok.toml", "[stops]\nloss_pct = 9.0\n");
    let out = env.run(&["--config", cfg.to_str().unwrap(), "config"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("loss_pct = 9.0"), "{}", stdout(&out));
}

#[test]
fn account_and_holding_commands() {
    let env = Env::new();
    let out = env.run_db(&[
        "account",
        "set",
        "--cash",
        "1000.005",
        "--margin-available",
        "500",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.run_db(&["account", "show", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Banker's rounding to the cent: 1000.005 → 1000.00.
    assert_eq!(v["cash"], "1000.00");
    assert!(env
        .run_db(&["holding", "add", "amd", "5", "101.5"])
        .status
        .success());
    assert!(env
        .run_db(&["holding", "edit", "AMD", "--quantity", "6"])
        .status
        .success());
    assert!(stdout(&env.run_db(&["holding", "list"])).contains("609.00"));
    let out = env.run_db(&["holding", "add", "AMD", "0", "10"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("quantity must be positive"),
        "{}",
        stderr(&out)
    );
    let out = env.run_db(&["holding", "remove", "ZZZ"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_mistyped_flag_is_a_user_error_and_help_is_not_an_error() {
    let bin = env!("CARGO_BIN_EXE_ducklens");
    let out = std::process::Command::new(bin)
        .args(["backtest", "--nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--nope"));
    let help = std::process::Command::new(bin)
        .args(["backtest", "--help"])
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--entry-strength"));
}
