//! Calling another member's conductor. Remote functions answer `RemoteReply`, so a refusal crosses
//! the network as data (its code and its sentence) instead of as an opaque host error, and every
//! call's failure reaches the caller as a `Refusal` whose code it can match on.
use crate::error::{guest_message, Refusal};
use crate::holochain_messages::{holochain_says, HolochainMessage};
use crate::session::released_orphaned_lock;
use hdk::prelude::*;
use ledger_integrity::ViolationCode;

#[derive(Serialize, Deserialize, Debug)]
pub enum RemoteReply<T> {
    Ok(T),
    /// The refusal's stable code (`ViolationCode::as_str`), if it has one, and its sentence.
    Refused {
        code: Option<String>,
        message: String,
    },
}

impl<T> From<ExternResult<T>> for RemoteReply<T> {
    fn from(result: ExternResult<T>) -> Self {
        match result {
            Ok(value) => RemoteReply::Ok(value),
            Err(error) => {
                let refusal = Refusal::of(&error);
                RemoteReply::Refused { code: refusal.code.map(|c| c.as_str().to_string()), message: refusal.message }
            }
        }
    }
}

pub fn call_member<I, O>(agent: &AgentPubKey, function: &str, payload: I) -> Result<O, Refusal>
where
    I: serde::Serialize + std::fmt::Debug,
    O: serde::de::DeserializeOwned + std::fmt::Debug,
{
    let answer = call_members_at_once(std::slice::from_ref(agent), function, &payload).pop();
    answer.unwrap_or_else(|| Err(Refusal::new(ViolationCode::CounterpartyError, format!("{function} on the counterparty gave no answer"))))
}

/// Calls `function` on each of `agents` at once (Holochain runs one call's remote calls
/// concurrently), each answer in the order of `agents`.
pub fn call_members_at_once<I, O>(agents: &[AgentPubKey], function: &str, payload: &I) -> Vec<Result<O, Refusal>>
where
    I: serde::Serialize + std::fmt::Debug,
    O: serde::de::DeserializeOwned + std::fmt::Debug,
{
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
            let failed = Refusal::new(ViolationCode::CounterpartyError, format!("{function} on the counterparty failed: {}", guest_message(&e)));
            agents.iter().map(|_| Err(failed.clone())).collect()
        }
    }
}

fn reply_of<O: serde::de::DeserializeOwned + std::fmt::Debug>(response: ZomeCallResponse, function: &str) -> Result<O, Refusal> {
    match response {
        ZomeCallResponse::Ok(io) => match io.decode::<RemoteReply<O>>() {
            Ok(RemoteReply::Ok(value)) => Ok(value),
            Ok(RemoteReply::Refused { code, message }) => {
                Ok(code.as_deref().and_then(ViolationCode::parse)).and_then(|code| Err(Refusal { code, message }))
            }
            Err(e) => Err(Refusal::new(
                ViolationCode::CounterpartyError,
                format!("{function} on the counterparty answered in a form this app does not read: {e}"),
            )),
        },
        // The counterparty released a chain lock Holochain had left behind (`orphaned_lock`).
        ZomeCallResponse::NetworkError(e) if holochain_says(HolochainMessage::LockReleaseRefused, &e) => Err(Refusal::of(&released_orphaned_lock())),
        // A remote call that fails after the remote function returned (its commit refused by
        // validation, or awaiting dependencies) also arrives as a network error: its refusal is
        // read out of Holochain's text, whole when it carries no code (or one this version does not know).
        ZomeCallResponse::NetworkError(e) if e.contains("[cc:") || holochain_says(HolochainMessage::DependencyMissing, &e) => {
            Err(Refusal::from_text(&e))
        }
        ZomeCallResponse::NetworkError(e) => {
            Err(Refusal::new(ViolationCode::CounterpartyOffline, format!("the counterparty could not be reached ({function}): {e}")))
        }
        ZomeCallResponse::Unauthorized(..) => Err(Refusal::new(ViolationCode::UnknownMember, "the counterparty's app does not take payments")),
        other => Err(Refusal::new(ViolationCode::CounterpartyError, format!("{function} on the counterparty failed: {other:?}"))),
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
