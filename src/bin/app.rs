//! The browser app's entry point (built by Trunk, see index.html). Natively a stub.

#[cfg(target_arch = "wasm32")]
fn main() {
    license_lab::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the app runs in a browser: `bash scripts/serve.sh`");
}
