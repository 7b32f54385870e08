use crate::{check_amount, Units, Violation, ViolationCode};

/// A co-op's published price, built from what it carries: its own labour, the ecological
/// stewardship of the resource it uses and the care stewardship behind its workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceBreakdown {
    pub labour: Units,
    pub ecological: Units,
    pub care: Units,
    pub price: Units,
}

/// Rule: an offer's price is exactly the sum of its parts, none negative.
/// Rule for a published offer: a title of 1 to `MAX_TITLE_CHARS` characters, a price that is exactly its parts.
pub fn check_offer_listing(title: &str, breakdown: &PriceBreakdown) -> Result<(), Violation> {
    crate::check_label("an offer's title", title, crate::MAX_TITLE_CHARS)?;
    check_offer(breakdown)
}

pub fn check_offer(offer: &PriceBreakdown) -> Result<(), Violation> {
    let parts = [offer.labour, offer.ecological, offer.care];
    if parts.iter().any(|&p| p < 0) {
        return Err(Violation::new(ViolationCode::WrongOffer, "no part of a price can be negative"));
    }
    check_amount(offer.price)?;
    let sum = parts.iter().try_fold(0 as Units, |s, &p| s.checked_add(p));
    if sum != Some(offer.price) {
        return Err(Violation::new(ViolationCode::WrongOffer, format!("price {} is not labour + ecological + care ({sum:?})", offer.price)));
    }
    Ok(())
}

/// Rule: paying for an offer pays its co-op its price: nothing extra, nothing less.
pub fn check_purchase(amount: Units, payee_is_offerer: bool, offer: &PriceBreakdown) -> Result<(), Violation> {
    if !payee_is_offerer {
        return Err(Violation::new(ViolationCode::WrongOffer, "an offer is paid to the co-op that published it"));
    }
    if amount != offer.price {
        return Err(Violation::new(ViolationCode::WrongOffer, format!("the offer costs {}, the payment is {amount}", offer.price)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPLE: PriceBreakdown = PriceBreakdown { labour: 500_000, ecological: 200_000, care: 300_000, price: 1_000_000 };

    #[test]
    fn the_apple_is_five_plus_two_plus_three() {
        assert_eq!(check_offer(&APPLE), Ok(()));
        assert_eq!(check_purchase(1_000_000, true, &APPLE), Ok(()));
    }

    #[test]
    fn a_price_that_hides_or_inflates_a_part_is_refused() {
        assert_eq!(check_offer(&PriceBreakdown { price: 1_100_000, ..APPLE }).unwrap_err().code, ViolationCode::WrongOffer);
        assert_eq!(check_offer(&PriceBreakdown { care: -1, price: 699_999, ..APPLE }).unwrap_err().code, ViolationCode::WrongOffer);
    }

    #[test]
    fn paying_more_less_or_someone_else_is_refused() {
        assert_eq!(check_purchase(900_000, true, &APPLE).unwrap_err().code, ViolationCode::WrongOffer);
        assert_eq!(check_purchase(1_100_000, true, &APPLE).unwrap_err().code, ViolationCode::WrongOffer);
        assert_eq!(check_purchase(1_000_000, false, &APPLE).unwrap_err().code, ViolationCode::WrongOffer);
    }
}
