use hdi::prelude::*;
use ledger_rules::Village;

/// A village's parameters, set as DNA properties: each village is its own DNA, so its own network.
pub type VillageProperties = Village<AgentPubKey>;

/// The properties of the running DNA, checked for coherence. Agent keys are lists of 39 bytes.
pub fn current_village() -> ExternResult<VillageProperties> {
    let properties = dna_info()?.modifiers.properties;
    let not_a_village = |e: String| wasm_error!(WasmErrorInner::Guest(format!("[cc:invalid_village] DNA properties are not a village: {e}")));
    let raw: Village<Vec<u8>> = holochain_serialized_bytes::decode(properties.bytes()).map_err(|e| not_a_village(e.to_string()))?;
    let village = raw.map_agents(AgentPubKey::try_from_raw_39).map_err(|e| not_a_village(e.to_string()))?;
    village.check().map_err(|v| wasm_error!(WasmErrorInner::Guest(v.to_string())))?;
    Ok(village)
}
