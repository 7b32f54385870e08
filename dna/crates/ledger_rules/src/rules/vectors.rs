//! The JSON test vectors shared with the TypeScript client (tests/vectors), so the page never
//! shows a split, a decayed balance or a witness quorum that validation would compute differently.
use super::demurrage::DemurragePolicy;
use crate::Units;
use serde_json::Value;

pub struct LevyVector {
    pub name: String,
    pub amount: Units,
    pub rates_bp: Vec<u32>,
    pub remainder_fund: usize,
    /// The split, or the refusal's code.
    pub expected: Result<super::levies::LevySplit, String>,
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("test vectors are valid JSON")
}

fn int(v: &Value, key: &str) -> i64 {
    v[key].as_i64().unwrap_or_else(|| panic!("{key} is an integer in {v}"))
}

pub fn levy_vectors() -> Vec<LevyVector> {
    let all = parse(include_str!("../../../../../tests/vectors/levies.json"));
    let common = |v: &Value| {
        (
            v["name"].as_str().unwrap().to_string(),
            int(v, "amount"),
            v["rates_bp"].as_array().unwrap().iter().map(|r| r.as_u64().unwrap() as u32).collect::<Vec<_>>(),
            int(v, "remainder_fund") as usize,
        )
    };
    let splits = all["splits"].as_array().unwrap().iter().map(|v| {
        let (name, amount, rates_bp, remainder_fund) = common(v);
        let to_funds = v["to_funds"].as_array().unwrap().iter().map(|f| f.as_i64().unwrap()).collect();
        LevyVector { name, amount, rates_bp, remainder_fund, expected: Ok(super::levies::LevySplit { to_payee: int(v, "to_payee"), to_funds }) }
    });
    let refusals = all["refusals"].as_array().unwrap().iter().map(|v| {
        let (name, amount, rates_bp, remainder_fund) = common(v);
        LevyVector { name, amount, rates_bp, remainder_fund, expected: Err(v["code"].as_str().unwrap().to_string()) }
    });
    splits.chain(refusals).collect()
}

/// One demurrage case: name, balance, idle seconds, the balance kept, the share to the commons.
pub type DemurrageVector = (String, Units, u64, Units, Units);

pub fn demurrage_vectors() -> (DemurragePolicy, Vec<DemurrageVector>) {
    let all = parse(include_str!("../../../../../tests/vectors/demurrage.json"));
    let p = &all["policy"];
    let policy =
        DemurragePolicy { grace_secs: int(p, "grace_secs") as u32, period_secs: int(p, "period_secs") as u32, rate_ppm: int(p, "rate_ppm") as u32 };
    let cases = all["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), int(c, "balance"), int(c, "idle_secs") as u64, int(c, "kept"), int(c, "to_commons")))
        .collect();
    (policy, cases)
}

/// (witnesses, quorum) pairs: how many of a village's witnesses sign each payment.
pub fn quorum_vectors() -> Vec<(usize, usize)> {
    let all = parse(include_str!("../../../../../tests/vectors/quorum.json"));
    all["cases"].as_array().unwrap().iter().map(|c| (int(c, "witnesses") as usize, int(c, "quorum") as usize)).collect()
}
