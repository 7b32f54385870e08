use crate::{Kind, Micros, Village, Violation, ViolationCode};

/// Longest memo on a payment, in characters: it sits on two immutable chains forever.
pub const MAX_MEMO_CHARS: usize = 280;
/// Longest offer title.
pub const MAX_TITLE_CHARS: usize = 80;
/// Longest member name.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest cash-in reference and commons name.
pub const MAX_LABEL_CHARS: usize = 64;
/// Longest link tag on a membership link: a member's name in UTF-8 (at most 4 bytes a character).
pub const MAX_NAME_TAG_BYTES: usize = MAX_NAME_CHARS * 4;
/// Longest countersigning session a payment may hold two chains and a witness for.
pub const MAX_SESSION_MICROS: Micros = 15_000_000;

/// Rule: a free text is at most `max` characters; unless `may_be_empty`, it has something besides
/// spaces. Surrounding spaces are refused on names and labels so two never look alike.
pub fn check_text(what: &str, text: &str, max: usize, may_be_empty: bool) -> Result<(), Violation> {
    let chars = text.chars().count();
    let blank = text.trim().is_empty();
    if chars > max || (blank && !may_be_empty) {
        let least = if may_be_empty { 0 } else { 1 };
        return Err(Violation::new(ViolationCode::InvalidText, format!("{what} is {least} to {max} characters, got {chars}")));
    }
    if text.chars().any(char::is_control) {
        return Err(Violation::new(ViolationCode::InvalidText, format!("{what} may not hold control characters")));
    }
    Ok(())
}

/// Rule: a label (name, title, reference) is non-empty, bounded and has no surrounding spaces.
pub fn check_label(what: &str, text: &str, max: usize) -> Result<(), Violation> {
    check_text(what, text, max, false)?;
    if text.trim() != text {
        return Err(Violation::new(ViolationCode::InvalidText, format!("{what} may not start or end with spaces")));
    }
    Ok(())
}

/// Rule: a link's tag carries no more than its type needs (`max_bytes`: a membership link's is the
/// member's name, an offer link's is empty). Every peer that holds a link stores its tag, so an
/// unbounded tag is free storage at everyone's expense.
pub fn check_link_tag(what: &str, tag: &[u8], max_bytes: usize) -> Result<(), Violation> {
    if tag.len() > max_bytes {
        return Err(Violation::new(ViolationCode::InvalidText, format!("{what} carries a tag of at most {max_bytes} bytes, got {}", tag.len())));
    }
    Ok(())
}

/// Rule: a payment's memo is at most `MAX_MEMO_CHARS`.
pub fn check_memo(memo: &str) -> Result<(), Violation> {
    check_text("a memo", memo, MAX_MEMO_CHARS, true)
}

/// Rule: what a kind names exists and its texts are bounded: a fund is one of the village's, a
/// cash-in reference and a commons name are labels.
pub fn check_kind_fields<K, H>(kind: &Kind<H>, village: &Village<K>) -> Result<(), Violation> {
    match kind {
        Kind::TreasurySpend { fund } if *fund as usize >= village.funds.len() => {
            Err(Violation::new(ViolationCode::UnknownFund, format!("fund {fund} does not exist; this village has {} funds", village.funds.len())))
        }
        Kind::CashIn { reference } => check_label("a cash-in reference", reference, MAX_LABEL_CHARS),
        Kind::Stewardship { commons, .. } => check_label("a commons name", commons, MAX_LABEL_CHARS),
        _ => Ok(()),
    }
}

/// Rule: a payment's time is its session's start, and the session is no longer than
/// `MAX_SESSION_MICROS` (a longer one would hold both chains and a witness hostage).
pub fn check_session_times(payment_at: Micros, start: Micros, end: Micros) -> Result<(), Violation> {
    if payment_at != start {
        return Err(Violation::new(ViolationCode::WrongTime, "a payment's time is the start of its countersigning session"));
    }
    if end <= start || end - start > MAX_SESSION_MICROS {
        return Err(Violation::new(ViolationCode::WrongTime, format!("a payment session lasts at most {} ms", MAX_SESSION_MICROS / 1000)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::village::tests::seed_village;

    #[test]
    fn texts_are_bounded() {
        assert_eq!(check_memo(""), Ok(()));
        assert_eq!(check_memo(&"a".repeat(280)), Ok(()));
        assert_eq!(check_memo(&"a".repeat(281)).unwrap_err().code, ViolationCode::InvalidText);
        assert_eq!(check_memo("line\u{0}").unwrap_err().code, ViolationCode::InvalidText);
        assert_eq!(check_label("a name", " Iris", 64).unwrap_err().code, ViolationCode::InvalidText);
        assert_eq!(check_label("a name", "", 64).unwrap_err().code, ViolationCode::InvalidText);
        assert_eq!(check_label("a name", "Iris", 64), Ok(()));
    }

    #[test]
    fn link_tags_are_bounded() {
        assert_eq!(check_link_tag("an offer link", &[], 0), Ok(()));
        assert_eq!(check_link_tag("an offer link", &[0; 900], 0).unwrap_err().code, ViolationCode::InvalidText);
        assert_eq!(check_link_tag("a membership link", &[b'a'; MAX_NAME_TAG_BYTES], MAX_NAME_TAG_BYTES), Ok(()));
        assert_eq!(
            check_link_tag("a membership link", &[b'a'; MAX_NAME_TAG_BYTES + 1], MAX_NAME_TAG_BYTES).unwrap_err().code,
            ViolationCode::InvalidText
        );
    }

    #[test]
    fn a_kind_names_only_what_exists() {
        let village = seed_village();
        assert_eq!(check_kind_fields::<u8, u32>(&Kind::TreasurySpend { fund: 1 }, &village), Ok(()));
        assert_eq!(check_kind_fields::<u8, u32>(&Kind::TreasurySpend { fund: 2 }, &village).unwrap_err().code, ViolationCode::UnknownFund);
        let long = Kind::CashIn { reference: "r".repeat(65) };
        assert_eq!(check_kind_fields::<u8, u32>(&long, &village).unwrap_err().code, ViolationCode::InvalidText);
    }

    #[test]
    fn sessions_start_at_the_payment_and_are_short() {
        assert_eq!(check_session_times(10, 10, 10 + MAX_SESSION_MICROS), Ok(()));
        assert_eq!(check_session_times(9, 10, 20).unwrap_err().code, ViolationCode::WrongTime);
        assert_eq!(check_session_times(10, 10, 11 + MAX_SESSION_MICROS).unwrap_err().code, ViolationCode::WrongTime);
    }
}
