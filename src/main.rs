use std::process::ExitCode;

use clap::Parser;
use ducklens::cli::{self, Cli};

fn main() -> ExitCode {
    // Before any thread starts (see `malloc`).
    ducklens::malloc::cap_arenas();
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
                eprintln!("error: {}", cli::user_line(&report));
            } else {
                tracing::error!("{report:?}");
                eprintln!("internal error: {report:?}");
            }
            ExitCode::from(code)
        }
    }
}
