use hdi::prelude::*;
use ledger_rules::{check_village, CreditLimits, Units, Violation};

/// A village's parameters, set as DNA properties: each village is its own DNA, so its own network.
#[derive(Serialize, Deserialize, SerializedBytes, Debug, Clone, PartialEq)]
pub struct VillageProperties {
    pub village_name: String,
    /// The unit's name, e.g. "h" for hours.
    pub unit: String,
    /// Amounts are integers of 10^-decimals of the unit.
    pub decimals: u8,
    pub default_floor: Units,
    pub default_ceiling: Units,
}

impl VillageProperties {
    /// The properties of the running DNA, checked for coherence.
    pub fn current() -> ExternResult<Self> {
        let properties = dna_info()?.modifiers.properties;
        let village = Self::try_from(properties)
            .map_err(|e| wasm_error!(WasmErrorInner::Guest(format!("[cc:invalid_village] DNA properties are not a village: {e}"))))?;
        village.check().map_err(|v| wasm_error!(WasmErrorInner::Guest(v.to_string())))?;
        Ok(village)
    }

    pub fn default_limits(&self) -> CreditLimits {
        CreditLimits { floor: self.default_floor, ceiling: self.default_ceiling }
    }

    pub fn check(&self) -> Result<(), Violation> {
        check_village(self.decimals, self.default_limits())
    }
}
