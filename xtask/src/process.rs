//! Running the tools xtask drives (git, cargo) and reading what they print.

use std::path::Path;
use std::process::Command;

/// Runs `cmd` and returns its standard output. A failure to start names
/// the program; a non-zero exit names the command line and carries its
/// standard error.
pub(crate) fn stdout(cmd: &mut Command) -> Result<String, String> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if !out.status.success() {
        let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
        return Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `git ARGS` in `dir`: its standard output.
pub(crate) fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    stdout(Command::new("git").current_dir(dir).args(args))
}
