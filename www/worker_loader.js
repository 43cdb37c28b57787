// The run worker (src/app/worker.rs): the page's own wasm module, run in a module worker
// (`new Worker("./worker_loader.js", { type: "module" })`, src/app/client.rs). The page
// posts the compiled module first, so nothing is fetched or compiled again; src/bin/app.rs
// starts the worker's side when it finds no window.
import init from "./app.js";

self.onmessage = (e) => {
  self.onmessage = null;
  init({ module_or_path: e.data });
};
