//! Sizing (SIZE-1, SIZE-2).

/// SIZE-1: tokens = ceil(people × passes per person × (100 + buffer%) / 1000), in exact
/// integer arithmetic. `None` if the numbers are too large to multiply.
pub fn size1(people: u64, passes_per_person: u64, buffer_percent: u64) -> Option<u64> {
    let numerator = u128::from(people)
        .checked_mul(u128::from(passes_per_person))?
        .checked_mul(100 + u128::from(buffer_percent))?;
    u64::try_from(numerator.div_ceil(1000)).ok()
}

/// SIZE-2: passes in 28 days above which a User Access Pass costs less than login passes
/// (1 token = 10 login passes).
pub const UAP_BREAK_EVEN_PASSES: u64 = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_1_103_people_4_passes_20_percent_is_50() {
        assert_eq!(size1(103, 4, 20), Some(50));
    }

    #[test]
    fn size_1_is_exact_at_the_boundary() {
        // 100 × 5 × 120 / 1000 = 60 exactly: no rounding up.
        assert_eq!(size1(100, 5, 20), Some(60));
        assert_eq!(size1(1, 1, 0), Some(1));
        assert_eq!(size1(0, 4, 20), Some(0));
    }
}
