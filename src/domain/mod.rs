//! Pure logic: no I/O, no clock, no terminal. Plain data in, plain data out.

pub mod account_history;
pub mod analyzer;
pub mod backtest;
pub mod bar;
pub mod calendar;
pub mod exact_float;
pub mod execution;
pub mod format;
pub mod indicators;
pub mod journal;
pub mod ledger;
pub mod parse;
pub mod performance;
pub mod portfolio;
pub mod quote;
pub mod returns;
pub mod risk;
pub mod rules;
pub mod signal;
pub mod sizer;
pub mod swap_review;
pub mod symbol;
pub mod tracker;
