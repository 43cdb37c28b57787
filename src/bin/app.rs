//! The browser app's entry point (built by Trunk, see index.html): on the page, the app;
//! in the run worker, which runs this same module (`www/worker_loader.js`), the engine's
//! side ([`license_lab::app::worker`]). Natively a stub.

#[cfg(all(target_arch = "wasm32", feature = "app"))]
fn main() {
    if web_sys::window().is_some() {
        license_lab::app::start();
    } else {
        license_lab::app::worker::start();
    }
}

#[cfg(not(all(target_arch = "wasm32", feature = "app")))]
fn main() {
    eprintln!("the app runs in a browser: `bash scripts/serve.sh`");
}
