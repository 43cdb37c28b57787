//! The Web Worker that runs the engine off the browser's main thread (built by Trunk,
//! see index.html). Natively a stub.

#[cfg(target_arch = "wasm32")]
fn main() {
    license_lab::app::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker runs in a browser: `bash scripts/serve.sh`");
}
