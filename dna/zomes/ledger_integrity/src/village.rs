use hdi::prelude::*;
use ledger_rules::Village;

/// A village's parameters, set as DNA properties: each village is its own DNA, so its own network.
pub type VillageProperties = Village<AgentPubKey>;

/// The properties of the running DNA, checked for coherence.
pub fn current_village() -> ExternResult<VillageProperties> {
    let properties = dna_info()?.modifiers.properties;
    let village: VillageProperties = holochain_serialized_bytes::decode(properties.bytes())
        .map_err(|e| wasm_error!(WasmErrorInner::Guest(format!("[cc:invalid_village] DNA properties are not a village: {e}"))))?;
    village.check().map_err(|v| wasm_error!(WasmErrorInner::Guest(v.to_string())))?;
    Ok(village)
}
