//! The app and the command line on one database file: the app's worker holds the file only
//! while it works, so another process writes while the app is open, and the app sees it on
//! its next refresh. A file held for longer is refused after a short wait, naming the holder.

mod common;

use std::time::Duration;

use chrono::NaiveDate;
use common::{run_at, stderr};
use ducklens::config::Config;
use ducklens::domain::portfolio::WatchItem;
use ducklens::domain::symbol::Symbol;
use ducklens::service::ops::Op;
use ducklens::service::Context;
use ducklens::store::Store;
use ducklens::tui::worker::{self, Command, Event, Job, JobId};
use tokio::sync::mpsc::UnboundedReceiver;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn context(dir: &std::path::Path) -> Context {
    let path = dir.join("demo.duckdb");
    ducklens::cli::build_demo(&path, today()).unwrap();
    Context {
        db_path: path,
        db_flag: None,
        config: Config::from_toml_str("", "defaults").unwrap(),
        today: today(),
    }
}

async fn next(events: &mut UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(60), events.recv())
        .await
        .expect("an event within 60 s")
        .expect("the worker is alive")
}

const WRITES: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_writes_while_the_app_works_and_the_app_sees_it_after_a_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path());
    let db = ctx.db_path.clone();
    let (commands, mut events) = worker::spawn(
        &tokio::runtime::Handle::current(),
        Store::open(&db).unwrap(),
        ctx,
    );
    commands
        .send(Job {
            id: JobId(1),
            command: Command::Refresh,
        })
        .unwrap();
    let Event::Loaded(before) = next(&mut events).await else {
        panic!("expected Loaded")
    };
    let signals_before = before.signals.len();

    // Another terminal records signals while the app saves watchlist entries: both sides
    // take turns on the file, each waiting briefly when the other holds it.
    let home = dir.path().to_path_buf();
    let cli_db = db.clone();
    let cli = std::thread::spawn(move || {
        for i in 0..WRITES {
            let note = format!("from the terminal {i}");
            let out = run_at(
                &home,
                &cli_db,
                &[
                    "signals",
                    "record",
                    "--symbol",
                    "ZNTH",
                    "--type",
                    "BUY",
                    "--date",
                    "2026-11-20",
                    "--notes",
                    &note,
                ],
            );
            assert!(out.status.success(), "CLI write {i}: {}", stderr(&out));
        }
    });
    let added: Vec<String> = (0..WRITES).map(|i| format!("ZW{i}")).collect();
    for (i, s) in added.iter().enumerate() {
        let op = Op::AddWatch(vec![WatchItem {
            symbol: Symbol::parse(s).unwrap(),
            added: today(),
            notes: None,
        }]);
        commands
            .send(Job {
                id: JobId(10 + i as u64),
                command: Command::Apply(op),
            })
            .unwrap();
        loop {
            match next(&mut events).await {
                Event::Loaded(_) => continue,
                Event::Saved { .. } => break,
                Event::Failed { message, .. } => panic!("app write {i}: {message}"),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    cli.join().unwrap();

    // `r`: the app's next refresh shows the terminal's signals.
    commands
        .send(Job {
            id: JobId(99),
            command: Command::Refresh,
        })
        .unwrap();
    let Event::Loaded(after) = next(&mut events).await else {
        panic!("expected Loaded")
    };
    assert_eq!(after.signals.len(), signals_before + WRITES);
    let from_terminal = after
        .signals
        .iter()
        .filter(|s| {
            s.notes
                .as_deref()
                .is_some_and(|n| n.starts_with("from the terminal"))
        })
        .count();
    assert_eq!(from_terminal, WRITES);
    // Nothing of the app's was lost either; and the idle app does not hold the file.
    let store = Store::open(&db).expect("the idle app holds no lock");
    let watched: Vec<String> = store
        .watchlist()
        .unwrap()
        .iter()
        .map(|w| w.symbol.to_string())
        .collect();
    for s in &added {
        assert!(watched.contains(s), "{s} missing from {watched:?}");
    }
}

#[test]
fn a_file_held_longer_than_the_wait_is_refused_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("held.duckdb");
    // An existing file, as a user's is: it is checked through a read-only attachment before
    // the one that writes, and the lock must still be held after (`store::attach`).
    drop(Store::open(&db).unwrap());
    let holder = Store::open(&db).unwrap();
    let started = std::time::Instant::now();
    let out = run_at(dir.path(), &db, &["holding", "list"]);
    let waited = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("held.duckdb is busy: "), "{message}");
    assert!(
        message.contains(&format!("(PID {})", std::process::id())),
        "{message}"
    );
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    // It looked every 10 ms for 5 s before giving up.
    assert!(waited >= Duration::from_millis(5000), "{waited:?}");
    drop(holder);
    let out = run_at(dir.path(), &db, &["holding", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
