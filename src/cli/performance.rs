//! `performance`: the ledger's history as returns against SPY, P&L and the road to $1M.

use color_eyre::eyre::Result;

use super::args::PerformanceArgs;
use super::Context;
use crate::report;
use crate::service::performance::{account_report, plan_from_text};

pub fn run(ctx: &Context, args: PerformanceArgs) -> Result<u8> {
    let plan = plan_from_text(
        args.annual_return.as_deref(),
        args.monthly_contribution.as_deref(),
    )?;
    let store = ctx.open_store()?;
    let account = account_report(ctx, &store, args.as_of, &plan)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&account)?);
    } else {
        print!("{}", report::performance::account_text(&account));
    }
    Ok(0)
}
