//! The background worker: the only code of the app that touches DuckDB. The UI sends
//! [`Job`]s — a [`Command`] under the [`JobId`] the app gave it — and renders the [`Event`]s
//! that come back; every command runs on tokio's blocking pool so a keypress is never queued
//! behind a query or a computation.
//!
//! Every answer names its job, so the app knows which form or run it concerns:
//!
//! | command | answers |
//! |---|---|
//! | `Start` | `Loaded` without the journal's verdicts and statistics, or `Failed { job }` |
//! | `Refresh` | `Loaded`, or `Failed { job }` |
//! | `LoadChart` | `Chart`, or `Failed { job }` |
//! | `Apply(op)` | `Loaded` (the data with the change), then `Saved { job }` with the operation's summary; or `Failed { job }` with its refusal |
//! | `RunBacktest` | `Accepted { job }` once its inputs are ready, `Progress { job }` on the way, then `Backtest { job }`, `Cancelled { job }` or `Failed { job }`; a run that cannot start answers `Failed { job }` without `Accepted` |
//! | `CancelBacktest(target)` | nothing itself: the target answers `Cancelled` (or its result, when the cancel came too late) |
//! | `Fetch` | `Fetching { job }` per symbol, then `Loaded` and `Fetched { job }`; or `Loaded` and `Cancelled { job }`; or `Failed { job }` |
//! | `CancelFetch(target)` | as `CancelBacktest` |
//! | `Import(request)` | `Loaded` when anything was written, then `Saved { job }` with the summary `ducklens import` prints; or `Failed { job }` naming the file and line |

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use color_eyre::eyre::Result;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use super::backtest_job::{self, BacktestOutcome, BacktestRequest};
use super::data::{self, ChartData, Dashboard};
use super::fetch_job::{self, FetchOutcome};
use crate::domain::symbol::Symbol;
use crate::service::import::ImportRequest;
use crate::service::ops::{self, Op, OpError};
use crate::service::Context;
use crate::store::{SharedStore, Store};

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
    /// The app's first load: no judging, no statistics, so the first frame has data at once;
    /// the app sends `Refresh` right behind it.
    Start,
    Refresh,
    LoadChart(Symbol),
    /// A change, through the same `service::ops::apply` as the command line's.
    Apply(Op),
    /// Runs beside the other commands: a backtest never holds up a save or a refresh.
    RunBacktest(BacktestRequest),
    /// Stops the backtest run as this job at its next day.
    CancelBacktest(JobId),
    /// Daily bars, then today's quotes, for the app's symbols; runs beside the queue.
    Fetch,
    /// Stops the fetch run as this job before its next symbol.
    CancelFetch(JobId),
    /// A file read, parsed and stored here, as `ducklens import` does (issue 17).
    Import(ImportRequest),
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
    /// The backtest or fetch stopped at the user's request.
    Cancelled {
        job: JobId,
    },
    /// A fetch is at this symbol (`done` of `total` finished before it).
    Fetching {
        job: JobId,
        symbol: String,
        done: usize,
        total: usize,
    },
    /// The fetch finished; the `Loaded` with its data came just before.
    Fetched {
        job: JobId,
        outcome: FetchOutcome,
    },
}

struct Worker {
    ctx: Context,
    /// Open only while a command works on it (see `SharedStore`).
    store: SharedStore,
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
        store: SharedStore::new(store),
        cancels: Mutex::new(HashMap::new()),
    });
    runtime.spawn(async move {
        while let Some(Job { id: job, command }) = cmd_rx.recv().await {
            let worker = Arc::clone(&worker);
            let events = ev_tx.clone();
            match command {
                Command::CancelBacktest(target) | Command::CancelFetch(target) => {
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
                Command::Fetch => {
                    let cancel = Arc::new(AtomicBool::new(false));
                    lock(&worker.cancels).insert(job, Arc::clone(&cancel));
                    tokio::spawn(async move {
                        let watched = events.clone();
                        let done = Arc::clone(&worker);
                        let run = tokio::task::spawn_blocking(move || {
                            worker.fetch(job, &cancel, &events)
                        });
                        let panicked = run.await.is_err();
                        lock(&done.cancels).remove(&job);
                        if panicked {
                            let _ = watched.send(Event::Failed {
                                job,
                                message: "internal error: the fetch panicked".into(),
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
            Command::Start => self
                .store
                .with(|s| data::load_first(&self.ctx, s))
                .map(|d| Event::Loaded(Box::new(d)))
                .map_err(|e| message_of(&e)),
            Command::Refresh => self
                .refresh()
                .map(|d| Event::Loaded(Box::new(d)))
                .map_err(|e| message_of(&e)),
            Command::LoadChart(symbol) => self
                .store
                .with(|s| data::load_chart(s, &symbol))
                .map(Event::Chart)
                .map_err(|e| message_of(&e)),
            Command::Apply(op) => self
                .apply_and_reload(op)
                .map(|(message, reloaded)| {
                    // The fresh data goes first, so that once the user sees "saved" the tables
                    // already show the change. The write stands even when the reload fails.
                    let message = match reloaded {
                        Ok(d) => {
                            let _ = events.send(Event::Loaded(Box::new(d)));
                            message
                        }
                        Err(e) => {
                            format!("{message}; reloading failed ({}): press r", message_of(&e))
                        }
                    };
                    Event::Saved { job, message }
                })
                .map_err(|e| e.to_string()),
            Command::Import(request) => self.import(job, &request, events),
            // Answered beside the queue in `spawn`.
            Command::RunBacktest(_)
            | Command::CancelBacktest(_)
            | Command::Fetch
            | Command::CancelFetch(_) => return,
        };
        let event = outcome.unwrap_or_else(|message| {
            tracing::warn!("{job}: {message}");
            Event::Failed { job, message }
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

    fn fetch(&self, job: JobId, cancel: &AtomicBool, events: &UnboundedSender<Event>) {
        let outcome = fetch_job::run(&self.ctx, &self.store, job, cancel, events);
        if outcome.is_ok() {
            // What came is stored, finished or not: the tabs show it.
            match self.refresh() {
                Ok(d) => {
                    let _ = events.send(Event::Loaded(Box::new(d)));
                }
                Err(e) => tracing::warn!("{job}: reloading after the fetch failed: {e}"),
            }
        }
        let event = match outcome {
            Ok(Some(outcome)) => Event::Fetched { job, outcome },
            Ok(None) => Event::Cancelled { job },
            Err(e) => Event::Failed {
                job,
                message: message_of(&e),
            },
        };
        let _ = events.send(event);
    }

    /// The data first when anything was written (as `Apply`), then the import's answer.
    fn import(
        &self,
        job: JobId,
        request: &ImportRequest,
        events: &UnboundedSender<Event>,
    ) -> Result<Event, String> {
        let outcome = super::import_job::run(&self.ctx, &self.store, request);
        let message = |m: String| match outcome.reloaded {
            Some(Ok(d)) => {
                let _ = events.send(Event::Loaded(Box::new(d)));
                m
            }
            Some(Err(e)) => format!("{m}; reloading failed ({e}): press r"),
            None => m,
        };
        match outcome.result {
            Ok(summary) => Ok(Event::Saved {
                job,
                message: message(summary),
            }),
            Err(refusal) => Err(message(refusal)),
        }
    }

    fn refresh(&self) -> Result<Dashboard> {
        self.store.with(|s| data::load_dashboard(&self.ctx, s))
    }

    /// The change and the reload in one opening of the file.
    fn apply_and_reload(&self, op: Op) -> Result<(String, Result<Dashboard>), OpError> {
        self.store.with(|s| {
            let summary = ops::apply(&self.ctx, s, op)?.summary;
            Ok((summary, data::load_dashboard(&self.ctx, s)))
        })
    }
}

/// The one-line message of an error chain, as the status bar shows it.
fn message_of(e: &color_eyre::Report) -> String {
    e.to_string()
}
