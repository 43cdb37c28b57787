//! `license-lab`: the native command line over the License Lab engine.

fn main() {
    // Arguments that are not valid Unicode are passed on lossily; they can only name a
    // file that then fails to open, with a message.
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = license_lab::cli::run(&args, &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(code);
}
