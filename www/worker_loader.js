// Starts the simulation worker (src/bin/worker.rs): wasm-bindgen's no-modules glue, then
// the wasm module. The page creates it with `new Worker("./worker_loader.js")`.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" });
