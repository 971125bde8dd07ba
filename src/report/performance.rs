//! `ducklens performance` as text: today's change, the periods against SPY, the monthly
//! table and the road to $1M. Everything comes from the `Performance`; nothing is computed
//! here.

use std::fmt::Write;

use super::check::table;
use rust_decimal::Decimal;

use crate::domain::format::{change_pct, money, points, share_pct, NONE};
use crate::domain::performance::holdings::LedgerFigures;
use crate::domain::performance::monthly::YearReturns;
use crate::domain::performance::periods::PeriodReturn;
use crate::domain::performance::{signed_money, DayChange, Performance, RoadToMillion};
use crate::service::performance::AccountReport;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The whole report: the performance, then what the ledger adds.
pub fn account_text(a: &AccountReport) -> String {
    let mut out = performance_text(&a.performance);
    ledger(&mut out, &a.ledger);
    out
}

fn ledger(out: &mut String, l: &LedgerFigures) {
    let _ = writeln!(
        out,
        "\nP&L since the start: realized {}, unrealized {}, dividends {}, fees {}, interest {}",
        signed_money(l.realized_pnl),
        l.unrealized_pnl
            .map_or_else(|| NONE.to_string(), signed_money),
        money(l.dividends),
        money(l.fees),
        signed_money(l.interest)
    );
    let opt = |v: Option<Decimal>| v.map_or_else(|| NONE.to_string(), signed_money);
    let rows = l
        .holdings
        .iter()
        .map(|h| {
            vec![
                h.symbol.to_string(),
                h.quantity.normalize().to_string(),
                h.close
                    .map_or_else(|| NONE.to_string(), |c| c.normalize().to_string()),
                opt(h.day_change),
                change_pct(h.day_change_pct),
                signed_money(h.realized),
                opt(h.unrealized),
                money(h.dividends),
                opt(h.pnl),
                share_pct(h.contribution_pct),
            ]
        })
        .collect();
    let header = vec![
        "Symbol",
        "Qty",
        "Close",
        "Day",
        "Day %",
        "Realized",
        "Unrealized",
        "Dividends",
        "P&L",
        "Share of P&L",
    ];
    let _ = writeln!(
        out,
        "Holdings (day: the session's change incl. that day's trades; share: of all holdings' P&L)\n{}",
        table(header, rows, 1)
    );
}

pub fn performance_text(p: &Performance) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Performance as of {} — total value {} (history since {})",
        p.as_of,
        money(p.value),
        p.first
    );
    let _ = writeln!(
        out,
        "Account: the ledger's values at raw closes. SPY: adjusted closes (total return), same dates.\n"
    );
    today(&mut out, p.today.as_ref());
    periods(&mut out, &p.periods);
    monthly(&mut out, &p.monthly.years);
    million(&mut out, &p.million);
    out
}

fn today(out: &mut String, day: Option<&DayChange>) {
    let Some(d) = day else {
        let _ = writeln!(out, "Today: — (one session of history)\n");
        return;
    };
    let _ = writeln!(
        out,
        "Today ({} against {}): {} ({}), SPY {}, difference {} pp",
        d.date,
        d.previous,
        signed_money(d.change),
        change_pct(d.change_pct),
        change_pct(d.spy_pct),
        points(d.difference_pp)
    );
    if !d.flow.is_zero() {
        let _ = writeln!(
            out,
            "  {} moved in or out that day, not counted as a gain or loss",
            signed_money(d.flow)
        );
    }
    let _ = writeln!(out);
}

fn periods(out: &mut String, periods: &[PeriodReturn]) {
    let rows = periods
        .iter()
        .map(|p| match &p.figures {
            Some(f) => vec![
                p.period.label().to_string(),
                f.from.to_string(),
                if f.annualized { "a year" } else { "period" }.to_string(),
                change_pct(f.twr_pct),
                change_pct(f.mwr_pct),
                change_pct(f.spy_pct),
                points(f.difference_pp),
            ],
            None => vec![
                p.period.label().to_string(),
                format!("history starts after {}", p.wanted_from),
                NONE.into(),
                NONE.into(),
                NONE.into(),
                NONE.into(),
                NONE.into(),
            ],
        })
        .collect();
    let t = table(
        vec![
            "Period",
            "From",
            "Basis",
            "TWR",
            "XIRR",
            "SPY",
            "TWR − SPY pp",
        ],
        rows,
        3,
    );
    let _ = writeln!(
        out,
        "Returns: time-weighted (TWR), money-weighted (XIRR) and SPY on one basis, over the\nperiod when it is under a year, a year's when a year or longer\n{t}\n"
    );
}

fn monthly(out: &mut String, years: &[YearReturns]) {
    let mut header = vec!["Year"];
    header.extend(MONTHS);
    header.push("Year %");
    let rows = years
        .iter()
        .map(|y| {
            let mut row = vec![y.year.to_string()];
            row.extend(y.months_pct.iter().map(|m| points(*m)));
            row.push(points(Some(y.year_pct)));
            row
        })
        .collect();
    let _ = writeln!(
        out,
        "Monthly returns (TWR, %)\n{}\n",
        table(header, rows, 1)
    );
}

fn million(out: &mut String, m: &RoadToMillion) {
    let rate = m
        .annual_return_pct
        .map_or_else(|| NONE.to_string(), |r| format!("{r:+.1}% a year"));
    let _ = writeln!(out, "Road to $1M");
    let _ = writeln!(
        out,
        "  From {} on {} at {} ({}), adding {} a month",
        money(m.value),
        m.from,
        rate,
        m.rate_source.describe(),
        money(m.monthly_contribution)
    );
    let _ = writeln!(out, "  Reached: {}", m.reach.describe());
    let _ = writeln!(
        out,
        "  Range (10th–90th percentile of resampled monthly returns): {}",
        m.range.describe()
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::performance::{summarize, DayValue, MillionPlan};
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn shows_every_part() {
        // 2025-12-31 10,000 (funded that day); 2026-01-30 11,000 (+10 %);
        // 2026-02-02 deposit 1,000, close 12,100: (12,100 − 1,000) / 11,000 = +0.909 %
        // → today +$100.00 (+0.9%). SPY 500 → 525 → 530: the day 530 / 525 − 1 = +0.95 %.
        let values = [
            DayValue {
                date: d(2025, 12, 31),
                value: dec!(10000),
                flow: dec!(10000),
            },
            DayValue {
                date: d(2026, 1, 30),
                value: dec!(11000),
                flow: Decimal::ZERO,
            },
            DayValue {
                date: d(2026, 2, 2),
                value: dec!(12100),
                flow: dec!(1000),
            },
        ];
        let spy = [
            (d(2025, 12, 31), dec!(500)),
            (d(2026, 1, 30), dec!(525)),
            (d(2026, 2, 2), dec!(530)),
        ];
        let plan = MillionPlan {
            annual_return: Some(0.07),
            monthly_contribution: dec!(1000),
        };
        let p = summarize(&values, &spy, d(2026, 2, 2), &plan, &mut || 0.5).unwrap();
        let text = performance_text(&p);
        assert!(
            text.contains("total value $12,100.00 (history since 2025-12-31)"),
            "{text}"
        );
        assert!(text.contains("Today (2026-02-02 against 2026-01-30): +$100.00 (+0.9%), SPY +1.0%, difference -0.0 pp"), "{text}");
        assert!(
            text.contains("+$1,000.00 moved in or out that day"),
            "{text}"
        );
        // YTD from 2025-12-31: 1.1 × 11,100/11,000 = 1.11 → +11.0 %; SPY 530/500 → +6.0 %.
        let ytd = text.lines().find(|l| l.contains("YTD")).unwrap();
        assert!(
            ytd.contains("2025-12-31")
                && ytd.contains("+11.0%")
                && ytd.contains("+6.0%")
                && ytd.contains("+5.0"),
            "{ytd}"
        );
        let one_year = text.lines().find(|l| l.contains("1Y")).unwrap();
        assert!(
            one_year.contains("history starts after 2025-02-02"),
            "{one_year}"
        );
        // January is complete (the 30th is its last session): 1 complete month.
        // January +10.0, February (to the 2nd) +0.9; 2026 = 1.11 → +11.0.
        let row = text.lines().find(|l| l.contains("2026 ")).unwrap();
        assert!(
            row.contains("+10.0") && row.contains("+0.9") && row.contains("+11.0"),
            "{row}"
        );
        assert!(
            text.contains("at +7.0% a year (as given), adding $1,000.00 a month"),
            "{text}"
        );
        assert!(
            text.contains("too short to say (1 complete months, 12 needed)"),
            "{text}"
        );
    }
}
