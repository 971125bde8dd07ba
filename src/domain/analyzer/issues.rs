//! Issues detected in a portfolio (DESIGN §5 "Health score"): no positions; fewer than
//! `min_positions`; a position above `concentration_pct` of P; a cash reserve under
//! `min_cash_reserve_pct` of P (or no account row at all); stops hit; holdings without
//! price data.

use serde::Serialize;

use super::account::AccountSummary;
use super::holdings::HoldingRow;
use super::{DataRole, MissingData};
use crate::domain::rules::HealthRules;
use crate::domain::symbol::Symbol;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    NoPositions,
    Concentration,
    FewPositions,
    LowCashReserve,
    StopHit,
    MissingData,
    NoAccount,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthIssue {
    pub kind: IssueKind,
    pub symbol: Option<Symbol>,
    pub message: String,
}

fn issue(kind: IssueKind, symbol: Option<&Symbol>, message: String) -> HealthIssue {
    HealthIssue {
        kind,
        symbol: symbol.cloned(),
        message,
    }
}

fn count_issue(rows: &[HoldingRow], rules: &HealthRules) -> Option<HealthIssue> {
    if rows.is_empty() {
        let msg = "no positions".to_string();
        return Some(issue(IssueKind::NoPositions, None, msg));
    }
    (rows.len() < rules.min_positions).then(|| {
        let msg = format!(
            "{} positions, fewer than {}",
            rows.len(),
            rules.min_positions
        );
        issue(IssueKind::FewPositions, None, msg)
    })
}

/// Without an account row, cash is unknown; a portfolio value ≤ 0 leaves no reserve.
fn cash_issue(account: &AccountSummary, rules: &HealthRules) -> Option<HealthIssue> {
    let (kind, msg) = match (account.balance_as_of, account.cash_reserve_pct) {
        (None, _) => (
            IssueKind::NoAccount,
            "no account balance recorded: cash counted as 0".to_string(),
        ),
        (Some(_), Some(pct)) if pct < rules.min_cash_reserve_pct => (
            IssueKind::LowCashReserve,
            format!(
                "cash reserve {pct:.1} % is under {} %",
                rules.min_cash_reserve_pct
            ),
        ),
        (Some(_), None) => (
            IssueKind::LowCashReserve,
            "portfolio value is not positive: no cash reserve".to_string(),
        ),
        (Some(_), Some(_)) => return None,
    };
    Some(issue(kind, None, msg))
}

pub(super) fn issues(
    rows: &[HoldingRow],
    account: &AccountSummary,
    missing: &[MissingData],
    rules: &HealthRules,
) -> Vec<HealthIssue> {
    let concentrated = rows.iter().filter_map(|r| {
        let w = r.weight_pct.filter(|w| *w > rules.concentration_pct)?;
        let msg = format!(
            "{} is {w:.1} % of the portfolio (limit {} %)",
            r.symbol, rules.concentration_pct
        );
        Some(issue(IssueKind::Concentration, Some(&r.symbol), msg))
    });
    let stops = rows.iter().filter(|r| !r.alerts.is_empty()).map(|r| {
        let kinds: Vec<&str> = r.alerts.iter().map(|a| a.kind.label()).collect();
        let msg = format!("{}: {}", r.symbol, kinds.join(", "));
        issue(IssueKind::StopHit, Some(&r.symbol), msg)
    });
    let no_data = missing
        .iter()
        .filter(|m| m.role == DataRole::Holding)
        .map(|m| {
            let msg = format!("{}: no price data", m.symbol);
            issue(IssueKind::MissingData, Some(&m.symbol), msg)
        });
    count_issue(rows, rules)
        .into_iter()
        .chain(concentrated)
        .chain(cash_issue(account, rules))
        .chain(stops)
        .chain(no_data)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analyzer::fixtures::{health_row as row, rules, summary as account, sym};
    use crate::domain::analyzer::{StopAlert, StopKind};

    fn alert(kind: StopKind) -> StopAlert {
        StopAlert {
            kind,
            message: String::new(),
        }
    }

    fn kinds(issues: &[HealthIssue]) -> Vec<IssueKind> {
        issues.iter().map(|i| i.kind).collect()
    }

    #[test]
    fn issues_detected() {
        // Four positions (< 5); B is 25.1 % (> 25) but A at exactly 25 % is not flagged.
        let mut rows = vec![
            row("A", Some(1.0), 60.0, 25.0),
            row("B", Some(1.0), 60.0, 25.1),
            row("C", Some(1.0), 60.0, 5.0),
            row("D", None, 60.0, 0.0),
        ];
        rows[2].alerts = vec![alert(StopKind::Technical), alert(StopKind::Time)];
        let missing = [MissingData {
            symbol: sym("D"),
            role: DataRole::Holding,
        }];
        // Cash reserve 19.9 % < 20 %.
        let low_cash = AccountSummary {
            cash_reserve_pct: Some(19.9),
            ..account()
        };
        let found = issues(&rows, &low_cash, &missing, &rules().health);
        let messages: Vec<&str> = found.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "4 positions, fewer than 5",
                "B is 25.1 % of the portfolio (limit 25 %)",
                "cash reserve 19.9 % is under 20 %",
                "C: technical stop, time stop",
                "D: no price data",
            ]
        );
    }

    #[test]
    fn cash_reserve_edge_and_no_account() {
        let h = rules().health;
        let rows: Vec<HoldingRow> = ["A", "B", "C", "D", "E"]
            .iter()
            .map(|s| row(s, Some(1.0), 60.0, 10.0))
            .collect();
        // Exactly 20 % is enough: five positions, nothing to report.
        let at_edge = AccountSummary {
            cash_reserve_pct: Some(20.0),
            ..account()
        };
        assert_eq!(kinds(&issues(&rows, &at_edge, &[], &h)), []);
        let no_account = AccountSummary {
            balance_as_of: None,
            ..account()
        };
        assert_eq!(
            kinds(&issues(&rows, &no_account, &[], &h)),
            [IssueKind::NoAccount]
        );
        let no_equity = AccountSummary {
            cash_reserve_pct: None,
            ..account()
        };
        assert_eq!(
            kinds(&issues(&rows, &no_equity, &[], &h)),
            [IssueKind::LowCashReserve]
        );
        assert_eq!(
            kinds(&issues(&[], &account(), &[], &h)),
            [IssueKind::NoPositions]
        );
    }
}
