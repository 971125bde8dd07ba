//! clap definitions. `--help` lists only commands that work.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ducklens",
    version,
    about = "Portfolio health, swaps, position sizing and a signal journal over one DuckDB file",
    long_about = "Portfolio health, swaps, position sizing and a signal journal over one DuckDB file.\n\nWithout a command, opens the full-screen app on the database."
)]
pub struct Cli {
    /// Database file [default: $DUCKLENS_DB, else the platform data dir's ducklens.duckdb]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Config file overriding the built-in defaults [default: the platform config dir's config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the full-screen app (the default without a command)
    Tui,
    /// Build the demo database (synthetic market, DEMO DATA) and summarise it
    Demo(DemoArgs),
    /// Import a portfolio or a watchlist from a file
    #[command(subcommand)]
    Import(ImportArgs),
    /// Export the portfolio
    #[command(subcommand)]
    Export(ExportArgs),
    /// Add, edit, remove or list holdings
    #[command(subcommand)]
    Holding(HoldingArgs),
    /// Add, remove or list watchlist symbols
    #[command(subcommand)]
    Watch(WatchArgs),
    /// Show or record account balances (cash and margin)
    #[command(subcommand)]
    Account(AccountArgs),
    /// Health grade, market direction, holdings, opportunities, swaps and the game plan
    MorningCheck(CheckArgs),
    /// Stops hit, new buy signals and rebalancing alerts (more sensitive thresholds)
    Intraday(CheckArgs),
    /// Size one position: allocation band, risk multiplier, 25 % cap, cash reserve, margin
    Size(SizeArgs),
    /// The signal journal: list, show, take, close, note, delete, evaluate, stats
    Signals(SignalsArgs),
    /// Stored swap recommendations: list them, record the day's, or execute one (holdings, cash, margin and
    /// both journal legs change in one transaction)
    #[command(subcommand)]
    Swap(SwapArgs),
    /// Replay the strategies over history: comparison, best strategy, trades, verdict
    Backtest(BacktestArgs),
    /// Download daily bars (default: holdings, watchlist and market symbols)
    Fetch(FetchArgs),
    /// Print a symbol's indicators, trend and signal strength
    Indicators(IndicatorArgs),
    /// How the account has done: today, TWR and XIRR against SPY over 1M … since start,
    /// P&L, the monthly table and the road to $1M (from the ledger)
    Performance(PerformanceArgs),
    /// Check the database: schema, row counts, price coverage and data problems
    DbCheck(DbCheckArgs),
    /// Print the effective configuration
    Config(ConfigArgs),
    /// Record a trade in the ledger: buy|sell SYMBOL QTY PRICE [--date] [--fee]
    Trade(super::ledger::TradeArgs),
    /// Record a deposit or a withdrawal in the ledger: deposit|withdraw AMOUNT [--date]
    Cash(super::ledger::CashArgs),
    /// The ledger: list, show, delete, and record dividends and splits
    Ledger(super::ledger::LedgerArgs),
}

#[derive(Debug, Subcommand)]
pub enum SwapArgs {
    /// The stored swaps, newest first: id, date, REDUCE → INCREASE, quantities, executed
    List {
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Record the swaps the morning check recommends, as the app's Optimization tab does
    /// (those already stored are kept)
    Record {
        /// Analyze as of this day [default: the last benchmark bar on or before today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Execute stored swap ID at the fills given (default: the planned quantities and the
    /// legs' prices at the signal, today)
    Execute {
        id: i64,
        /// Shares sold of the reduce leg [default: the planned quantity]
        #[arg(long, value_name = "N")]
        sell_qty: Option<String>,
        /// Fill price of the sale [default: the sell leg's price at the signal]
        #[arg(long, value_name = "PRICE")]
        sell_price: Option<String>,
        /// Shares bought of the increase leg [default: the planned quantity]
        #[arg(long, value_name = "N")]
        buy_qty: Option<String>,
        /// Fill price of the purchase [default: the buy leg's price at the signal]
        #[arg(long, value_name = "PRICE")]
        buy_price: Option<String>,
        /// Trade date [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Last session of the demo market [default: the last trading day on or before today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// Print the summary instead of opening the app (the default when not on a terminal)
    #[arg(long)]
    pub no_tui: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportArgs {
    /// The previous tool's portfolio.json, or a CSV `symbol,quantity,avg_cost,opened[,notes]`
    Portfolio {
        file: PathBuf,
        /// Add to and update the current holdings instead of replacing them
        #[arg(long)]
        merge: bool,
        /// Read numbers written with a decimal comma: 145,52 is 145.52 and 1.234,56 is
        /// 1234.56 (fields separated by ';', or quoted). Without it a comma is refused
        #[arg(long)]
        decimal_comma: bool,
    },
    /// One symbol per line, or a CSV with a `symbol` column
    Watchlist { file: PathBuf },
    /// Ledger transactions from a CSV `date,kind,symbol,quantity,price,amount,fees,notes`
    /// (README "Your history"); a bad row names its line and nothing is written
    Transactions { file: PathBuf },
    /// Daily bars from files or folders (Yahoo, Stooq or date,open,high,low,close[,adj_close],volume)
    Prices {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Skip malformed rows (and list them) instead of rejecting the file
        #[arg(long)]
        skip_bad: bool,
        /// Read numbers written with a decimal comma: 145,52 is 145.52 and 1.234,56 is
        /// 1234.56 (fields separated by ';', or quoted). Without it a comma is refused
        #[arg(long)]
        decimal_comma: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum ExportArgs {
    /// Holdings and cash, in the previous tool's JSON shape or as CSV
    Portfolio {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Write here instead of standard output
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum HoldingArgs {
    /// Add a holding, or replace the one with the same symbol
    Add(HoldingFields),
    /// Change some fields of an existing holding
    Edit {
        symbol: String,
        #[arg(long)]
        quantity: Option<String>,
        #[arg(long)]
        avg_cost: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        opened: Option<NaiveDate>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Remove a holding
    Remove { symbol: String },
    /// List holdings
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct HoldingFields {
    pub symbol: String,
    pub quantity: String,
    pub avg_cost: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub opened: Option<NaiveDate>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum WatchArgs {
    /// Add symbols to the watchlist
    Add {
        #[arg(required = true)]
        symbols: Vec<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Remove symbols from the watchlist
    Remove {
        #[arg(required = true)]
        symbols: Vec<String>,
    },
    /// List the watchlist
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountArgs {
    /// Show the latest balances
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Record balances; fields left out keep their latest values
    Set {
        #[arg(long)]
        cash: Option<String>,
        #[arg(long)]
        margin_available: Option<String>,
        #[arg(long)]
        margin_used: Option<String>,
        /// Date of the balances [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        #[arg(long)]
        notes: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct DbCheckArgs {
    /// Measure staleness against this day [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print where the config file is read from instead
    #[arg(long)]
    pub path: bool,
}

#[derive(Debug, Args)]
pub struct IndicatorArgs {
    pub symbol: String,
    /// How many of the latest sessions to show
    #[arg(long, default_value_t = 20)]
    pub last: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Symbols to fetch [default: holdings + watchlist + SPY + QQQ]
    pub symbols: Vec<String>,
    /// Data provider [default: providers.default in the config]
    #[arg(long, value_enum)]
    pub provider: Option<ProviderArg>,
    /// Today's latest prices instead of daily bars, stored as provisional bars until the
    /// final daily bar replaces them
    #[arg(long)]
    pub quotes: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ProviderArg {
    Polygon,
    Stooq,
}

impl From<ProviderArg> for crate::domain::rules::ProviderName {
    fn from(p: ProviderArg) -> Self {
        match p {
            ProviderArg::Polygon => Self::Polygon,
            ProviderArg::Stooq => Self::Stooq,
        }
    }
}

#[derive(Debug, Args)]
pub struct SignalsArgs {
    #[command(subcommand)]
    pub command: SignalsCommand,
    /// Print JSON for scripts
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SignalsCommand {
    /// List signals, newest first
    List {
        #[arg(long)]
        source: Option<String>,
        /// WIN, LOSS, BREAKEVEN, MISSED or PASSED
        #[arg(long)]
        outcome: Option<String>,
        /// Only signals that were taken
        #[arg(long, conflicts_with = "open")]
        taken: bool,
        /// Only taken signals without an exit
        #[arg(long)]
        open: bool,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Every column of one signal
    Show { id: i64 },
    /// Record a new signal; what is left out comes from that day's stored indicators
    Record(RecordArgs),
    /// Mark a signal taken
    Take {
        id: i64,
        #[arg(long)]
        price: String,
        #[arg(long)]
        qty: String,
        /// Entry date [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// Record the exit of a taken signal; P&L and outcome are computed
    Close {
        id: i64,
        #[arg(long)]
        price: String,
        /// Exit date [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Override the computed outcome: WIN, LOSS or BREAKEVEN
        #[arg(long)]
        outcome: Option<String>,
        /// Confirm an outcome that contradicts the P&L (the statistics count it by its P&L)
        #[arg(long)]
        yes: bool,
    },
    /// Replace a signal's notes
    Note { id: i64, text: String },
    /// Hide a signal (it is kept, not erased)
    Delete {
        id: i64,
        /// Confirm the deletion
        #[arg(long)]
        yes: bool,
    },
    /// Judge signals not taken whose 20-session horizon has passed
    Evaluate,
    /// Win rates, P&L, profit factor, missed opportunities and calibration
    Stats {
        /// Measure the 30- and 90-day windows up to this day [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<NaiveDate>,
    },
}

#[derive(Debug, Args)]
pub struct PerformanceArgs {
    /// As of this day [default: today; the last session on or before it]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long)]
    pub json: bool,
    /// Annual return for the road to $1M, in percent [default: the realized TWR since the
    /// start, annualized, when the history is a year or longer]
    #[arg(long = "return", value_name = "PCT", allow_hyphen_values = true)]
    pub annual_return: Option<String>,
    /// Added at the end of each month on the road to $1M [default: 0]
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub monthly_contribution: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Analyze as of this day [default: the last benchmark bar on or before today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SizeArgs {
    /// Signal strength 0-100
    #[arg(long)]
    pub strength: f64,
    /// LOW, MEDIUM or HIGH
    #[arg(long)]
    pub risk: String,
    #[arg(long)]
    pub price: String,
    /// Allow margin for what cash cannot cover (subject to the margin rules)
    #[arg(long)]
    pub margin: bool,
    /// The symbol, so that a position already held counts against the 25 % cap
    #[arg(long)]
    pub symbol: Option<String>,
    /// Portfolio value [default: cash + positions − margin used]
    #[arg(long)]
    pub capital: Option<String>,
    #[arg(long)]
    pub cash: Option<String>,
    #[arg(long)]
    pub margin_available: Option<String>,
    #[arg(long)]
    pub margin_used: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    #[arg(long)]
    pub symbol: String,
    /// BUY, SELL or HOLD
    #[arg(long = "type")]
    pub signal_type: String,
    #[arg(long, default_value = "manual")]
    pub source: String,
    /// 0-100 [default: computed from the stored indicators]
    #[arg(long)]
    pub strength: Option<f64>,
    /// [default: the adjusted close of that day]
    #[arg(long)]
    pub price: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// [default: the symbol's last session on or before today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    BuyHold,
    Weekly,
    Monthly,
    MonthlyMargin,
    All,
}

#[derive(Debug, Args)]
pub struct BacktestArgs {
    #[arg(long, value_enum, default_value = "all")]
    pub strategy: StrategyArg,
    /// First day [default: 365 days before --to]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// Last day [default: the last benchmark bar on or before today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
    /// Symbols to trade [default: the watchlist plus the holdings]
    #[arg(long, num_args = 1.., value_delimiter = ',')]
    pub symbols: Vec<String>,
    /// Benchmark symbol [default: config general.benchmark]
    #[arg(long)]
    pub benchmark: Option<String>,
    #[command(flatten)]
    pub params: crate::service::backtest::StrategyFlags,
    /// Run the grid of frequency × entry threshold × margin instead (ranked by Sharpe)
    #[arg(long)]
    pub sweep: bool,
    #[arg(long)]
    pub json: bool,
}
