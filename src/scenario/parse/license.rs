//! `[license]`: what is licensed (TOK-1, TOK-5, NU-1, CAP-1, CAP-3, CORE-1, NODE-1).

use super::ctx::Ctx;
use super::raw::RawLicense;
use super::values::choice;
use crate::scenario::schema::{self, Section::License as L};
use crate::scenario::{License, Overage};

pub(super) fn read(cx: &mut Ctx, l: &RawLicense) -> License {
    let kind = l.kind.as_ref().and_then(|k| {
        choice(&schema::LICENSE_KIND_WORDS, k.get_ref(), "license kind")
            .map_err(|e| {
                cx.err(
                    k.span(),
                    format!("{e} (TOK-5: one LEF is one or the other)"),
                )
            })
            .ok()
    });
    let license = License {
        kind: kind.unwrap_or(schema::LICENSE_KIND_WORDS[0].1),
        tokens: cx.opt_bounded(&l.tokens, L, "tokens"),
        professional: cx.opt_bounded(&l.professional, L, "professional"),
        analyzer: cx.opt_bounded(&l.analyzer, L, "analyzer"),
        analyzer_capacity_packs: cx.opt_bounded(
            &l.analyzer_capacity_packs,
            L,
            "analyzer_capacity_packs",
        ),
        core_minutes: cx.opt_bounded(&l.core_minutes, L, "core_minutes"),
        cores: l.cores.as_ref().and_then(|c| cx.bounded(c, L, "cores")),
        overage: overage(cx, &l.overage).unwrap_or(Overage::None),
        qap_edition: l.qap_edition.as_ref().and_then(|q| {
            choice(&schema::QAP_EDITION_WORDS, q.get_ref(), "QAP edition")
                .map_err(|e| cx.err(q.span(), format!("{e} (LM II.A)")))
                .ok()
        }),
    };
    // NU-1: Analyzer and Analyzer Capacity need at least one Professional allocation.
    if license.professional == 0 {
        if let (true, Some(a)) = (license.analyzer > 0, &l.analyzer) {
            cx.err(
                a.span(),
                "an Analyzer allocation needs at least one Professional allocation in the license (NU-1)",
            );
        }
        if let (true, Some(c)) = (
            license.analyzer_capacity_packs > 0,
            &l.analyzer_capacity_packs,
        ) {
            cx.err(
                c.span(),
                "Analyzer Capacity needs at least one Professional allocation in the license (NU-1)",
            );
        }
    }
    license
}

/// CAP-3: `"none"`, `"unlimited"` or a number of minutes; `None` after an error.
fn overage(cx: &mut Ctx, o: &Option<toml::Spanned<toml::Value>>) -> Option<Overage> {
    let o = o.as_ref()?;
    let (_, max) = schema::bounds(L, "overage");
    let word = |s: &str| schema::from_word(&schema::OVERAGE_WORDS, s);
    match o.get_ref() {
        toml::Value::String(s) if word(s).is_some() => return word(s),
        toml::Value::Integer(n) if (0..=max).contains(n) => return Some(Overage::Minutes(*n)),
        toml::Value::Integer(n) if *n < 0 => {
            cx.err(o.span(), format!("`overage` cannot be negative (got {n})"))
        }
        _ => {
            let words: Vec<String> = schema::OVERAGE_WORDS
                .iter()
                .map(|(w, _)| format!("\"{w}\""))
                .collect();
            cx.err(
                o.span(),
                format!(
                    "`overage` must be {} or a number of minutes (CAP-3)",
                    words.join(", ")
                ),
            )
        }
    }
    None
}
