use std::process::ExitCode;

use clap::Parser;
use ducklens::cli::{self, Cli};

fn main() -> ExitCode {
    // color-eyre's hooks restore the terminal before reporting a panic or an error.
    let _ = color_eyre::install();
    // A mistyped command or flag is a user error (exit 1, as DESIGN §6 says), not clap's 2.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    let _log = ducklens::logging::init(&ducklens::paths::state_dir());
    // The only place the clock is read: everything below receives "today" as a value.
    let today = chrono::Local::now().date_naive();
    match cli::run(cli, today) {
        Ok(code) => ExitCode::from(code),
        Err(report) => {
            let code = cli::exit_code_for(&report);
            if code == 1 {
                // One line: a database message carries the SQL after its first line.
                let text = report.to_string();
                let first = text.lines().next().unwrap_or_default();
                // An operation already said so in these words (`service::ops::TOO_LARGE`).
                if first.contains("out of range") && !first.contains("too large to store") {
                    eprintln!(
                        "error: a value is too large to store, nothing was written ({first})"
                    );
                } else {
                    eprintln!("error: {first}");
                }
            } else {
                tracing::error!("{report:?}");
                eprintln!("internal error: {report:?}");
            }
            ExitCode::from(code)
        }
    }
}
