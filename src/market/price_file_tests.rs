//! Tests of price-file parsing.

use super::*;
use rust_decimal_macros::dec;

const P: DecimalMark = DecimalMark::Point;

fn p(name: &str) -> &Path {
    Path::new(name)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

#[test]
fn yahoo_with_symbol_from_file_name() {
    let text = "Date,Open,High,Low,Close,Adj Close,Volume\n\
                2020-08-28,504.05,505.77,498.31,499.23,124.1,46907479\n\
                2020-08-31,127.58,131.00,126.00,129.04,128.3,225702700\n";
    let file = parse_prices(text, p("data/AAPL.csv"), false, today(), P).unwrap();
    let bars = &file.bars[&Symbol::parse("AAPL").unwrap()];
    assert_eq!(bars.len(), 2);
    assert_eq!(bars[0].adj_close, Some(dec!(124.1)));
    assert_eq!(bars[1].volume, Some(225_702_700));
}

#[test]
fn stooq_web_and_bulk_layouts() {
    let web = "Date,Open,High,Low,Close,Volume\n2024-03-01,10,11,9,10.5,1000\n";
    let file = parse_prices(web, p("aapl.us.txt"), false, today(), P).unwrap();
    let bar = &file.bars[&Symbol::parse("AAPL").unwrap()][0];
    assert_eq!((bar.adj_close, bar.close), (None, dec!(10.5)));

    let bulk = "<TICKER>,<PER>,<DATE>,<TIME>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>,<OPENINT>\n\
                MSFT.US,D,20240301,000000,410.1,415.2,408.3,414.0,20000000,0\n";
    let file = parse_prices(bulk, p("whatever.txt"), false, today(), P).unwrap();
    let bar = &file.bars[&Symbol::parse("MSFT").unwrap()][0];
    assert_eq!(bar.date, NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
}

#[test]
fn generic_with_symbol_column_and_us_dates() {
    let text = "symbol,date,open,high,low,close,adj_close,volume\n\
                spy,03/01/2024,500,510,495,505,0.595871970054,1\n\
                QQQ,2024-03-01,400,410,395,405,,2\n";
    let file = parse_prices(text, p("mixed.csv"), false, today(), P).unwrap();
    assert_eq!(file.bars.len(), 2);
    assert_eq!(
        file.bars[&Symbol::parse("SPY").unwrap()][0].adj_close,
        Some(dec!(0.595871970054))
    );
}

#[test]
fn bad_rows_name_file_line_and_column() {
    let text = "date,open,high,low,close,volume\n2024-03-01,10,9,11,10,5\n";
    let e = parse_prices(text, p("x/prices.csv"), false, today(), P).unwrap_err();
    assert_eq!(
        e.to_string(),
        "x/prices.csv:2: column high: high (9) is below low (11)"
    );

    let text = "date,open,high,low,close,volume\n2024-03-01,10,11,9,10,5\n2024-13-01,1,1,1,1,1\n2024-03-04,10,11,9,-1,5\n";
    let e = parse_prices(text, p("prices.csv"), false, today(), P).unwrap_err();
    assert!(
        e.to_string().starts_with("prices.csv:3: column date:"),
        "{e}"
    );

    let skipped = parse_prices(text, p("prices.csv"), true, today(), P).unwrap();
    assert_eq!(skipped.row_count(), 1);
    assert_eq!(skipped.skipped.len(), 2);
    assert_eq!(
        skipped.skipped[1].to_string(),
        "prices.csv:4: column close: price must be positive, got -1"
    );
}

#[test]
fn unknown_header_is_explained() {
    let e = parse_prices("when,price\n", p("a.csv"), false, today(), P).unwrap_err();
    assert!(e.message.contains("no \"date\" column"), "{e}");
}

fn refused(text: &str) -> String {
    parse_prices(text, p("x/T.csv"), false, today(), P)
        .unwrap_err()
        .to_string()
}

#[test]
fn open_or_close_outside_the_days_range_is_refused() {
    let head = "date,open,high,low,close,volume\n";
    let e = refused(&format!("{head}2024-03-01,10,11,9,11.5,5\n"));
    assert_eq!(
        e,
        "x/T.csv:2: column close: 11.5 is outside the day's range [9, 11]"
    );
    let e = refused(&format!("{head}2024-03-01,10,11,9,8.99,5\n"));
    assert!(e.contains("column close: 8.99 is outside"), "{e}");
    let e = refused(&format!("{head}2024-03-01,22,11,9,10,5\n"));
    assert!(e.contains("column open: 22 is outside"), "{e}");
}

#[test]
fn a_decimal_comma_or_thousands_separator_is_refused_not_scaled() {
    // "145,52" unquoted shifts the columns: a field count error; quoted, a comma error.
    let e = refused("date,open,high,low,close,volume\n2024-03-01,145,52,146,144,145,100\n");
    assert!(e.contains("7 fields where the header has 6"), "{e}");
    let e = refused("date,open,high,low,close,volume\n2024-03-01,\"145,52\",146,144,145,100\n");
    assert!(
        e.contains("column open") && e.contains("decimal point"),
        "{e}"
    );
}

#[test]
fn rows_cut_short_or_too_long_are_refused() {
    let e = refused("date,open,high,low,close,volume\n2024-03-01,10,11,9,10\n");
    assert_eq!(e, "x/T.csv:2: 5 fields where the header has 6");
    let e = refused("date,open,high,low,close,volume\n2024-03-01,10,11,9,10,5,1,2\n");
    assert!(e.contains("8 fields where the header has 6"), "{e}");
}

#[test]
fn a_price_with_too_many_decimals_a_future_date_and_a_conflicting_duplicate_are_refused() {
    // 0.0000004 has 7 decimals, one more than prices keep: refused, not rounded to 0.
    let e = refused("date,close\n2024-03-01,0.0000004\n");
    assert_eq!(
        e,
        "x/T.csv:2: column close: 0.0000004 has 7 decimals; prices keep at most 6, \
         so it cannot be stored as received"
    );
    // adj_close keeps 12: a 13th is refused on its line and column.
    let e = refused("date,close,adj_close\n2024-03-01,10,1\n2024-03-04,10,0.5958719700541\n");
    assert!(
        e.starts_with("x/T.csv:3: column adj_close: 0.5958719700541 has 13 decimals"),
        "{e}"
    );
    let e = refused("date,close\n2026-11-28,10\n");
    assert!(e.contains("2026-11-28 is in the future"), "{e}");
    let e = refused("date,close\n2024-03-01,10\n2024-03-01,11\n");
    assert!(e.contains("2024-03-01 twice with different values"), "{e}");
    // The same row twice is harmless and kept once.
    let file = parse_prices(
        "date,close\n2024-03-01,10\n2024-03-01,10\n",
        p("T.csv"),
        false,
        today(),
        P,
    )
    .unwrap();
    assert_eq!(file.row_count(), 1);
}

#[test]
fn a_dotted_ticker_keeps_its_dot_and_punctuation_is_no_symbol() {
    assert_eq!(
        symbol_from_file_name(p("data/BRK.B.csv")).unwrap().as_str(),
        "BRK.B"
    );
    assert_eq!(
        symbol_from_file_name(p("aapl.us.txt")).unwrap().as_str(),
        "AAPL"
    );
    assert_eq!(symbol_from_file_name(p("..csv")), None);
    let e = refused("symbol,date,close\n-,2024-03-01,10\n");
    assert!(e.contains("column symbol"), "{e}");
}

#[test]
fn decimal_commas_are_read_only_when_asked_and_semicolons_separate() {
    let text = "Date;Open;High;Low;Close;Volume\n\
                2024-03-01;145,52;1.146,00;144,10;145,00;1.200\n";
    let e = refused(text);
    assert_eq!(
        e,
        "x/T.csv:2: column close: \"145,00\": write numbers with a decimal point and no \
         thousands separator (1234.56); for a file written with decimal commas use \
         --decimal-comma"
    );
    let file = parse_prices(text, p("x/T.csv"), false, today(), DecimalMark::Comma).unwrap();
    let bar = &file.bars[&Symbol::parse("T").unwrap()][0];
    // 1.146,00 is 1146: the high, and the open 145.52 lies in [144.10, 1146].
    assert_eq!(
        (bar.open, bar.high, bar.low, bar.close, bar.volume),
        (
            Some(dec!(145.52)),
            Some(dec!(1146)),
            Some(dec!(144.10)),
            dec!(145),
            Some(1200)
        )
    );
    // A point in a decimal-comma file is a thousands separator: 10.5 is refused.
    let e = parse_prices(
        "date;close\n2024-03-01;10.5\n",
        p("x/T.csv"),
        false,
        today(),
        DecimalMark::Comma,
    )
    .unwrap_err();
    assert!(e
        .to_string()
        .starts_with("x/T.csv:2: column close: \"10.5\" is not"));
}

#[test]
fn a_negative_or_five_digit_year_is_no_date() {
    let e = refused("date,close\n-0001-03-01,10\n");
    assert_eq!(
        e,
        "x/T.csv:2: column date: \"-0001-03-01\": the year must be from 0001 to 9999"
    );
}

#[test]
fn six_decimal_prices_and_trailing_zeros_are_kept_as_received() {
    // A vendor row from the reference data's kind: 6 decimals on the prices, 12 on adj_close.
    let file = parse_prices(
        "date,open,high,low,close,adj_close,volume\n\
         2021-08-02,145.230003,146.949997,145.179993,145.520004,145.520004000000,62880000\n",
        p("AAPL.csv"),
        false,
        today(),
        P,
    )
    .unwrap();
    let bar = &file.bars[&Symbol::parse("AAPL").unwrap()][0];
    assert_eq!(bar.open, Some(dec!(145.230003)));
    assert_eq!(bar.high, Some(dec!(146.949997)));
    assert_eq!(bar.low, Some(dec!(145.179993)));
    assert_eq!(bar.close, dec!(145.520004));
    // Trailing zeros are no extra precision: 12 written decimals, 6 significant.
    assert_eq!(bar.adj_close, Some(dec!(145.520004)));
}
