//! The browser app's entry point (built by Trunk, see index.html). Natively a stub.

#[cfg(all(target_arch = "wasm32", feature = "app"))]
fn main() {
    license_lab::app::start();
}

#[cfg(not(all(target_arch = "wasm32", feature = "app")))]
fn main() {
    eprintln!("the app runs in a browser: `bash scripts/serve.sh`");
}
