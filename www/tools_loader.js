// Starts the tools worker (src/bin/tools.rs): wasm-bindgen's no-modules glue, then the
// wasm module. The page creates it with `new Worker("./tools_loader.js")` when a tool
// (form, share, import, compare, sizing) is first used.
importScripts("./tools.js");
wasm_bindgen({ module_or_path: "./tools_bg.wasm" });
