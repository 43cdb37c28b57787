//! `[prices]`: optional list prices, for cost comparisons.

use toml::Spanned as S;

use super::ctx::Ctx;
use super::raw::RawPrices;
use crate::scenario::Prices;

pub(super) fn read(cx: &mut Ctx, p: &RawPrices) -> Prices {
    let mut price = |v: &Option<S<toml::Value>>, key: &str| {
        v.as_ref()
            .and_then(|v| cx.number(v, &format!("price `{key}`")))
    };
    Prices {
        token: price(&p.token, "token"),
        professional: price(&p.professional, "professional"),
        analyzer: price(&p.analyzer, "analyzer"),
        capacity_pack: price(&p.capacity_pack, "capacity_pack"),
        overage_minute: price(&p.overage_minute, "overage_minute"),
        currency: p
            .currency
            .as_ref()
            .map(|c| c.get_ref().to_string())
            .unwrap_or_default(),
    }
}
