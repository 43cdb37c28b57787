//! The Web Worker that runs the engine off the browser's main thread (built by Trunk,
//! see index.html). Natively a stub.

#[cfg(all(target_arch = "wasm32", feature = "app"))]
fn main() {
    license_lab::app::worker::start();
}

#[cfg(not(all(target_arch = "wasm32", feature = "app")))]
fn main() {
    eprintln!("the worker runs in a browser: `bash scripts/serve.sh`");
}
