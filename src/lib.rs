//! DuckLens: portfolio health, swaps, sizing, a signal journal and backtests over one
//! embedded DuckDB file.

pub mod cli;
pub mod config;
pub mod domain;
pub mod logging;
pub mod malloc;
pub mod market;
pub mod paths;
pub mod report;
pub mod service;
pub mod store;
pub mod tui;
