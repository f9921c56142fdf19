//! `varde`: the command-line interface to a Varde evidence locker.
//!
//! Thin by design: parse arguments, call `varde-core`, print. Exit codes are part of the
//! interface (see [`exit`]).

#[macro_use]
mod output;
mod args;
mod bundle;
mod commands;
mod document;
mod exit;
mod guidance;
mod secret;

use clap::Parser;

fn main() {
    // A closed pipe (`varde case list | head`) ends the process quietly, as for other
    // command-line tools, instead of a panic in `println!`.
    sigpipe::reset();
    let cli = args::Cli::parse();
    let json_errors = cli.wants_json();
    match commands::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            let code = exit::code_for(&e);
            if json_errors {
                let (code_name, message) = exit::describe(&e);
                eprintln!(
                    "{}",
                    serde_json::json!({"error": {"code": code_name, "message": message}})
                );
            } else {
                eprintln!("varde: {}", output::clean(&exit::message(&e)));
            }
            std::process::exit(code);
        }
    }
}
