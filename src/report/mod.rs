//! Text and JSON renderings for the headless commands. They format; they compute nothing.

pub mod backtest;
mod backtest_json;
pub mod check;
pub mod db_check;
pub mod intraday;
pub mod performance;
pub mod portfolio;
pub mod prices;
pub mod signals;
pub mod swaps;
