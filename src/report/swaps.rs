//! `swap list` as a table.

use crate::store::StoredSwap;

pub fn swap_table(swaps: &[StoredSwap]) -> String {
    let opt = |v: Option<i64>| v.map_or("—".to_string(), |q| q.to_string());
    let rows = swaps
        .iter()
        .map(|s| {
            vec![
                s.id.to_string(),
                s.date.to_string(),
                format!("{} → {}", s.reduce, s.increase),
                opt(s.reduce_quantity),
                opt(s.increase_quantity),
                s.expected_improvement_pct
                    .map_or("—".into(), |p| format!("{p:+.1}")),
                match (s.executed, s.execution_date) {
                    (true, Some(t)) => t.date().to_string(),
                    (true, None) => "yes".into(),
                    (false, _) => "no".into(),
                },
                s.actual_improvement_pct
                    .map_or("—".into(), |p| format!("{p:+.2}%")),
            ]
        })
        .collect();
    super::check::table(
        vec![
            "ID",
            "Date",
            "Reduce → Increase",
            "Sell",
            "Buy",
            "Expected (pts)",
            "Executed",
            "Actual",
        ],
        rows,
        3,
    )
    .to_string()
}
