//! Tests of portfolio and watchlist parsing.

use super::*;
use rust_decimal_macros::dec;

const P: DecimalMark = DecimalMark::Point;
const C: DecimalMark = DecimalMark::Comma;

const OLD_TOOL_JSON: &str = r#"{
  "cash": 1126.7900000000002,
  "positions": {
"AAPL": {"symbol": "AAPL", "quantity": 10, "price_paid": 182.5, "purchase_date": "2024-03-01", "notes": "core"},
"msft": {"symbol": "MSFT", "quantity": 3.5, "price_paid": 401.123456, "purchase_date": "2024-05-10", "notes": ""}
  },
  "last_updated": "2024-06-01T10:00:00"
}"#;

#[test]
fn reads_the_previous_tools_json() {
    let file = parse_portfolio_json(OLD_TOOL_JSON, "portfolio.json", P).unwrap();
    assert_eq!(file.cash, Some(dec!(1126.79)));
    assert_eq!(file.holdings.len(), 2);
    let msft = &file.holdings[1];
    assert_eq!(msft.symbol.as_str(), "MSFT");
    assert_eq!(msft.quantity, dec!(3.5));
    // Prices keep four decimals: 401.123456 → 401.1235.
    assert_eq!(msft.avg_cost, dec!(401.1235));
    assert_eq!(msft.notes, None);
    assert_eq!(file.holdings[0].opened, NaiveDate::from_ymd_opt(2024, 3, 1));
}

#[test]
fn json_errors_name_the_path() {
    let truncated = &OLD_TOOL_JSON[..120];
    let e = parse_portfolio_json(truncated, "p.json", P).unwrap_err();
    assert!(e.location.starts_with("p.json:"), "{e}");
    assert!(e.message.contains("not valid JSON"), "{e}");

    let bad = OLD_TOOL_JSON.replace("\"quantity\": 10", "\"quantity\": -10");
    let e = parse_portfolio_json(&bad, "p.json", P).unwrap_err();
    assert_eq!(e.location, "p.json: $.positions.AAPL.quantity");

    let bad = OLD_TOOL_JSON.replace("2024-05-10", "10th May");
    let e = parse_portfolio_json(&bad, "p.json", P).unwrap_err();
    assert_eq!(e.location, "p.json: $.positions.msft.purchase_date");
}

#[test]
fn csv_reads_and_rejects_with_line_and_column() {
    let ok =
        "symbol,quantity,avg_cost,opened,notes\naapl,10,182.50,2024-03-01,core\nMSFT,2,400,,\n";
    let file = parse_portfolio_csv(ok, "p.csv", P).unwrap();
    assert_eq!(file.holdings.len(), 2);
    assert_eq!(file.holdings[1].opened, None);
    assert_eq!(file.cash, None);

    let bad = "symbol,quantity,avg_cost,opened\nAAPL,10,182.5,2024-03-01\nMSFT,-2,400,2024-01-01\n";
    let e = parse_portfolio_csv(bad, "p.csv", P).unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.csv:3: column quantity: must be positive, got -2"
    );

    let dup = "symbol,quantity,avg_cost,opened\nAAPL,1,1,\naapl,1,1,\n";
    assert!(parse_portfolio_csv(dup, "p.csv", P)
        .unwrap_err()
        .to_string()
        .contains("appears twice"));

    let missing = "symbol,qty,avg_cost,opened\n";
    assert!(parse_portfolio_csv(missing, "p.csv", P)
        .unwrap_err()
        .message
        .contains("\"quantity\""));
}

#[test]
fn watchlist_lines_and_csv() {
    let list = parse_watchlist("# mine\naapl\n\nMSFT # cloud\naapl\n", "w.txt").unwrap();
    let names: Vec<_> = list.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(names, ["AAPL", "MSFT"]);

    let csv = parse_watchlist("symbol,notes\nnvda,chips\n", "w.csv").unwrap();
    assert_eq!(csv[0].1.as_deref(), Some("chips"));

    let e = parse_watchlist("AAPL\nBAD SYMBOL\n", "w.txt").unwrap_err();
    assert_eq!(e.location, "w.txt:2");
}

#[test]
fn duplicate_positions_a_decimal_comma_and_a_byte_order_mark() {
    let dup = r#"{"positions": {"AAPL": {"quantity": 1, "price_paid": 10},
                                 "aapl": {"quantity": 2, "price_paid": 11}}}"#;
    let e = parse_portfolio_json(dup, "p.json", P).unwrap_err();
    assert_eq!(e.location, "p.json: $.positions.aapl");
    assert!(e.message.contains("appears twice"), "{e}");
    let comma = r#"{"positions": {"AAPL": {"quantity": "1,5", "price_paid": 10}}}"#;
    let e = parse_portfolio_json(comma, "p.json", P).unwrap_err();
    assert!(e.message.contains("decimal point"), "{e}");
    let e = parse_portfolio_json(r#"{"cash": "1,5", "positions": {}}"#, "p.json", P).unwrap_err();
    assert!(e.location.ends_with("$.cash"), "{e}");
    let bom = "\u{feff}NVDA\nAMD\n";
    let list = parse_watchlist(bom, "w.txt").unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].0.as_str(), "NVDA");
    assert_eq!(
        parse_decimal("1,5").unwrap_err(),
        "\"1,5\": write numbers with a decimal point and no thousands separator (1234.56)"
    );
    assert!(parse_decimal("1e20").unwrap_err().contains("too large"));
}

#[test]
fn json_amounts_with_thousands_separators_or_decimal_commas_name_their_path() {
    let grouped = r#"{"cash": "1,234.50", "positions": {}}"#;
    let e = parse_portfolio_json(grouped, "p.json", P).unwrap_err();
    assert_eq!(e.location, "p.json: $.cash");
    assert!(e.message.contains("--decimal-comma"), "{e}");
    let comma = r#"{"positions": {"AAPL": {"quantity": "1,5", "price_paid": 10}}}"#;
    let e = parse_portfolio_json(comma, "p.json", P).unwrap_err();
    assert_eq!(e.location, "p.json: $.positions.AAPL.quantity");
    let paid = r#"{"positions": {"AAPL": {"quantity": 2, "price_paid": "1.234,5"}}}"#;
    let e = parse_portfolio_json(paid, "p.json", P).unwrap_err();
    assert_eq!(e.location, "p.json: $.positions.AAPL.price_paid");
}

#[test]
fn decimal_comma_json_reads_strings_and_keeps_json_numbers() {
    let text = r#"{"cash": "1.234,50", "positions": {
        "AAPL": {"quantity": "1,5", "price_paid": "145,52"},
        "MSFT": {"quantity": 2.5, "price_paid": 400}}}"#;
    let file = parse_portfolio_json(text, "p.json", C).unwrap();
    assert_eq!(file.cash, Some(dec!(1234.50)));
    assert_eq!(file.holdings[0].quantity, dec!(1.5));
    assert_eq!(file.holdings[0].avg_cost, dec!(145.52));
    // A JSON number has a decimal point by the JSON grammar, whatever the mode.
    assert_eq!(file.holdings[1].quantity, dec!(2.5));
    // "1,234.50" is neither convention: refused in both modes.
    let mixed = r#"{"cash": "1,234.50", "positions": {}}"#;
    let e = parse_portfolio_json(mixed, "p.json", C).unwrap_err();
    assert_eq!(e.location, "p.json: $.cash");
    assert!(e.message.contains("not a decimal-comma number"), "{e}");
}

#[test]
fn decimal_comma_csv_with_semicolons() {
    let text = "symbol;quantity;avg_cost;opened\nAAPL;1,5;1.234,56;2024-03-01\n";
    let file = parse_portfolio_csv(text, "p.csv", C).unwrap();
    assert_eq!(file.holdings[0].quantity, dec!(1.5));
    assert_eq!(file.holdings[0].avg_cost, dec!(1234.56));
    let e = parse_portfolio_csv(text, "p.csv", P).unwrap_err();
    assert_eq!(
        e.to_string(),
        "p.csv:2: column quantity: \"1,5\": write numbers with a decimal point and no \
         thousands separator (1234.56); for a file written with decimal commas use \
         --decimal-comma"
    );
    // Quoted in a comma-separated file works too.
    let quoted = "symbol,quantity,avg_cost,opened\nAAPL,\"1,5\",\"10,25\",\n";
    let file = parse_portfolio_csv(quoted, "p.csv", C).unwrap();
    assert_eq!(file.holdings[0].avg_cost, dec!(10.25));
}
