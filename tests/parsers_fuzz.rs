//! Every parser of user input, fed random and mutated input: none panics, and whatever is
//! accepted satisfies the invariants (low ≤ open, close ≤ high; prices > 0; no future date;
//! valid symbols; quantities and costs > 0; numbers without a comma and under 10^14). The
//! decimal-comma mode reads only what, ungrouped and with its comma as a point, is the same
//! number; and every formatted amount reads back as the stored cents.
//!
//! The default run uses proptest's case count. The long variant runs a million cases per
//! parser: `cargo test --release --test parsers_fuzz -- --ignored`.

use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use rust_decimal::Decimal;

use ducklens::config::Config;
use ducklens::domain::format;
use ducklens::domain::parse::{parse_decimal, parse_number, DecimalMark, MAX_NUMBER};
use ducklens::domain::portfolio::to_cents;
use ducklens::domain::symbol::Symbol;
use ducklens::market::portfolio_file::{
    parse_portfolio_csv, parse_portfolio_json, parse_watchlist,
};
use ducklens::market::price_file::parse_prices;
use ducklens::tui::forms::parse;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

const PRICE_SEEDS: &[&str] = &[
    "Date,Open,High,Low,Close,Adj Close,Volume\n2020-08-28,504.05,505.77,498.31,499.23,124.1,46907479\n2020-08-31,127.58,131.00,126.00,129.04,128.3,225702700\n",
    "Date,Open,High,Low,Close,Volume\n2024-03-01,10,11,9,10.5,1000\n",
    "<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>\nMSFT.US,D,20240301,000000,410.1,415.2,408.3,414.0,20000000,0\n",
    "symbol,date,open,high,low,close,adj_close,volume\nspy,03/01/2024,500,510,495,505,0.595871970054,1\nQQQ,2024-03-01,400,410,395,405,,2\n",
    "Date;Open;High;Low;Close;Volume\n2024-03-01;145,52;1.146,00;144,10;145,00;1.200\n2024-03-04;145;146;144;145,5;900\n",
    "date,open,high,low,close\n2024-03-01,\"145,52\",\"146,1\",\"144\",\"145,52\"\n",
];

const JSON_SEEDS: &[&str] = &[
    r#"{"cash": 1126.79, "positions": {"AAPL": {"symbol": "AAPL", "quantity": 10, "price_paid": 182.5, "purchase_date": "2024-03-01"}}, "last_updated": "2024-06-01T10:00:00"}"#,
    r#"{"positions": {"MSFT": {"quantity": "4", "price_paid": "401.10"}}}"#,
    r#"{"cash": "1.234,50", "positions": {"SAP": {"quantity": "1,5", "price_paid": "145,52"}}}"#,
];

const CSV_SEEDS: &[&str] = &[
    "symbol,quantity,avg_cost,opened,notes\nAAPL,10,182.50,2024-03-01,core position\nMSFT,4,401.10,,\n",
    "symbol;quantity;avg_cost;opened\nSAP;1,5;1.234,56;2024-03-01\n",
];

const WATCH_SEEDS: &[&str] = &[
    "NVDA\nAMD # chips\n\nBRK.B\n",
    "symbol,notes\nNVDA,ai\nTSLA,\n",
];

const CONFIG_SEEDS: &[&str] = &[
    "[stops]\nloss_pct = 9.0\n",
    "[signal]\nmacd_points = 10\n[sizing]\nmax_position_pct = 20\n",
    "[health]\ngrade_a = 92\n",
];

/// Characters that break parsers: separators, signs, exponents, quotes, non-ASCII.
const ALPHABET: &[char] = &[
    '0', '1', '5', '9', '.', ',', '-', '+', 'e', 'E', '\n', '\r', '"', ' ', ':', '/', '{', '}',
    '[', ']', '=', '#', 'A', 'z', '\u{feff}', 'é', '\t', '$', '\0',
];

/// A seed with random edits: insert, replace or delete at random positions.
fn mutated(seeds: &'static [&'static str]) -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0u8..3,
        prop::sample::select(ALPHABET),
    );
    (
        prop::sample::select(seeds),
        prop::collection::vec(edit, 0..8),
    )
        .prop_map(|(seed, edits)| {
            let mut chars: Vec<char> = seed.chars().collect();
            for (at, op, c) in edits {
                let i = at.index(chars.len() + 1);
                match op {
                    0 => chars.insert(i, c),
                    1 if i < chars.len() => chars[i] = c,
                    _ if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ => chars.push(c),
                }
            }
            chars.into_iter().collect()
        })
}

/// Mutated seeds half the time, arbitrary text the other half.
fn input(seeds: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![mutated(seeds), ".{0,200}"]
}

fn valid_symbol(s: &Symbol) -> bool {
    Symbol::parse(s.as_str()).as_ref() == Ok(s)
}

fn mark(comma: bool) -> DecimalMark {
    DecimalMark::comma_if(comma)
}

fn check_prices(text: &str, skip_bad: bool, comma: bool) -> Result<(), TestCaseError> {
    let path = Path::new("x/AAPL.csv");
    let Ok(file) = parse_prices(text, path, skip_bad, today(), mark(comma)) else {
        return Ok(());
    };
    for (symbol, bars) in &file.bars {
        prop_assert!(valid_symbol(symbol));
        for bar in bars {
            prop_assert!(bar.close > Decimal::ZERO);
            prop_assert!(bar.date <= today());
            for v in [bar.open, bar.high, bar.low, bar.adj_close]
                .into_iter()
                .flatten()
            {
                prop_assert!(v > Decimal::ZERO);
            }
            if let (Some(h), Some(l)) = (bar.high, bar.low) {
                prop_assert!(l <= h);
                prop_assert!(l <= bar.close && bar.close <= h);
                if let Some(o) = bar.open {
                    prop_assert!(l <= o && o <= h);
                }
            }
        }
        prop_assert!(bars.windows(2).all(|w| w[0].date < w[1].date));
    }
    Ok(())
}

fn check_portfolio(text: &str, json: bool, comma: bool) -> Result<(), TestCaseError> {
    let parsed = if json {
        parse_portfolio_json(text, "p.json", mark(comma))
    } else {
        parse_portfolio_csv(text, "p.csv", mark(comma))
    };
    let Ok(file) = parsed else {
        return Ok(());
    };
    for h in &file.holdings {
        prop_assert!(valid_symbol(&h.symbol));
        prop_assert!(h.quantity > Decimal::ZERO && h.quantity < MAX_NUMBER);
        prop_assert!(h.avg_cost > Decimal::ZERO && h.avg_cost < MAX_NUMBER);
    }
    if let Some(cash) = file.cash {
        prop_assert!(cash >= Decimal::ZERO && cash < MAX_NUMBER);
    }
    Ok(())
}

fn check_watchlist(text: &str) -> Result<(), TestCaseError> {
    if let Ok(list) = parse_watchlist(text, "w.txt") {
        for (symbol, _) in &list {
            prop_assert!(valid_symbol(symbol));
        }
    }
    Ok(())
}

fn check_number(text: &str) -> Result<(), TestCaseError> {
    if let Ok(v) = parse_decimal(text) {
        prop_assert!(!text.contains(','));
        prop_assert!(v.abs() < MAX_NUMBER);
    }
    if let Ok(v) = parse_number(text, DecimalMark::Comma) {
        prop_assert!(v.abs() < MAX_NUMBER);
        // Without its grouping and with the comma as a point, it is the same number.
        let plain: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        prop_assert_eq!(parse_decimal(&plain), Ok(v), "{:?} → {:?}", text, plain);
        prop_assert!(text.matches(',').count() <= 1);
    }
    // Every form field parser takes any text without panicking.
    let _ = parse::positive(text);
    let _ = parse::non_negative(text);
    let _ = parse::whole_positive(text);
    let _ = parse::symbol(text);
    let _ = parse::date(text);
    let _ = parse::past_date(today())(text);
    let _ = parse::optional_strength(text);
    let _ = parse::optional_pct(text);
    let _ = parse::optional_multiplier(text);
    let _ = parse::optional_frequency(text);
    let _ = parse::optional_count(text);
    let _ = parse::optional_rate(text);
    let _ = parse::strategy(text);
    Ok(())
}

fn check_config(text: &str) -> Result<(), TestCaseError> {
    let _ = Config::from_toml_str(text, "fuzz.toml");
    Ok(())
}

/// Runs `check` on `cases` inputs from `strategy`.
fn run<S: Strategy>(cases: u32, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    runner.run(&strategy, check).unwrap();
}

fn all_parsers(cases: u32) {
    run(
        cases,
        (input(PRICE_SEEDS), any::<bool>(), any::<bool>()),
        |(t, skip, comma)| check_prices(&t, skip, comma),
    );
    run(cases, (input(JSON_SEEDS), any::<bool>()), |(t, comma)| {
        check_portfolio(&t, true, comma)
    });
    run(cases, (input(CSV_SEEDS), any::<bool>()), |(t, comma)| {
        check_portfolio(&t, false, comma)
    });
    run(cases, input(WATCH_SEEDS), |t| check_watchlist(&t));
    run(
        cases,
        prop_oneof![
            mutated(&[
                "1234.56", "-0.5", "1e20", "7e28", "0.00004", "1.234,56", "145,52", "1 234,5"
            ]),
            ".{0,40}"
        ],
        |t| check_number(&t),
    );
    run(cases, input(CONFIG_SEEDS), |t| check_config(&t));
    run(cases, (any::<i64>(), 0u32..=6), |(m, scale)| {
        check_amount(Decimal::new(m / 1000, scale))
    });
}

/// A formatted amount is the stored cents, grouped by three: it reads back exactly.
fn check_amount(d: Decimal) -> Result<(), TestCaseError> {
    let text = format::amount(d);
    let (int, _) = text.trim_start_matches('-').split_once('.').unwrap();
    let groups: Vec<&str> = int.split(',').collect();
    prop_assert!((1..=3).contains(&groups[0].len()));
    prop_assert!(groups[1..].iter().all(|g| g.len() == 3));
    let plain = text.replace(',', "");
    prop_assert_eq!(plain.parse::<Decimal>().ok(), Some(to_cents(d)), "{}", text);
    let money = format::money(d);
    prop_assert_eq!(money.replace('$', ""), text);
    Ok(())
}

#[test]
fn no_parser_panics_and_what_is_accepted_is_valid() {
    all_parsers(2_000);
}

#[test]
#[ignore = "a million cases per parser: run with -- --ignored"]
fn a_million_cases_per_parser() {
    all_parsers(1_000_000);
}
