//! Getting data in: portfolio and watchlist files, and the demo market.

pub mod demo;
pub mod fetch;
pub mod portfolio_file;
pub mod price_file;
pub mod rng;
pub mod transactions_file;
