//! The Account tab's performance panels, from the ledger's daily values (computed by the
//! worker, see `data::AccountPerformance`): today's change, the periods table against SPY,
//! the monthly table, the road to $1M and the value-vs-SPY chart.
//!
//! Wide and tall terminals (≥ 110 × 34) show them around the balances; smaller ones show
//! the performance alone (periods, road to $1M, monthly), since it is what the after-close
//! review reads first. The balances need the larger terminal then.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::format::{change_pct, money, points, NONE};
use crate::domain::performance::holdings::LedgerFigures;
use crate::domain::performance::monthly::MonthlyTable;
use crate::domain::performance::{signed_money, DayChange, Performance, RoadToMillion};
use crate::tui::data::{AccountPerformance, Dashboard};
use crate::tui::theme;
use crate::tui::widgets::{chart, panel};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Whether `area` holds the performance panels and the balances together.
pub fn holds_everything(area: Rect) -> bool {
    area.width >= 110 && area.height >= 34
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    data: &Dashboard,
    account: &AccountPerformance,
    summary: fn(&mut Frame, Rect, &Dashboard),
    balances: &dyn Fn(&mut Frame, Rect, &Dashboard),
) {
    let p = &account.performance;
    if !holds_everything(area) {
        return render_compact(frame, area, p);
    }
    let years = p.monthly.years.len() as u16;
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(13),
        Constraint::Length((years + 3).clamp(5, 8)),
        Constraint::Min(8),
    ])
    .areas(area);
    let [summary_area, periods_area] =
        Layout::horizontal([Constraint::Length(44), Constraint::Min(60)]).areas(top);
    summary(frame, summary_area, data);
    render_periods(frame, periods_area, p, Some(&account.ledger));
    render_monthly(frame, middle, &p.monthly);
    let [chart_area, side] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(58)]).areas(bottom);
    let [road_area, balances_area] =
        Layout::vertical([Constraint::Length(6), Constraint::Min(3)]).areas(side);
    render_chart(frame, chart_area, data, account);
    render_million(frame, road_area, &p.million);
    balances(frame, balances_area, data);
}

fn render_compact(frame: &mut Frame, area: Rect, p: &Performance) {
    let [periods_area, road_area, monthly_area] = Layout::vertical([
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Min(4),
    ])
    .areas(area);
    render_periods(frame, periods_area, p, None);
    render_million(frame, road_area, &p.million);
    render_monthly(frame, monthly_area, &p.monthly);
}

/// `ledger`: the P&L line, where the panel has room for it.
fn render_periods(frame: &mut Frame, area: Rect, p: &Performance, ledger: Option<&LedgerFigures>) {
    let wide = area.width >= 64;
    let mut lines = vec![today_line(p.today.as_ref())];
    let header = if wide {
        format!(
            "{:<12}{:<11}{:<7}{:>8}{:>8}{:>8}{:>8}",
            "Period", "From", "Basis", "TWR", "XIRR", "SPY", "± SPY"
        )
    } else {
        format!(
            "{:<12}{:>8}{:>8}{:>8}{:>8}",
            "Period", "TWR", "XIRR", "SPY", "± SPY"
        )
    };
    lines.push(Line::styled(header, theme::header()));
    for row in &p.periods {
        let label = format!("{:<12}", row.period.label());
        let Some(f) = &row.figures else {
            let why = format!("history starts after {}", row.wanted_from);
            lines.push(Line::from(vec![
                Span::raw(label),
                Span::styled(why, theme::dim()),
            ]));
            continue;
        };
        let mut spans = vec![Span::raw(label)];
        if wide {
            let basis = if f.annualized { "a year" } else { "period" };
            spans.push(Span::raw(format!("{:<11}{:<7}", f.from.to_string(), basis)));
        }
        spans.extend([
            signed(change_pct(f.twr_pct), f.twr_pct),
            signed(change_pct(f.mwr_pct), f.mwr_pct),
            Span::raw(format!("{:>8}", change_pct(f.spy_pct))),
            signed(points(f.difference_pp), f.difference_pp),
        ]);
        lines.push(Line::from(spans));
    }
    if let Some(l) = ledger {
        lines.extend(pnl_lines(l));
    }
    let title = format!(
        "Performance as of {} · {} · SPY total return, same dates",
        p.as_of,
        money(p.value)
    );
    frame.render_widget(Paragraph::new(lines).block(panel(&title)), area);
}

fn pnl_lines(l: &LedgerFigures) -> [Line<'static>; 2] {
    let unrealized = l
        .unrealized_pnl
        .map_or_else(|| NONE.to_string(), signed_money);
    [
        Line::from(vec![
            Span::styled("P&L         ", theme::dim()),
            Span::raw(format!(
                "realized {}  unrealized {unrealized}",
                signed_money(l.realized_pnl)
            )),
        ]),
        Line::raw(format!(
            "            dividends {}  fees {}  interest {}",
            money(l.dividends),
            money(l.fees),
            signed_money(l.interest)
        )),
    ]
}

fn signed(text: String, value: Option<f64>) -> Span<'static> {
    let style = value.map_or_else(theme::dim, theme::signed);
    Span::styled(format!("{text:>8}"), style)
}

fn today_line(day: Option<&DayChange>) -> Line<'static> {
    let Some(d) = day else {
        return Line::styled("Today: one session of history, no change yet", theme::dim());
    };
    let change = signed_money(d.change);
    let mut spans = vec![
        Span::styled(format!("Today {} ", d.date), theme::dim()),
        Span::styled(
            format!("{change} ({})", change_pct(d.change_pct)),
            d.change_pct.map_or_else(theme::dim, theme::signed),
        ),
        Span::raw(format!(
            "  SPY {}  ± {} pp",
            change_pct(d.spy_pct),
            points(d.difference_pp)
        )),
    ];
    if !d.flow.is_zero() {
        let flow = signed_money(d.flow);
        spans.push(Span::styled(format!("  ({flow} moved)"), theme::dim()));
    }
    Line::from(spans)
}

fn render_monthly(frame: &mut Frame, area: Rect, table: &MonthlyTable) {
    // One decimal needs 6 columns a month; narrower panels show whole percents.
    let (cell, decimals) = if area.width >= 4 + 12 * 6 + 8 + 2 {
        (6, 1)
    } else {
        (4, 0)
    };
    let fmt = |v: Option<f64>| v.map_or_else(|| NONE.to_string(), |v| format!("{v:+.decimals$}"));
    let mut header = "Year".to_string();
    for m in MONTHS {
        header.push_str(&format!("{m:>cell$}"));
    }
    header.push_str(&format!("{:>8}", "Year"));
    let mut lines = vec![Line::styled(header, theme::header())];
    let room = area.height.saturating_sub(3) as usize;
    let shown = &table.years[table.years.len().saturating_sub(room)..];
    for y in shown {
        let mut spans = vec![Span::raw(y.year.to_string())];
        for m in y.months_pct {
            let style = m.map_or_else(theme::dim, theme::signed);
            spans.push(Span::styled(format!("{:>cell$}", fmt(m)), style));
        }
        spans.push(Span::styled(
            format!("{:>8}", fmt(Some(y.year_pct))),
            theme::signed(y.year_pct),
        ));
        lines.push(Line::from(spans));
    }
    let title = if shown.len() < table.years.len() {
        format!("Monthly returns, TWR % (last {} years)", shown.len())
    } else {
        "Monthly returns, TWR %".to_string()
    };
    frame.render_widget(Paragraph::new(lines).block(panel(&title)), area);
}

fn render_million(frame: &mut Frame, area: Rect, m: &RoadToMillion) {
    let rate = m
        .annual_return_pct
        .map_or_else(|| NONE.to_string(), |r| format!("{r:+.1}% a year"));
    let lines = vec![
        Line::from(vec![
            Span::styled("Reached  ", theme::dim()),
            Span::styled(m.reach.describe(), theme::title()),
        ]),
        Line::from(vec![
            Span::styled("Range    ", theme::dim()),
            Span::raw(m.range.describe()),
        ]),
        Line::from(vec![
            Span::styled("Rate     ", theme::dim()),
            Span::raw(format!("{rate}, {}", m.rate_source.describe())),
        ]),
        Line::from(vec![
            Span::styled("Adding   ", theme::dim()),
            Span::raw(format!("{} a month", money(m.monthly_contribution))),
        ]),
    ];
    let title = format!("Road to $1M from {}", money(m.value));
    frame.render_widget(Paragraph::new(lines).block(panel(&title)), area);
}

/// The account's value each session and SPY given the same deposits on the same days.
fn render_chart(frame: &mut Frame, area: Rect, data: &Dashboard, account: &AccountPerformance) {
    let benchmark = data
        .analysis
        .as_ref()
        .map_or("SPY", |a| a.benchmark.as_str());
    let dates: Vec<_> = account.chart.iter().map(|p| p.date).collect();
    let lines = vec![
        chart::Line {
            name: "Total value".into(),
            style: theme::good(),
            points: account
                .chart
                .iter()
                .enumerate()
                .map(|(i, p)| (i as f64, p.value))
                .collect(),
        },
        chart::Line {
            // Short: ratatui hides a legend wider than a quarter of the chart.
            name: format!("{benchmark}+flows"),
            style: theme::warn(),
            points: account
                .chart
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((i as f64, p.benchmark?)))
                .collect(),
        },
    ];
    let title = format!("Total value vs {benchmark} given the same deposits (ledger)");
    chart::render(
        frame,
        area,
        &title,
        &dates,
        &lines,
        "Two sessions of history are needed for the chart.",
    );
}
