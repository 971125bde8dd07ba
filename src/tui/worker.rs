//! The background worker: the only code of the app that touches DuckDB. The UI sends
//! [`Job`]s — a [`Command`] under the [`JobId`] the app gave it — and renders the [`Event`]s
//! that come back; every command runs on tokio's blocking pool so a keypress is never queued
//! behind a query or a computation.
//!
//! Every answer names its job, so the app knows which form or run it concerns:
//!
//! | command | answers |
//! |---|---|
//! | `Refresh` | `Loaded`, or `Failed { job }` |
//! | `LoadChart` | `Chart`, or `Failed { job }` |
//! | a write | `Loaded` (the data with the change), then `Saved { job }`; or `Failed { job }` |
//! | `RunBacktest` | `Accepted { job }` once its inputs are ready, `Progress { job }` on the way, then `Backtest { job }`, `Cancelled { job }` or `Failed { job }`; a run that cannot start answers `Failed { job }` without `Accepted` |
//! | `CancelBacktest(target)` | nothing itself: the target answers `Cancelled` (or its result, when the cancel came too late) |

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{NaiveDate, NaiveTime};
use color_eyre::eyre::{eyre, Result};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use super::backtest_job::{self, BacktestOutcome, BacktestRequest};
use super::data::{self, ChartData, Dashboard};
use crate::domain::analyzer::Analysis;
use crate::domain::execution::Fill;
use crate::domain::journal::SignalRecord;
use crate::domain::portfolio::{AccountBalance, Holding, WatchItem};
use crate::domain::symbol::Symbol;
use crate::service::journal_ops;
use crate::service::swap::{execute_in, SwapFills};
use crate::service::Context;
use crate::store::{self, Store};

/// The number the app gives each command it sends; every answer of the worker carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

impl std::fmt::Display for JobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "job {}", self.0)
    }
}

/// A command as sent: what to do, and the id its answers will carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub command: Command,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Refresh,
    LoadChart(Symbol),
    SaveBalance(AccountBalance),
    AddWatch(WatchItem),
    RemoveWatch(Symbol),
    /// Adds or replaces a holding; `replaces` names the row it was edited from, removed in
    /// the same transaction when the symbol changed.
    SaveHolding {
        holding: Holding,
        replaces: Option<Symbol>,
    },
    RemoveHolding(Symbol),
    NewSignal(NewSignal),
    TakeSignal {
        id: i64,
        date: NaiveDate,
        price: rust_decimal::Decimal,
        quantity: rust_decimal::Decimal,
    },
    CloseSignal {
        id: i64,
        date: NaiveDate,
        price: rust_decimal::Decimal,
        outcome: Option<String>,
    },
    NoteSignal {
        id: i64,
        text: String,
    },
    RecordSwaps,
    ExecuteSwap {
        sell: Fill,
        buy: Fill,
        date: NaiveDate,
    },
    /// Runs beside the other commands: a backtest never holds up a save or a refresh.
    RunBacktest(BacktestRequest),
    /// Stops the backtest run as this job at its next day.
    CancelBacktest(JobId),
}

/// A new journal entry as typed in the form; the rest is filled from that day's data.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSignal {
    pub symbol: String,
    pub signal_type: String,
    pub price: Option<String>,
    pub strength: Option<f64>,
    pub date: Option<NaiveDate>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Event {
    /// Fresh data: the answer to a refresh, and sent by a write just before its `Saved`.
    Loaded(Box<Dashboard>),
    Chart(ChartData),
    /// The job started: a backtest has its inputs and computes.
    Accepted {
        job: JobId,
    },
    /// A write succeeded; the `Loaded` with its effect came just before.
    Saved {
        job: JobId,
        message: String,
    },
    /// The job failed, or (a backtest) could not start; the message says what to do.
    Failed {
        job: JobId,
        message: String,
    },
    /// Backtest runs (or sweep points) finished so far.
    Progress {
        job: JobId,
        done: usize,
        total: usize,
    },
    /// The backtest finished.
    Backtest {
        job: JobId,
        outcome: Box<BacktestOutcome>,
    },
    /// The backtest stopped at the user's request.
    Cancelled {
        job: JobId,
    },
}

struct Worker {
    ctx: Context,
    store: Mutex<Store>,
    /// The morning analysis of the last refresh: what "record" and "execute" act on.
    last_analysis: Mutex<Option<Analysis>>,
    /// The cancel flag of each backtest under way.
    cancels: Mutex<HashMap<JobId, Arc<AtomicBool>>>,
}

/// Starts the worker on `runtime`. Commands run one at a time, in order, off the async
/// threads, except a backtest, which runs beside them; the returned receiver gets the
/// answers of each job (see the table above).
pub fn spawn(
    runtime: &tokio::runtime::Handle,
    store: Store,
    ctx: Context,
) -> (UnboundedSender<Job>, UnboundedReceiver<Event>) {
    let (cmd_tx, mut cmd_rx) = unbounded_channel::<Job>();
    let (ev_tx, ev_rx) = unbounded_channel::<Event>();
    let worker = Arc::new(Worker {
        ctx,
        store: Mutex::new(store),
        last_analysis: Mutex::new(None),
        cancels: Mutex::new(HashMap::new()),
    });
    runtime.spawn(async move {
        while let Some(Job { id: job, command }) = cmd_rx.recv().await {
            let worker = Arc::clone(&worker);
            let events = ev_tx.clone();
            match command {
                Command::CancelBacktest(target) => {
                    if let Some(flag) = lock(&worker.cancels).get(&target) {
                        flag.store(true, Ordering::Relaxed);
                    }
                }
                Command::RunBacktest(request) => {
                    let cancel = Arc::new(AtomicBool::new(false));
                    lock(&worker.cancels).insert(job, Arc::clone(&cancel));
                    // Not awaited here: the queue moves on while the backtest computes.
                    tokio::spawn(async move {
                        let watched = events.clone();
                        let done = Arc::clone(&worker);
                        let run = tokio::task::spawn_blocking(move || {
                            worker.backtest(job, &request, &cancel, &events)
                        });
                        let panicked = run.await.is_err();
                        lock(&done.cancels).remove(&job);
                        if panicked {
                            let _ = watched.send(Event::Failed {
                                job,
                                message: "internal error: the backtest panicked".into(),
                            });
                        }
                    });
                }
                command => {
                    let run =
                        tokio::task::spawn_blocking(move || worker.handle(job, command, &events));
                    if run.await.is_err() {
                        let _ = ev_tx.send(Event::Failed {
                            job,
                            message: "internal error: a worker task panicked".into(),
                        });
                    }
                }
            }
        }
    });
    (cmd_tx, ev_rx)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Worker {
    fn handle(&self, job: JobId, command: Command, events: &UnboundedSender<Event>) {
        let outcome = match command {
            Command::Refresh => self.refresh().map(|d| Event::Loaded(Box::new(d))),
            Command::LoadChart(symbol) => {
                data::load_chart(&lock(&self.store), &symbol).map(Event::Chart)
            }
            write => self.write(write).map(|message| {
                // The fresh data goes first, so that once the user sees "saved" the tables
                // already show the change. The write stands even when the reload fails.
                let message = match self.refresh() {
                    Ok(d) => {
                        let _ = events.send(Event::Loaded(Box::new(d)));
                        message
                    }
                    Err(e) => format!("{message}; reloading failed ({}): press r", message_of(&e)),
                };
                Event::Saved { job, message }
            }),
        };
        let event = outcome.unwrap_or_else(|e| {
            tracing::warn!("{e:?}");
            Event::Failed {
                job,
                message: message_of(&e),
            }
        });
        let _ = events.send(event);
    }

    fn backtest(
        &self,
        job: JobId,
        request: &BacktestRequest,
        cancel: &AtomicBool,
        events: &UnboundedSender<Event>,
    ) {
        let event = match backtest_job::run(&self.ctx, &self.store, job, request, cancel, events) {
            Ok(Some(outcome)) => Event::Backtest {
                job,
                outcome: Box::new(outcome),
            },
            Ok(None) => Event::Cancelled { job },
            Err(e) => Event::Failed {
                job,
                message: message_of(&e),
            },
        };
        let _ = events.send(event);
    }

    fn refresh(&self) -> Result<Dashboard> {
        let mut store = lock(&self.store);
        let dashboard = data::load_dashboard(&self.ctx, &mut store)?;
        *lock(&self.last_analysis) = dashboard.analysis.clone();
        Ok(dashboard)
    }

    fn write(&self, command: Command) -> Result<String> {
        self.refuse_future(&command)?;
        let mut store = lock(&self.store);
        match command {
            Command::SaveBalance(b) => {
                store.record_balance(&b)?;
                Ok(format!("Balances of {} saved", b.as_of))
            }
            Command::AddWatch(w) => {
                store.add_watch(&w)?;
                Ok(format!("{} added to the watchlist", w.symbol))
            }
            Command::RemoveWatch(s) => {
                store.remove_watch(&s)?;
                Ok(format!("{s} removed from the watchlist"))
            }
            Command::SaveHolding { holding, replaces } => {
                let renamed = replaces.filter(|old| *old != holding.symbol);
                store.in_transaction(|tx| {
                    if let Some(old) = &renamed {
                        if store::holdings(tx)?
                            .iter()
                            .any(|h| h.symbol == holding.symbol)
                        {
                            return Err(store::StoreError::Invalid(format!(
                                "{} is already held: edit that holding instead",
                                holding.symbol
                            )));
                        }
                        store::remove_holding(tx, old)?;
                    }
                    store::upsert_holding(tx, &holding)
                })?;
                Ok(match renamed {
                    Some(old) => format!("Holding {old} renamed to {}", holding.symbol),
                    None => format!("Holding {} saved", holding.symbol),
                })
            }
            Command::RemoveHolding(s) => {
                store.remove_holding(&s)?;
                Ok(format!("Holding {s} removed"))
            }
            Command::NewSignal(n) => {
                let s = self.new_signal(&store, n)?;
                let id = store::insert_signal(store.conn(), &s)?;
                Ok(format!(
                    "Signal {id} recorded: {} {}",
                    s.signal_type.as_str(),
                    s.symbol
                ))
            }
            Command::TakeSignal {
                id,
                date,
                price,
                quantity,
            } => {
                let s = journal_ops::take(&self.ctx, &store, id, Some(date), price, quantity)?;
                Ok(format!(
                    "Signal {id}: taken, {quantity} {} @ {price}",
                    s.symbol
                ))
            }
            Command::CloseSignal {
                id,
                date,
                price,
                outcome,
            } => {
                let s = journal_ops::close(
                    &self.ctx,
                    &store,
                    id,
                    Some(date),
                    price,
                    outcome.as_deref(),
                    false,
                )?;
                Ok(format!(
                    "Signal {id}: closed, P&L {:.2} ({})",
                    s.actual_profit.unwrap_or_default(),
                    s.outcome.map_or("", |o| o.as_str())
                ))
            }
            Command::NoteSignal { id, text } => {
                journal_ops::note(&store, id, &text)?;
                Ok(format!("Signal {id}: notes saved"))
            }
            Command::RecordSwaps => self.record_swaps(&mut store),
            Command::ExecuteSwap { sell, buy, date } => self.execute(&mut store, &sell, &buy, date),
            // Reads are answered in `handle`, backtests beside the queue in `spawn`.
            Command::Refresh
            | Command::LoadChart(_)
            | Command::RunBacktest(_)
            | Command::CancelBacktest(_) => Ok(String::new()),
        }
    }

    /// Nothing is recorded in the future: the same rule as the command line's.
    fn refuse_future(&self, command: &Command) -> Result<()> {
        let (field, date) = match command {
            Command::SaveBalance(b) => ("Date", Some(b.as_of)),
            Command::SaveHolding { holding, .. } => ("Opened", holding.opened),
            Command::NewSignal(n) => ("Date", n.date),
            Command::TakeSignal { date, .. } => ("Entry date", Some(*date)),
            Command::CloseSignal { date, .. } => ("Exit date", Some(*date)),
            Command::ExecuteSwap { date, .. } => ("Date", Some(*date)),
            _ => return Ok(()),
        };
        if date.is_some() {
            self.ctx.fact_date(field, date)?;
        }
        Ok(())
    }

    fn new_signal(&self, store: &Store, n: NewSignal) -> Result<SignalRecord> {
        let draft = crate::service::record::SignalDraft {
            symbol: n.symbol,
            signal_type: n.signal_type,
            source: "manual".into(),
            strength: n.strength,
            price: n.price,
            notes: n.notes,
            date: n.date,
        };
        crate::service::record::record(&self.ctx, store, draft)
    }

    fn analysis(&self) -> Result<Analysis> {
        lock(&self.last_analysis)
            .clone()
            .ok_or_else(|| eyre!("no analysis yet: press r to refresh"))
    }

    fn record_swaps(&self, store: &mut Store) -> Result<String> {
        let a = self.analysis()?;
        if a.swaps.is_empty() {
            return Ok("No swaps to record".into());
        }
        let time = a
            .as_of
            .and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default());
        let r = store.in_transaction(|tx| store::record_swaps(tx, &a, time))?;
        Ok(format!(
            "Recorded {} recommendation(s) and {} signal(s); already stored ones were kept",
            r.recommendations, r.signals
        ))
    }

    /// Records the swap (if not yet) and executes it through the same use-case as
    /// `ducklens swap execute`, in one transaction.
    fn execute(
        &self,
        store: &mut Store,
        sell: &Fill,
        buy: &Fill,
        date: NaiveDate,
    ) -> Result<String> {
        let a = self.analysis()?;
        let time = a
            .as_of
            .and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default());
        let fills = SwapFills {
            sell_quantity: Some(sell.quantity),
            sell_price: Some(sell.price),
            buy_quantity: Some(buy.quantity),
            buy_price: Some(buy.price),
            date: Some(date),
        };
        let today = self.ctx.today;
        let done = store.in_transaction(|tx| {
            store::record_swaps(tx, &a, time)?;
            let id = store::stored_swap_id(tx, a.as_of, &sell.symbol, &buy.symbol)?.ok_or_else(
                || {
                    store::StoreError::Invalid(format!(
                        "no recommendation {} → {} on {}",
                        sell.symbol, buy.symbol, a.as_of
                    ))
                },
            )?;
            execute_in(tx, today, id, &fills)
        })?;
        Ok(done.summary())
    }
}

/// The one-line message of an error chain, as the status bar shows it.
fn message_of(e: &color_eyre::Report) -> String {
    e.to_string()
}
