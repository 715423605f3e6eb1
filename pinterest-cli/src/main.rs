//! `pinterest`: see the crate's README section "Command line".

fn main() -> std::process::ExitCode {
    pinterest_cli::main()
}
