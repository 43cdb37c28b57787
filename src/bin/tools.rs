//! The tools' Web Worker (form, share, import, compare, sizing), built by Trunk (see
//! index.html) and started by the page when a tool is first used. Natively a stub.

#[cfg(all(target_arch = "wasm32", feature = "app"))]
fn main() {
    license_lab::app::tools::start();
}

#[cfg(not(all(target_arch = "wasm32", feature = "app")))]
fn main() {
    eprintln!("the tools worker runs in a browser: `bash scripts/serve.sh`");
}
