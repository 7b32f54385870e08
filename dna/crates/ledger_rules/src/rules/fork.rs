use crate::{Account, Units, Violation, ViolationCode, MAX_AMOUNT};

/// What a member whose chain forked owes the village beyond the branch the ledger counts for it.
/// Every payment keeps its parties' holdings (balance plus commons contributions) summed, so each
/// branch handed its counterparties exactly what it moved out from the fork point: the member's
/// holdings there less its holdings at the branch's end. The counted branch's debit matches its own
/// payments; no debit anywhere matches the other branches', so the village's total is off by their
/// sum, and that sum is what the member owes.
pub fn fork_excess(at_fork: &Account, branch_ends: &[Account], counted: usize) -> Result<Units, Violation> {
    let excess: i128 = branch_ends.iter().enumerate().filter(|(i, _)| *i != counted).map(|(_, end)| at_fork.holdings() - end.holdings()).sum();
    Units::try_from(excess).ok().filter(|e| e.abs() <= MAX_AMOUNT).ok_or_else(|| Violation::new(ViolationCode::Overflow, "fork excess out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holding(balance: Units, commons: [Units; 2]) -> Account {
        Account { balance, commons: commons.to_vec(), ..Account::opening(2) }
    }

    #[test]
    fn the_uncounted_branch_is_owed() {
        let at_fork = holding(-100, [10, 0]);
        // Branch 0 spent 50 (5 to the funds), branch 1 spent 200 (20 to the funds).
        let ends = [holding(-150, [15, 0]), holding(-300, [30, 0])];
        assert_eq!(fork_excess(&at_fork, &ends, 0), Ok(180));
        assert_eq!(fork_excess(&at_fork, &ends, 1), Ok(45));
    }

    #[test]
    fn a_branch_that_moved_nothing_owes_nothing() {
        let at_fork = holding(40, [0, 3]);
        assert_eq!(fork_excess(&at_fork, &[at_fork.clone(), holding(-10, [0, 8])], 1), Ok(0));
        assert_eq!(fork_excess(&at_fork, &[holding(-10, [0, 8])], 0), Ok(0));
    }
}
