//! The app's access to its database file: opened for one piece of work and closed right
//! after, so that another DuckLens (a `ducklens fetch` from cron, a `signals record` in
//! another terminal) can write while the app is open and idle. DuckDB's file lock is per
//! process and held while a connection is open; closing it between commands is what lets
//! the other process in. In-memory stores (tests, benchmarks) are kept open: they cannot
//! be reopened.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::{Store, StoreError};

pub struct SharedStore {
    /// The file to open for each piece of work; `None` for an in-memory store, kept in `held`.
    path: Option<PathBuf>,
    /// Serialises the work of this process (one open handle at a time) and keeps an
    /// in-memory store.
    held: Mutex<Option<Store>>,
    /// When this process last closed the file.
    closed_at: Mutex<Option<Instant>>,
}

/// The pause between two pieces of work of this process, so that another process waiting
/// for the file (it looks every 10 ms) gets its turn even while the app is busy.
const TURN: Duration = Duration::from_millis(40);

impl SharedStore {
    /// Takes over `store`: a file-backed one is closed now and reopened for each `with`.
    pub fn new(store: Store) -> Self {
        if store.is_in_memory() {
            return SharedStore {
                path: None,
                held: Mutex::new(Some(store)),
                closed_at: Mutex::new(None),
            };
        }
        let path = store.path().to_path_buf();
        drop(store);
        SharedStore {
            path: Some(path),
            held: Mutex::new(None),
            closed_at: Mutex::new(None),
        }
    }

    /// Runs `work` with the database open; the file is closed again when it returns. When
    /// another process holds the file, the open waits about 5 s, then fails naming it.
    pub fn with<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut guard = self.lock();
        match (&self.path, guard.as_mut()) {
            (None, Some(store)) => work(store),
            (Some(path), _) => {
                let last = *self.closed_at.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(wait) = last.and_then(|t| TURN.checked_sub(t.elapsed())) {
                    std::thread::sleep(wait);
                }
                let result = Store::reopen(path)
                    .map_err(E::from)
                    .and_then(|mut store| work(&mut store));
                *self.closed_at.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
                result
            }
            (None, None) => {
                Err(StoreError::Invalid("the in-memory database is gone".into()).into())
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Store>> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }
}
