//! The app's modules (`src/app/`) by concern (ARCHITECTURE.md, "The app"): the stores
//! (`store.rs`) know only the messages (`protocol`), never a feature; and no module of the
//! app uses, through others, a module that uses it back (a feature reaches the ones it
//! needs, `layout` composes them all). Read from the `super::` paths of the code
//! (comments are not code).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

/// Each app module and the app modules its code names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let mut files: Vec<(String, String)> = Vec::new();
    for entry in fs::read_dir("src/app").expect("src/app") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            files.push((name, format!("{}/mod.rs", path.display())));
        } else if name != "mod" {
            files.push((name, path.display().to_string()));
        }
    }
    for (name, file) in files {
        let text = fs::read_to_string(&file).expect("read");
        let mut uses = BTreeSet::new();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(i) = rest.find("super::") {
                rest = &rest[i + "super::".len()..];
                let module: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !module.is_empty() && module != name {
                    uses.insert(module);
                }
            }
        }
        out.insert(name, uses);
    }
    out
}

#[test]
fn app_stores_use_no_feature() {
    let g = graph();
    let store = g.get("store").expect("src/app/store.rs");
    let features: Vec<&String> = store.iter().filter(|m| *m != "protocol").collect();
    assert!(
        features.is_empty(),
        "src/app/store.rs uses {features:?}: the stores hold state, the features act on it"
    );
}

#[test]
fn app_modules_use_each_other_in_one_direction() {
    let g = graph();
    // Depth-first: a module met again while still on the path closes a cycle.
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        m: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(i) = path.iter().position(|p| p == m) {
            cycles.push(format!("{} → {m}", path[i..].join(" → ")));
            return;
        }
        if !done.insert(m.to_string()) {
            return;
        }
        path.push(m.to_string());
        for next in g.get(m).into_iter().flatten() {
            if g.contains_key(next) {
                visit(g, next, path, done, cycles);
            }
        }
        path.pop();
    }
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for m in g.keys() {
        visit(&g, m, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(cycles.is_empty(), "app modules in a cycle: {cycles:#?}");
    // The three that used to import each other.
    for (a, b) in [
        ("library", "sizing"),
        ("sizing", "library"),
        ("tools_client", "library"),
        ("tools_client", "sizing"),
    ] {
        assert!(!g[a].contains(b), "{a} uses {b}");
    }
}
