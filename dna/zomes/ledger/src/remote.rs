//! Calling another member's conductor. Remote functions answer `RemoteReply`, so a refusal crosses
//! the network as data with its `[cc:<code>]` intact instead of as an opaque host error.
use crate::holochain_messages::{holochain_says, HolochainMessage};
use crate::pay::released_orphaned_lock;
use crate::refuse;
use hdk::prelude::*;
use ledger_integrity::ViolationCode;

#[derive(Serialize, Deserialize, Debug)]
pub enum RemoteReply<T> {
    Ok(T),
    Refused(String),
}

impl<T> From<ExternResult<T>> for RemoteReply<T> {
    fn from(result: ExternResult<T>) -> Self {
        match result {
            Ok(value) => RemoteReply::Ok(value),
            Err(error) => RemoteReply::Refused(guest_message(&error)),
        }
    }
}

/// The text of a guest error without the `Guest(...)` wrapping.
pub fn guest_message(error: &WasmError) -> String {
    match &error.error {
        WasmErrorInner::Guest(message) => message.clone(),
        other => format!("{other:?}"),
    }
}

pub fn call_member<I, O>(agent: &AgentPubKey, function: &str, payload: I) -> ExternResult<O>
where
    I: serde::Serialize + std::fmt::Debug,
    O: serde::de::DeserializeOwned + std::fmt::Debug,
{
    let answer = call_members_at_once(std::slice::from_ref(agent), function, &payload).pop();
    answer.unwrap_or_else(|| Err(refuse(ViolationCode::CounterpartyError, format!("{function} on the counterparty gave no answer"))))
}

/// Calls `function` on each of `agents` at once (Holochain runs one call's remote calls
/// concurrently), each answer in the order of `agents`.
pub fn call_members_at_once<I, O>(agents: &[AgentPubKey], function: &str, payload: &I) -> Vec<ExternResult<O>>
where
    I: serde::Serialize + std::fmt::Debug,
    O: serde::de::DeserializeOwned + std::fmt::Debug,
{
    let failed = |e: WasmError| refuse(ViolationCode::CounterpartyError, format!("{function} on the counterparty failed: {}", guest_message(&e)));
    let calls = || -> ExternResult<Vec<Call>> {
        let (zome, payload) = (zome_info()?.name, ExternIO::encode(payload).map_err(|e| wasm_error!(e))?);
        Ok(agents
            .iter()
            .map(|agent| Call::new(CallTarget::NetworkAgent(agent.clone()), zome.clone(), function.into(), None, payload.clone()))
            .collect())
    };
    match calls().and_then(|calls| HDK.with(|h| h.borrow().call(calls))) {
        Ok(responses) => responses.into_iter().map(|response| reply_of(response, function)).collect(),
        Err(e) => {
            let message = guest_message(&e);
            agents.iter().map(|_| Err(failed(wasm_error!(WasmErrorInner::Guest(message.clone()))))).collect()
        }
    }
}

fn reply_of<O: serde::de::DeserializeOwned + std::fmt::Debug>(response: ZomeCallResponse, function: &str) -> ExternResult<O> {
    match response {
        ZomeCallResponse::Ok(io) => match io.decode::<RemoteReply<O>>().map_err(|e| wasm_error!(e))? {
            RemoteReply::Ok(value) => Ok(value),
            RemoteReply::Refused(message) => Err(wasm_error!(WasmErrorInner::Guest(message))),
        },
        // A remote call that fails after the remote function returned (its commit refused by
        // validation, or awaiting dependencies) also arrives as a network error: keep its text.
        // The counterparty released a chain lock Holochain had left behind (`orphaned_lock`).
        ZomeCallResponse::NetworkError(e) if holochain_says(HolochainMessage::LockReleaseRefused, &e) => Err(released_orphaned_lock()),
        ZomeCallResponse::NetworkError(e) if e.contains("[cc:") || holochain_says(HolochainMessage::DependencyMissing, &e) => {
            Err(wasm_error!(WasmErrorInner::Guest(e)))
        }
        ZomeCallResponse::NetworkError(e) => {
            Err(refuse(ViolationCode::CounterpartyOffline, format!("the counterparty could not be reached ({function}): {e}")))
        }
        ZomeCallResponse::Unauthorized(..) => Err(refuse(ViolationCode::UnknownMember, "the counterparty's app does not take payments")),
        other => Err(refuse(ViolationCode::CounterpartyError, format!("{function} on the counterparty failed: {other:?}"))),
    }
}

/// Whether `agent`'s conductor answers right now (peers must know each other's addresses first).
#[hdk_extern]
pub fn is_reachable(agent: AgentPubKey) -> ExternResult<bool> {
    Ok(call_member::<(), ()>(&agent, "ping", ()).is_ok())
}

/// Answers a peer checking that someone besides the two parties is online.
#[hdk_extern]
pub fn ping(_: ()) -> ExternResult<RemoteReply<()>> {
    Ok(RemoteReply::Ok(()))
}
