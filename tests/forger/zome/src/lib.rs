//! A DISHONEST coordinator, installed only by tests: the "modified client" of the threat model.
//! It shares the ledger's integrity zome (so the same DNA hash and network) but commits whatever
//! payment it is handed, skipping every check the honest `ledger` coordinator makes. Each commit it
//! makes must be refused by validation: by its own conductor, and by any honest counterparty's.
use hdk::prelude::*;
use ledger_integrity::ledger_rules::{AttestedTops, ChainTop};
use ledger_integrity::{AccountClosure, CashOutRequest, EntryTypes, Payment};

#[hdk_extern]
pub fn init() -> ExternResult<InitCallbackResult> {
    let zome = zome_info()?.name;
    let functions = [(zome.clone(), FunctionName::from("forge_accept")), (zome, FunctionName::from("chain_top"))].into_iter().collect();
    create_cap_grant(CapGrant::new_zome_call_grant("accomplice".into(), GrantConstraint::Unrestricted, GrantedFunctions::Listed(functions)))?;
    Ok(InitCallbackResult::Pass)
}

/// Commits a payment as a plain entry, with no countersignature at all.
#[hdk_extern]
pub fn forge_plain_payment(payment: Payment) -> ExternResult<ActionHash> {
    create_entry(EntryTypes::Payment(payment))
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ForgeInput {
    pub payment: Payment,
    /// Who signs the session, in order; may differ from the payment's parties (a forged counterparty).
    pub signers: Vec<AgentPubKey>,
    /// True: the counterparty runs the honest `ledger` zome and commits first, so its own conductor
    /// judges the forgery. False: the counterparty is an accomplice running this zome, and this
    /// agent commits the forgery on its own chain.
    pub counterparty_is_honest: bool,
    pub window_ms: u64,
    /// The session's witnesses (its first signers, enzymatic), in order: accomplices running this
    /// zome, or honest witnesses running the ledger zome. None: a session with no witness at all.
    #[serde(default)]
    pub witnesses: Vec<AgentPubKey>,
    /// Those of `witnesses` asked through the honest ledger zome (`witness_payment`), in order,
    /// before anyone else signs: a refusal ends the attempt.
    #[serde(default)]
    pub honest_witnesses: Vec<AgentPubKey>,
    /// The chain tops put in the request for the witness to attest; the real ones when absent.
    #[serde(default)]
    pub attested: Option<AttestedTops<ActionHash>>,
    /// Sign this agent's own preflight response over this chain top instead of the real one
    /// (`sign_raw`): a top the witness never attested.
    #[serde(default)]
    pub sign_my_response_at: Option<ChainTop<ActionHash>>,
    /// Sign this agent's response (at `sign_my_response_at`, else its current top) without taking
    /// its chain lock: two sessions from one top at once, as a modified coordinator can.
    #[serde(default)]
    pub sign_without_lock: bool,
    /// The fund balance named for the witness to attest (treasury spending), with the real tops.
    #[serde(default)]
    pub fund_held: Option<ledger_integrity::Units>,
}

/// The honest zome's payee quote (`ledger::pay::Quote`), mirrored to read the payee's chain top.
#[derive(Serialize, Deserialize, Debug)]
struct Quote {
    #[allow(dead_code)]
    position: ledger_integrity::ledger_rules::ChainPosition<ActionHash>,
    top: ChainTop<ActionHash>,
}

/// The honest zome's reply shape (`ledger::remote::RemoteReply`), mirrored to decode it.
#[derive(Serialize, Deserialize, Debug)]
pub enum RemoteReply<T> {
    Ok(T),
    Refused { code: Option<String>, message: String },
}

#[derive(Serialize, Deserialize, Debug)]
pub struct PaymentSession {
    payment: Payment,
    responses: Vec<PreflightResponse>,
}

#[derive(Serialize, Deserialize, Debug)]
struct AcceptPaymentInput {
    payment: Payment,
    request: PreflightRequest,
}

#[hdk_extern]
pub fn forge_countersigned_payment(input: ForgeInput) -> ExternResult<ActionHash> {
    let session = signed_session(&input)?;
    if input.counterparty_is_honest {
        let counterparty = counterparty_of(&input)?;
        return remote(&counterparty, "ledger", "commit_payment_as_payee", session);
    }
    let data = CounterSigningSessionData::try_from_responses(session.responses, vec![]).map_err(|e| fail(&e.to_string()))?;
    commit_on_my_chain(input.payment, data)
}

/// Commits a countersigned payment on this agent's chain, whatever it says.
fn commit_on_my_chain(payment: Payment, session: CounterSigningSessionData) -> ExternResult<ActionHash> {
    let typed = EntryTypes::Payment(payment.clone());
    let entry = Entry::CounterSign(Box::new(session), payment.try_into()?);
    HDK.with(|h| {
        h.borrow().create(CreateInput::new(
            EntryDefLocation::from(ScopedEntryDefIndex::try_from(&typed)?),
            EntryVisibility::from(&typed),
            entry,
            ChainTopOrdering::Strict,
        ))
    })
}

/// A session every signer has signed and nobody has committed yet: with an accomplice witness
/// and an honest payee, the payer then commits it through the honest zome like any payment (the
/// colluding-witness fork of the threat model).
#[hdk_extern]
pub fn collude(input: ForgeInput) -> ExternResult<PaymentSession> {
    signed_session(&input)
}

fn counterparty_of(input: &ForgeInput) -> ExternResult<AgentPubKey> {
    let me = agent_info()?.agent_initial_pubkey;
    input.signers.iter().find(|a| **a != me).cloned().ok_or_else(|| fail("no counterparty among signers"))
}

fn signed_session(input: &ForgeInput) -> ExternResult<PaymentSession> {
    let me = agent_info()?.agent_initial_pubkey;
    let counterparty = counterparty_of(input)?;
    let entry_type: EntryType = EntryTypes::Payment(input.payment.clone()).try_into()?;
    let mut signers: Vec<AgentPubKey> = input.witnesses.clone();
    signers.extend(input.signers.iter().cloned());
    let witnessed = !input.witnesses.is_empty();
    let attested = match &input.attested {
        Some(tops) => Some(tops.clone()),
        None if witnessed => Some(real_tops(&me, &counterparty, input)?),
        None => None,
    };
    let bytes = match &attested {
        Some(tops) => holochain_serialized_bytes::encode(tops).map_err(|e| wasm_error!(e))?,
        None => vec![],
    };
    let request = PreflightRequest::try_new(
        hash_entry(&input.payment)?,
        signers.iter().map(|a| (a.clone(), vec![])).collect(),
        vec![],
        0,
        witnessed,
        // The session starts at the payment's own time, as validation requires (that is not the forgery).
        input.payment.session_times(input.window_ms).map_err(|e| fail(&e))?,
        ActionBase::Create(CreateBase::new(entry_type)),
        PreflightBytes(bytes),
    )
    .map_err(|e| fail(&e.to_string()))?;
    let accept_input = AcceptPaymentInput { payment: input.payment.clone(), request: request.clone() };
    // Honest witnesses sign first, as with the honest app: a refusal ends the attempt.
    let mut responses = Vec::new();
    for witness in &input.honest_witnesses {
        responses.push(remote::<_, PreflightResponse>(witness, "ledger", "witness_payment", &accept_input)?);
    }
    let locked = if input.sign_without_lock { None } else { Some(accepted(accept_countersigning_preflight_request(request.clone())?)?) };
    // Signed at a named top, the response is this agent's own signature (`sign_raw`); without a
    // lock, this agent's conductor need not be free of another session.
    let mine = match (&input.sign_my_response_at, locked) {
        (None, Some(locked)) => locked,
        (named, _) => {
            let top = match named {
                Some(top) => top.clone(),
                None => {
                    let (hash, seq, _) = agent_info()?.chain_head;
                    ChainTop { hash, seq }
                }
            };
            let index = signers.iter().position(|a| *a == me).ok_or_else(|| fail("this agent is not a signer"))?;
            signed_at(&request, index, &top)?
        }
    };
    let theirs: PreflightResponse = if input.counterparty_is_honest {
        remote(&counterparty, "ledger", "accept_payment", &accept_input)?
    } else {
        remote(&counterparty, "forger", "forge_accept", request.clone())?
    };
    responses.extend([mine, theirs]);
    for accomplice in input.witnesses.iter().filter(|w| !input.honest_witnesses.contains(w)) {
        responses.push(remote(accomplice, "forger", "forge_accept", request.clone())?);
    }
    responses.sort_by_key(|r| *r.agent_state().agent_index());
    Ok(PaymentSession { payment: input.payment.clone(), responses })
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ForgeRedemption {
    pub payment: Payment,
    /// The session's witnesses, in order: accomplices running this zome unless named in
    /// `honest_witnesses`, which are asked first through the honest ledger zome.
    pub witnesses: Vec<AgentPubKey>,
    #[serde(default)]
    pub honest_witnesses: Vec<AgentPubKey>,
    pub window_ms: u64,
    /// For a reclaim: the voucher's payee's chain top, for the accomplice to "attest".
    #[serde(default)]
    pub voucher_payee_top: Option<ChainTop<ActionHash>>,
}

/// Redeems a voucher (or, as its payer, takes one back) on this agent's chain alone, witnessed by
/// an accomplice that accepts anything: only this agent's own validation judges it (a second
/// redemption, an expired voucher, a reclaim of a redeemed one).
#[hdk_extern]
pub fn forge_redemption(input: ForgeRedemption) -> ExternResult<ActionHash> {
    let session = redemption_signed(&input, Locking::Take)?;
    let data = CounterSigningSessionData::try_from_responses(session.responses, vec![]).map_err(|e| fail(&e.to_string()))?;
    commit_on_my_chain(input.payment, data)
}

/// A redemption (or reclaim) session every signer has signed, committed by nobody, with this
/// agent's response signed at its current top without its conductor's lock: what a modified
/// coordinator gathers to redeem one voucher twice at once.
#[hdk_extern]
pub fn redemption_session(input: ForgeRedemption) -> ExternResult<PaymentSession> {
    redemption_signed(&input, Locking::Skip)
}

enum Locking {
    Take,
    Skip,
}

fn redemption_signed(input: &ForgeRedemption, locking: Locking) -> ExternResult<PaymentSession> {
    let (hash, seq, _) = agent_info()?.chain_head;
    let payer = match (&input.payment.kind, &input.voucher_payee_top) {
        (ledger_integrity::PaymentKind::Redemption { voucher }, _) => {
            let voucher_record = get(voucher.clone(), GetOptions::network())?.ok_or_else(|| fail("voucher not found"))?;
            ChainTop { hash: voucher.clone(), seq: voucher_record.action().action_seq() }
        }
        (ledger_integrity::PaymentKind::Reclaim { .. }, Some(top)) => top.clone(),
        _ => return Err(fail("not a redemption, or a reclaim with its voucher payee's top")),
    };
    let tops = AttestedTops { payer, payee: ChainTop { hash, seq }, fund_held: None };
    let entry_type: EntryType = EntryTypes::Payment(input.payment.clone()).try_into()?;
    let me = agent_info()?.agent_initial_pubkey;
    let request = PreflightRequest::try_new(
        hash_entry(&input.payment)?,
        input.witnesses.iter().chain([&me]).map(|a| (a.clone(), vec![])).collect(),
        vec![],
        0,
        true,
        input.payment.session_times(input.window_ms).map_err(|e| fail(&e))?,
        ActionBase::Create(CreateBase::new(entry_type)),
        PreflightBytes(holochain_serialized_bytes::encode(&tops).map_err(|e| wasm_error!(e))?),
    )
    .map_err(|e| fail(&e.to_string()))?;
    let accept_input = AcceptPaymentInput { payment: input.payment.clone(), request: request.clone() };
    let mut responses = Vec::new();
    for witness in &input.honest_witnesses {
        responses.push(remote::<_, PreflightResponse>(witness, "ledger", "witness_payment", &accept_input)?);
    }
    responses.push(match locking {
        Locking::Take => accepted(accept_countersigning_preflight_request(request.clone())?)?,
        Locking::Skip => signed_at(&request, input.witnesses.len(), &tops.payee)?,
    });
    for accomplice in input.witnesses.iter().filter(|w| !input.honest_witnesses.contains(w)) {
        responses.push(remote(accomplice, "forger", "forge_accept", request.clone())?);
    }
    responses.sort_by_key(|r| *r.agent_state().agent_index());
    Ok(PaymentSession { payment: input.payment.clone(), responses })
}

/// This agent's preflight response for `request`, as signer `index`, at chain top `top`: its own
/// signature (`sign_raw`), with no chain lock taken and whatever its real top.
fn signed_at(request: &PreflightRequest, index: usize, top: &ChainTop<ActionHash>) -> ExternResult<PreflightResponse> {
    let state = CounterSigningAgentState::new(index as u8, top.hash.clone(), top.seq);
    let bytes = PreflightResponse::encode_fields_for_signature(request, &state).map_err(|e| wasm_error!(e))?;
    let signature = sign_raw(agent_info()?.agent_initial_pubkey, bytes)?;
    PreflightResponse::try_new(request.clone(), state, signature).map_err(|e| fail(&e.to_string()))
}

/// Both parties' real chain tops: this agent's own, and the counterparty's as it quotes it.
fn real_tops(me: &AgentPubKey, counterparty: &AgentPubKey, input: &ForgeInput) -> ExternResult<AttestedTops<ActionHash>> {
    let (hash, seq, _) = agent_info()?.chain_head;
    let mine = ChainTop { hash, seq };
    let theirs = if input.counterparty_is_honest {
        let quote: Quote = remote(counterparty, "ledger", "quote_receipt", ())?;
        quote.top
    } else {
        remote(counterparty, "forger", "chain_top", ())?
    };
    let fund_held = input.fund_held;
    Ok(if input.payment.payer.agent == *me {
        AttestedTops { payer: mine, payee: theirs, fund_held }
    } else {
        AttestedTops { payer: theirs, payee: mine, fund_held }
    })
}

/// The accomplice's chain top, for a forger building a witnessed session with it.
#[hdk_extern]
pub fn chain_top(_: ()) -> ExternResult<RemoteReply<ChainTop<ActionHash>>> {
    let (hash, seq, _) = agent_info()?.chain_head;
    Ok(RemoteReply::Ok(ChainTop { hash, seq }))
}

/// Deletes another member's membership link, delisting it: validation must refuse.
#[hdk_extern]
pub fn forge_delete_membership(member: AgentPubKey) -> ExternResult<ActionHash> {
    let query = LinkQuery::try_new(ledger_integrity::members_anchor()?, ledger_integrity::LinkTypes::VillageMember)?;
    let links = get_links(query, GetStrategy::Network)?;
    let link = links.into_iter().find(|l| l.target.clone().into_agent_pub_key().as_ref() == Some(&member)).ok_or_else(|| fail("no such member"))?;
    delete_link(link.create_link_hash, GetOptions::network())
}

/// Closes this agent's chain (a migration nobody in a village may make): validation must refuse.
#[hdk_extern]
pub fn forge_close_chain(_: ()) -> ExternResult<ActionHash> {
    HDK.with(|h| h.borrow().close_chain(CloseChainInput { new_target: None }))
}

/// Deletes an entry this agent wrote (e.g. one of its payments): validation must refuse.
#[hdk_extern]
pub fn forge_delete_entry(action: ActionHash) -> ExternResult<ActionHash> {
    delete_entry(action)
}

/// This agent's chain position `back` actions before its head: an older top to claim.
#[hdk_extern]
pub fn older_top(back: u32) -> ExternResult<ChainTop<ActionHash>> {
    let head = agent_info()?.chain_head.1;
    let seq = head.checked_sub(back).ok_or_else(|| fail("the chain is not that long"))?;
    let records = query(ChainQueryFilter::new().sequence_range(ChainQueryFilterRange::ActionSeqRange(seq, seq)))?;
    let record = records.first().ok_or_else(|| fail("no action at that position"))?;
    Ok(ChainTop { hash: record.action_address().clone(), seq })
}

/// Writes a membership link under any name (e.g. not the invited one).
#[hdk_extern]
pub fn forge_membership(name: String) -> ExternResult<ActionHash> {
    let me = agent_info()?.agent_initial_pubkey;
    create_link(ledger_integrity::members_anchor()?, me, ledger_integrity::LinkTypes::VillageMember, LinkTag::new(name.as_bytes()))
}

/// Publishes an offer with any title (e.g. far too long), skipping the app's checks.
#[hdk_extern]
pub fn forge_offer(offer: ledger_integrity::Offer) -> ExternResult<ActionHash> {
    create_entry(EntryTypes::Offer(offer))
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ForgeOfferLink {
    pub offer: ledger_integrity::Offer,
    pub tag: Vec<u8>,
}

/// Publishes an offer and lists it under a link carrying any tag (e.g. 900 bytes of free storage).
#[hdk_extern]
pub fn forge_offer_link(input: ForgeOfferLink) -> ExternResult<ActionHash> {
    let offer = create_entry(EntryTypes::Offer(input.offer))?;
    create_link(ledger_integrity::offers_anchor()?, offer, ledger_integrity::LinkTypes::VillageOffer, LinkTag::new(input.tag))
}

/// The time Holochain stamped on one of this agent's actions (e.g. a cash-out request's).
#[hdk_extern]
pub fn action_time(action: ActionHash) -> ExternResult<Timestamp> {
    let record = get(action, GetOptions::local())?.ok_or_else(|| fail("no such action here"))?;
    Ok(record.action().timestamp())
}

/// Closes this agent's account whatever its balance.
#[hdk_extern]
pub fn forge_closure(_: ()) -> ExternResult<ActionHash> {
    create_entry(EntryTypes::AccountClosure(AccountClosure { member: agent_info()?.agent_initial_pubkey }))
}

/// Writes a cash-out request the honest app would refuse (e.g. for care credits).
#[hdk_extern]
pub fn forge_cash_out_request(request: CashOutRequest) -> ExternResult<ActionHash> {
    create_entry(EntryTypes::CashOutRequest(request))
}

/// The accomplice's side: accepts any session without looking at it.
#[hdk_extern]
pub fn forge_accept(request: PreflightRequest) -> ExternResult<RemoteReply<PreflightResponse>> {
    Ok(match accepted(accept_countersigning_preflight_request(request)?) {
        Ok(response) => RemoteReply::Ok(response),
        Err(e) => RemoteReply::Refused { code: None, message: format!("{e:?}") },
    })
}

fn accepted(acceptance: PreflightRequestAcceptance) -> ExternResult<PreflightResponse> {
    match acceptance {
        PreflightRequestAcceptance::Accepted(response) => Ok(response),
        other => Err(fail(&format!("preflight not accepted: {other:?}"))),
    }
}

fn remote<I: serde::Serialize + std::fmt::Debug, O: serde::de::DeserializeOwned + std::fmt::Debug>(
    agent: &AgentPubKey,
    zome: &str,
    function: &str,
    payload: I,
) -> ExternResult<O> {
    match call_remote(agent.clone(), zome, function.into(), None, payload)? {
        ZomeCallResponse::Ok(io) => match io.decode::<RemoteReply<O>>().map_err(|e| wasm_error!(e))? {
            RemoteReply::Ok(value) => Ok(value),
            RemoteReply::Refused { code, message } => {
                Err(wasm_error!(WasmErrorInner::Guest(code.map_or(message.clone(), |code| format!("[cc:{code}] {message}")))))
            }
        },
        other => Err(fail(&format!("{zome}/{function} on the counterparty: {other:?}"))),
    }
}

fn fail(message: &str) -> WasmError {
    wasm_error!(WasmErrorInner::Guest(message.to_string()))
}

/// The benchmark's baseline: a plain single-agent create that returns at once (a private cap
/// grant: no entry type of its own, so the village DNA stays unchanged).
#[hdk_extern]
pub fn create_and_return(n: u32) -> ExternResult<ActionHash> {
    create_cap_grant(CapGrant::new_zome_call_grant(
        format!("bench-{n}"),
        GrantConstraint::Transferable { secret: CapSecret::from([0u8; 64]) },
        GrantedFunctions::Listed(Default::default()),
    ))
}

/// The most plain actions `grow_chain` writes in one call (a bounded load loop).
const GROW_CHAIN_MAX: u32 = 500;

/// The benchmark's long chain: writes `count` plain actions (private cap grants, which validation
/// accepts at once) to this agent's chain in one call, and returns the new head's position. What a
/// Holochain read of the chain costs can then be measured at 10,000 actions without 10,000
/// payments (hours on this machine).
#[hdk_extern]
pub fn grow_chain(count: u32) -> ExternResult<u32> {
    if count == 0 || count > GROW_CHAIN_MAX {
        return Err(fail(&format!("grow_chain writes 1 to {GROW_CHAIN_MAX} actions a call")));
    }
    for n in 0..count {
        create_and_return(n)?;
    }
    Ok(agent_info()?.chain_head.1)
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ChainTopRead {
    pub agent: AgentPubKey,
    /// The position the read starts from, as a witness starts from the top a party claims.
    pub from_seq: u32,
    /// This conductor's own store (`true`) or the agent's activity authorities (`false`).
    pub local: bool,
}

/// The read a witness makes of a party's chain (`witness.rs`, `check_current_top_once`): Holochain's
/// `get_agent_activity` for the actions from `from_seq` on, with no entries. Returns the newest
/// position it reports. Timed by the benchmark at different chain lengths.
#[hdk_extern]
pub fn read_chain_top(read: ChainTopRead) -> ExternResult<Option<u32>> {
    let options = if read.local { GetOptions::local() } else { GetOptions::network() };
    let filter = ChainQueryFilter::new().sequence_range(ChainQueryFilterRange::ActionSeqRange(read.from_seq, u32::MAX));
    let activity = get_agent_activity(read.agent, filter, ActivityRequest::Status, options)?;
    Ok(activity.highest_observed.map(|observed| observed.action_seq))
}

#[derive(Serialize, Deserialize, Debug)]
pub struct ChainStatusRead {
    pub agent: AgentPubKey,
    /// This conductor's own store (`true`) or the agent's activity authorities (`false`).
    pub local: bool,
}

/// The agent's chain status (valid, forked, invalid) and how many warrants are held against it, as
/// `get_agent_activity` reports them. Read by `scripts/probe-abandoned-session.ts`.
#[hdk_extern]
pub fn chain_status(read: ChainStatusRead) -> ExternResult<String> {
    let options = if read.local { GetOptions::local() } else { GetOptions::network() };
    let activity = get_agent_activity(read.agent, ChainQueryFilter::new(), ActivityRequest::Status, options)?;
    Ok(format!("{:?}; {} warrant(s)", activity.status, activity.warrants.len()))
}
