//! Writes the example gallery's index (`$OUT_DIR/examples_index.rs`): each example file's
//! scenario `name`, so the app lists the examples without embedding their text (the app
//! fetches an example's file when it is opened; see `src/app/gallery.rs`).

use std::fmt::Write as _;
use std::path::Path;

/// The scenario's `name` (the first top-level `name = "…"` line), else the file name.
fn title(text: &str, file: &str) -> String {
    text.lines()
        .find_map(|l| {
            let v = l
                .strip_prefix("name")?
                .trim_start()
                .strip_prefix('=')?
                .trim();
            let v = v.strip_prefix('"')?.strip_suffix('"')?;
            Some(v.replace("\\\"", "\"").replace("\\\\", "\\"))
        })
        .unwrap_or_else(|| file.to_string())
}

fn main() {
    let mut out = String::from("pub const TITLES: &[(&str, &str)] = &[\n");
    for dir in ["examples", "www"] {
        println!("cargo:rerun-if-changed={dir}");
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            let file = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default()
                .to_string();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let _ = writeln!(out, "    ({:?}, {:?}),", file, title(&text, &file));
        }
    }
    out.push_str("];\n");
    let Ok(dest) = std::env::var("OUT_DIR") else {
        return;
    };
    if let Err(e) = std::fs::write(Path::new(&dest).join("examples_index.rs"), out) {
        println!("cargo:warning=the examples' index could not be written: {e}");
    }
}
