//! The worker against the real fee and attribution pallets: what it leaves in the pool (signer,
//! nonce, call), whether the chain takes it, and what it refuses to sign.

use crate::{
	feed_digest, mock::*, PreparedSettlement, SettlementFeed, MAX_SENT_MARKS, SENT_MARKS_KEY,
};
use codec::{Decode, Encode};
use frame_support::{assert_ok, traits::Hooks, weights::Weight};
use openledger_primitives::RequestId;
use pallet_attribution::{Dispute, Disputes, OpenChallenges, Records, Settlement};
use pallet_fee_split::{InferenceRequest, RequestStatus, Requests};
use sp_core::{offchain::StorageKind, Pair, H256};
use sp_runtime::{
	generic::Preamble,
	traits::{BlakeTwo256, Dispatchable, Hash, Verify},
	MultiSignature,
};

/// The user's prompt and the node's answer, as the node kept them.
const PROMPT: &[u8] = b"Who made this answer?";
const ANSWER: &[u8] = b"The data it was trained on.";
/// The worked example's token counts: the input one is the user's, in the request.
const TOKENS_IN: u32 = 800;
const TOKENS_OUT: u32 = 1_200;
/// Its fee: 800 tokens in, 1200 out, at 0.2 and 0.4 OPEN per 1000, plus 0.5 OPEN.
const FEE: Balance = 1_140 * (OPEN / 1_000);

fn prompt_hash() -> H256 {
	BlakeTwo256::hash(PROMPT)
}

fn output_hash() -> H256 {
	BlakeTwo256::hash(ANSWER)
}

/// An extrinsic the worker submitted, its signature checked.
#[derive(Debug)]
struct Submitted {
	signer: AccountId,
	nonce: Nonce,
	call: RuntimeCall,
}

impl Submitted {
	/// Applies the call as its signer would, as a block including it would.
	fn apply(&self) {
		assert_ok!(self.call.clone().dispatch(RuntimeOrigin::signed(self.signer.clone())));
		System::inc_account_nonce(&self.signer);
	}

	/// The settlements of a `settle_batch`.
	fn batch(&self) -> Vec<Settlement> {
		match &self.call {
			RuntimeCall::Attribution(pallet_attribution::Call::settle_batch { settlements }) => {
				settlements.clone()
			}
			other => panic!("not a settle_batch: {other:?}"),
		}
	}

	fn batch_requests(&self) -> Vec<RequestId> {
		self.batch().iter().map(|s| s.request).collect()
	}

	/// The request, prompt and answer of an `answer_challenge`.
	fn answer(&self) -> (RequestId, Vec<u8>, Vec<u8>) {
		match &self.call {
			RuntimeCall::Attribution(pallet_attribution::Call::answer_challenge {
				request,
				prompt,
				answer,
			}) => (*request, prompt.to_vec(), answer.to_vec()),
			other => panic!("not an answer_challenge: {other:?}"),
		}
	}
}

/// What the worker left in the pool since the last call, in order.
fn submitted<P: Fn() -> Vec<Vec<u8>>>(offchain: &Offchain<P>) -> Vec<Submitted> {
	offchain
		.take_transactions()
		.into_iter()
		.map(|bytes| {
			let xt = Extrinsic::decode(&mut &bytes[..]).unwrap();
			let Preamble::Signed(signer, signature, frame_system::CheckNonce(nonce)) = xt.preamble
			else {
				panic!("not a signed extrinsic");
			};
			assert!(
				signature.verify(&(&xt.function, nonce).encode()[..], &signer),
				"not signed by its signer's key"
			);
			Submitted { signer, nonce, call: xt.function }
		})
		.collect()
}

/// `worker` approved by the models' owner for `models` and registered with the least stake.
fn register(worker: &str, models: Vec<u32>) {
	for model in &models {
		assert_ok!(Attribution::approve_worker(
			RuntimeOrigin::signed(owner()),
			*model,
			account(worker)
		));
	}
	assert_ok!(Attribution::register_worker(
		RuntimeOrigin::signed(account(worker)),
		MIN_WORKER_STAKE,
		models
	));
}

/// USER's request for `model` with the worked example's prompt, naming `workers`.
fn request(model: u32, nonce: u64, workers: &[&str]) -> InferenceRequest<AccountId, Balance, u64> {
	InferenceRequest {
		model,
		prompt_hash: prompt_hash(),
		tokens_in: TOKENS_IN,
		workers: workers.iter().map(|w| account(w)).collect::<Vec<_>>().try_into().unwrap(),
		max_output_tokens: 2_000,
		max_fee: 2 * OPEN,
		nonce,
		expires_at: 50,
	}
}

/// A request of USER's for `model` naming `workers`, in escrow on-chain.
fn in_escrow_for(model: u32, nonce: u64, workers: &[&str]) -> RequestId {
	let request = request(model, nonce, workers);
	assert_ok!(FeeSplit::request_inference(RuntimeOrigin::signed(account(USER)), request.clone()));
	FeeSplit::request_id(&account(USER), &request)
}

/// A request of USER's for `model` naming WORKER, in escrow on-chain.
fn in_escrow(model: u32, nonce: u64) -> RequestId {
	in_escrow_for(model, nonce, &[WORKER])
}

/// The arguments of `submit_signed_request`: the request, its signer and the signature.
type SignedRequest = (InferenceRequest<AccountId, Balance, u64>, AccountId, MultiSignature);

/// USER's request for `model` naming `workers`, signed off-chain and handed to the node: its id
/// and the arguments of `submit_signed_request`.
fn signed_off_chain_for(model: u32, nonce: u64, workers: &[&str]) -> (RequestId, SignedRequest) {
	let request = request(model, nonce, workers);
	let digest = FeeSplit::signing_digest(&request);
	let signature = MultiSignature::from(pair(USER).sign(digest.as_bytes()));
	(FeeSplit::request_id(&account(USER), &request), (request, account(USER), signature))
}

/// [`signed_off_chain_for`] naming WORKER.
fn signed_off_chain(model: u32, nonce: u64) -> (RequestId, SignedRequest) {
	signed_off_chain_for(model, nonce, &[WORKER])
}

/// The node's settlement of `request`, answered with ANSWER.
fn prepared(request: RequestId, influences: Vec<(u64, i128)>) -> PreparedSettlement {
	PreparedSettlement {
		request,
		version: 0,
		tokens_out: TOKENS_OUT,
		output_hash: output_hash(),
		influences,
		signed_request: None,
	}
}

/// What the chain should be asked to settle for `prepared` (influences as sent).
fn settlement(prepared: &PreparedSettlement) -> Settlement {
	Settlement {
		request: prepared.request,
		version: prepared.version,
		tokens_out: prepared.tokens_out,
		output_hash: prepared.output_hash,
		influences: prepared.influences.clone(),
	}
}

/// A feed of `settlements` signed by the keys `signers` for `challenge`, as the node signs it.
fn signed_feed(
	challenge: &[u8; 32],
	settlements: Vec<PreparedSettlement>,
	signers: &[&str],
) -> SettlementFeed {
	let digest = feed_digest(challenge, &settlements);
	let signatures = signers
		.iter()
		.map(|signer| {
			let pair = pair(signer);
			(pair.public().0, pair.sign(&digest).0)
		})
		.collect();
	SettlementFeed { settlements, signatures }
}

/// Serves the run at `now` the feed of `settlements` its workers `signers` sign.
fn serve_signed<P: Fn() -> Vec<Vec<u8>>>(
	offchain: &Offchain<P>,
	now: u64,
	settlements: Vec<PreparedSettlement>,
	signers: &[&str],
) {
	offchain.serve(now, signed_feed(&offchain.challenge(now), settlements, signers).encode());
}

/// One run of the worker at block `now`.
fn run(now: u64) -> Result<u32, String> {
	System::set_block_number(now);
	AttributionWorker::submit_prepared(now)
}

/// The "sent" marks as stored.
fn marks() -> Vec<(RequestId, u64)> {
	sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, SENT_MARKS_KEY)
		.map(|bytes| Decode::decode(&mut &bytes[..]).unwrap())
		.unwrap_or_default()
}

#[test]
fn submits_the_signed_feed_as_a_batch_the_chain_settles() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = in_escrow(MODEL, 0);
		let ready = prepared(request, vec![(10, 7), (11, 3)]);
		serve_signed(&offchain, 1, vec![ready.clone()], &[WORKER]);

		assert_eq!(run(1), Ok(1));

		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].signer, account(WORKER));
		assert_eq!(txs[0].nonce, 0);
		assert_eq!(txs[0].batch(), vec![settlement(&ready)]);
		txs[0].apply();
		// Charged for the input tokens the user signed.
		let record = Records::<Test>::get(request).unwrap();
		assert_eq!((record.worker, record.tokens_in), (account(WORKER), TOKENS_IN));
		assert_eq!(record.breakdown.fee, FEE);
		assert_eq!(marks(), vec![(request, 1)]);
	});
}

#[test]
fn a_batch_holds_no_more_than_the_batch_limit() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let requests: Vec<_> = (0..6).map(|nonce| in_escrow(MODEL, nonce)).collect();
		let ready: Vec<_> = requests.iter().map(|r| prepared(*r, vec![(10, 1)])).collect();
		serve_signed(&offchain, 1, ready.clone(), &[WORKER]);

		assert_eq!(run(1), Ok(MAX_SETTLEMENTS_PER_BATCH));

		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		let first = MAX_SETTLEMENTS_PER_BATCH as usize;
		assert_eq!(txs[0].batch_requests(), requests[..first].to_vec());
		txs[0].apply();

		// The rest go in the next run, with the next nonce.
		serve_signed(&offchain, 2, ready, &[WORKER]);
		assert_eq!(run(2), Ok(2));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].nonce, 1);
		assert_eq!(txs[0].batch_requests(), requests[first..].to_vec());
		txs[0].apply();
		assert!(requests.iter().all(Records::<Test>::contains_key));
	});
}

#[test]
fn a_batch_holds_only_what_fits_one_extrinsics_weight() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let requests: Vec<_> = (0..3).map(|nonce| in_escrow(MODEL, nonce)).collect();
		let ready: Vec<_> = requests.iter().map(|r| prepared(*r, vec![(10, 1)])).collect();
		let one = Attribution::settlement_weight(&settlement(&ready[0]));
		// Two and a half settlements: two fit, the third does not.
		set_max_extrinsic(Weight::from_parts(one.ref_time() * 5 / 2, one.proof_size() * 5 / 2));
		serve_signed(&offchain, 1, ready, &[WORKER]);

		assert_eq!(run(1), Ok(2));

		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].batch_requests(), requests[..2].to_vec());
		assert_eq!(marks().len(), 2, "the one left out is not marked as sent");
	});
}

#[test]
fn a_signed_request_goes_in_escrow_with_the_nonce_before_its_batch() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		for _ in 0..5 {
			System::inc_account_nonce(account(WORKER));
		}
		let (request, (inference, signer, signature)) = signed_off_chain(MODEL, 7);
		let mut ready = prepared(request, vec![(10, 1)]);
		ready.signed_request = Some((&inference, &signer, &signature).encode());
		serve_signed(&offchain, 1, vec![ready.clone()], &[WORKER]);

		assert_eq!(run(1), Ok(1));

		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 2);
		assert_eq!((txs[0].signer.clone(), txs[0].nonce), (account(WORKER), 5));
		assert_eq!(
			txs[0].call,
			RuntimeCall::FeeSplit(pallet_fee_split::Call::submit_signed_request {
				request: inference,
				signer,
				signature,
			})
		);
		assert_eq!((txs[1].signer.clone(), txs[1].nonce), (account(WORKER), 6));
		assert_eq!(txs[1].batch(), vec![settlement(&ready)]);

		// In that order the chain takes both: the request is held, then settled.
		txs[0].apply();
		assert_eq!(Requests::<Test>::get(request).map(|r| r.status), Some(RequestStatus::Pending));
		txs[1].apply();
		let record = Records::<Test>::get(request).unwrap();
		assert_eq!(record.worker, account(WORKER));
		assert_eq!((record.tokens_in, record.tokens_out), (TOKENS_IN, TOKENS_OUT));
	});
}

#[test]
fn a_sent_settlement_is_sent_again_only_after_resubmit_after() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = in_escrow(MODEL, 0);
		let ready = vec![prepared(request, vec![(10, 1)])];

		serve_signed(&offchain, 1, ready.clone(), &[WORKER]);
		assert_eq!(run(1), Ok(1));
		assert_eq!(submitted(&offchain).len(), 1);

		// Right after, and up to ResubmitAfter blocks later, it is still in the pool.
		for now in [1, RESUBMIT_AFTER] {
			serve_signed(&offchain, now, ready.clone(), &[WORKER]);
			assert_eq!(run(now), Ok(0));
			assert!(submitted(&offchain).is_empty());
		}

		// Not included by then: sent again, and marked anew.
		let now = 1 + RESUBMIT_AFTER;
		serve_signed(&offchain, now, ready, &[WORKER]);
		assert_eq!(run(now), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].batch_requests(), vec![request]);
		assert_eq!(marks(), vec![(request, now)]);
	});
}

#[test]
fn marks_past_resubmit_after_are_pruned_on_every_run() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let first = in_escrow(MODEL, 0);
		let second = in_escrow(MODEL, 1);
		serve_signed(&offchain, 1, vec![prepared(first, vec![(10, 1)])], &[WORKER]);
		assert_eq!(run(1), Ok(1));
		serve_signed(&offchain, 3, vec![prepared(second, vec![(10, 1)])], &[WORKER]);
		assert_eq!(run(3), Ok(1));
		assert_eq!(marks(), vec![(first, 1), (second, 3)]);

		// A run that sends nothing still drops the marks that no longer suppress anything.
		let now = 1 + RESUBMIT_AFTER;
		serve_signed(&offchain, now, Vec::new(), &[WORKER]);
		assert_eq!(run(now), Ok(0));
		assert_eq!(marks(), vec![(second, 3)]);

		// Even one whose feed is refused.
		let now = 3 + RESUBMIT_AFTER;
		serve_signed(&offchain, now, Vec::new(), &[OUTSIDER]);
		assert_eq!(run(now), Ok(0));
		assert_eq!(marks(), Vec::new());
	});
}

#[test]
fn marks_are_bounded_and_the_oldest_go_first() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let old = |n: usize| -> Vec<(RequestId, u64)> {
			(0..n as u64).map(|i| (H256::from_low_u64_be(i + 1), 1)).collect()
		};
		let set_marks = |marks: &[(RequestId, u64)]| {
			sp_io::offchain::local_storage_set(
				StorageKind::PERSISTENT,
				SENT_MARKS_KEY,
				&marks.to_vec().encode(),
			)
		};

		// Full: a new mark pushes out the oldest.
		let full = old(MAX_SENT_MARKS);
		set_marks(&full);
		let request = in_escrow(MODEL, 0);
		serve_signed(&offchain, 1, vec![prepared(request, vec![(10, 1)])], &[WORKER]);
		assert_eq!(run(1), Ok(1));
		let stored = marks();
		assert_eq!(stored.len(), MAX_SENT_MARKS);
		assert_eq!(stored.first(), full.get(1));
		assert_eq!(stored.last(), Some(&(request, 1)));
		assert!(!stored.contains(&full[0]));

		// Over the cap (written by someone else): cut back to the newest on the next run.
		let over = old(MAX_SENT_MARKS + 6);
		set_marks(&over);
		serve_signed(&offchain, 1, Vec::new(), &[WORKER]);
		assert_eq!(run(1), Ok(0));
		assert_eq!(marks(), over[6..].to_vec());
	});
}

#[test]
fn a_feed_not_signed_by_the_worker_settles_nothing() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let ready = vec![prepared(in_escrow(MODEL, 0), vec![(10, 1)])];

		// Signed by a key that is not the worker's.
		serve_signed(&offchain, 1, ready.clone(), &[OUTSIDER]);
		assert_eq!(run(1), Ok(0));
		// The worker's public key, with someone else's signature.
		let digest = feed_digest(&offchain.challenge(1), &ready);
		let forged = SettlementFeed {
			settlements: ready.clone(),
			signatures: vec![(pair(WORKER).public().0, pair(OUTSIDER).sign(&digest).0)],
		};
		offchain.serve(1, forged.encode());
		assert_eq!(run(1), Ok(0));
		// Not signed at all.
		offchain
			.serve(1, SettlementFeed { settlements: ready.clone(), signatures: vec![] }.encode());
		assert_eq!(run(1), Ok(0));
		assert!(submitted(&offchain).is_empty());
		assert!(marks().is_empty());

		// The same settlements, signed by the worker, go.
		serve_signed(&offchain, 1, ready, &[OUTSIDER, WORKER]);
		assert_eq!(run(1), Ok(1));
		assert_eq!(submitted(&offchain).len(), 1);
	});
}

#[test]
fn a_replayed_feed_settles_nothing() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let ready = vec![prepared(in_escrow(MODEL, 0), vec![(10, 1)])];
		offchain.set_seed([1; 32]);
		let captured = signed_feed(&offchain.challenge(1), ready.clone(), &[WORKER]).encode();

		// A later run of the same block draws another seed, hence another challenge.
		offchain.set_seed([2; 32]);
		offchain.serve(1, captured.clone());
		assert_eq!(run(1), Ok(0));
		// A run of a later block, even with the same seed.
		offchain.set_seed([1; 32]);
		offchain.serve(2, captured);
		assert_eq!(run(2), Ok(0));
		assert!(submitted(&offchain).is_empty());

		serve_signed(&offchain, 2, ready, &[WORKER]);
		assert_eq!(run(2), Ok(1));
		assert_eq!(submitted(&offchain).len(), 1);
	});
}

#[test]
fn a_feed_signed_over_other_settlements_settles_nothing() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let first = prepared(in_escrow(MODEL, 0), vec![(10, 1)]);
		let second = prepared(in_escrow(MODEL, 1), vec![(10, 1)]);
		let challenge = offchain.challenge(1);

		// A signed feed with its fee inflated.
		let mut feed = signed_feed(&challenge, vec![first.clone()], &[WORKER]);
		feed.settlements[0].tokens_out = 1_999;
		offchain.serve(1, feed.encode());
		assert_eq!(run(1), Ok(0));
		// A signed feed with a settlement added.
		let mut feed = signed_feed(&challenge, vec![first], &[WORKER]);
		feed.settlements.push(second);
		offchain.serve(1, feed.encode());
		assert_eq!(run(1), Ok(0));
		assert!(submitted(&offchain).is_empty());
	});
}

#[test]
fn a_feed_that_does_not_decode_is_an_error() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		offchain.serve(1, b"not a feed".to_vec());
		assert!(run(1).is_err());
		// A signed feed with bytes after it.
		let ready = vec![prepared(in_escrow(MODEL, 0), vec![(10, 1)])];
		let mut body = signed_feed(&offchain.challenge(1), ready, &[WORKER]).encode();
		body.push(0);
		offchain.serve(1, body);
		assert!(run(1).is_err());
		assert!(submitted(&offchain).is_empty());
	});
}

#[test]
fn only_the_workers_that_signed_the_feed_submit() {
	let (mut ext, offchain) = new_test_ext(&[WORKER, OTHER_WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		register(OTHER_WORKER, vec![OTHER_MODEL]);
		let mine = in_escrow_for(MODEL, 0, &[WORKER, OTHER_WORKER]);
		let theirs = in_escrow_for(OTHER_MODEL, 1, &[WORKER, OTHER_WORKER]);
		let ready = vec![prepared(mine, vec![(10, 1)]), prepared(theirs, vec![(20, 1)])];

		serve_signed(&offchain, 1, ready.clone(), &[WORKER]);
		assert_eq!(run(1), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].signer, account(WORKER));
		assert_eq!(txs[0].batch_requests(), vec![mine]);

		serve_signed(&offchain, 2, ready, &[WORKER, OTHER_WORKER]);
		assert_eq!(run(2), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].signer, account(OTHER_WORKER));
		assert_eq!(txs[0].batch_requests(), vec![theirs]);
		txs[0].apply();
		assert!(Records::<Test>::contains_key(theirs));
	});
}

#[test]
fn settlements_that_are_not_to_settle_are_skipped() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let not_in_escrow = H256::repeat_byte(0xee);
		let settled = in_escrow(MODEL, 1);
		assert_ok!(Attribution::settle(
			RuntimeOrigin::signed(account(WORKER)),
			settled,
			0,
			TOKENS_OUT,
			output_hash(),
			vec![(10, 1)],
		));
		let other_model = in_escrow(OTHER_MODEL, 2);
		// A signed request that is not the settlement's request.
		let (_, (inference, signer, signature)) = signed_off_chain(MODEL, 3);
		let mut mismatched = prepared(H256::repeat_byte(0xdd), vec![(10, 1)]);
		mismatched.signed_request = Some((inference, signer, signature).encode());
		let good = in_escrow(MODEL, 4);
		serve_signed(
			&offchain,
			1,
			vec![
				prepared(not_in_escrow, vec![(10, 1)]),
				prepared(settled, vec![(10, 1)]),
				prepared(other_model, vec![(20, 1)]),
				mismatched,
				prepared(good, vec![(10, 1)]),
			],
			&[WORKER],
		);

		assert_eq!(run(1), Ok(1));

		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].batch_requests(), vec![good]);
		assert_eq!(marks(), vec![(good, 1)]);
	});
}

#[test]
fn influences_beyond_the_maximum_are_truncated_to_the_largest() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = in_escrow(MODEL, 0);
		let influences = vec![(10, 5), (11, -3), (12, 40), (13, 7), (14, 1), (15, 22)];
		serve_signed(&offchain, 1, vec![prepared(request, influences)], &[WORKER]);

		assert_eq!(run(1), Ok(1));

		let txs = submitted(&offchain);
		let batch = txs[0].batch();
		assert_eq!(batch.len(), 1);
		assert_eq!(batch[0].influences.len(), MAX_CONTRIBUTIONS_PER_OUTPUT as usize);
		assert_eq!(batch[0].influences, vec![(12, 40), (15, 22), (13, 7), (10, 5)]);
		txs[0].apply();
		assert!(Records::<Test>::contains_key(request));
	});
}

#[test]
fn the_challenge_is_fresh_for_every_run() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		offchain.set_seed([1; 32]);
		let challenge = AttributionWorker::challenge(1);
		assert_eq!(challenge, challenge_of(1, [1; 32]));
		assert_ne!(AttributionWorker::challenge(2), challenge);
		offchain.set_seed([2; 32]);
		assert_ne!(AttributionWorker::challenge(1), challenge);
	});
}

#[test]
fn does_nothing_without_an_endpoint_or_a_bonded_worker() {
	// No request is expected: one would fail the test.
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		in_escrow(MODEL, 0);
		assert_eq!(run(1), Ok(0), "no registered worker");
		register(WORKER, vec![MODEL]);
		assert_ok!(Attribution::unregister_worker(RuntimeOrigin::signed(account(WORKER))));
		assert_eq!(run(1), Ok(0), "the only worker is unbonding");
	});
	let (mut ext, offchain_2) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		in_escrow(MODEL, 0);
		sp_io::offchain::local_storage_clear(
			StorageKind::PERSISTENT,
			openledger_primitives::SETTLEMENT_ENDPOINT_KEY,
		);
		assert_eq!(run(1), Ok(0), "no endpoint");
	});
	assert!(submitted(&offchain).is_empty() && submitted(&offchain_2).is_empty());
}

// Only the workers the user named.

#[test]
fn a_request_naming_another_worker_is_left_to_it() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		// Both serve the model; the node holds WORKER's key only.
		register(WORKER, vec![MODEL]);
		register(OTHER_WORKER, vec![MODEL]);
		let theirs = in_escrow_for(MODEL, 0, &[OTHER_WORKER]);
		let (unopened, (inference, signer, signature)) =
			signed_off_chain_for(MODEL, 1, &[OTHER_WORKER]);
		let mut signed = prepared(unopened, vec![(10, 1)]);
		signed.signed_request = Some((&inference, &signer, &signature).encode());
		let ready = vec![prepared(theirs, vec![(10, 1)]), signed];

		serve_signed(&offchain, 1, ready.clone(), &[WORKER]);
		assert_eq!(run(1), Ok(0));
		assert!(submitted(&offchain).is_empty());
		assert!(marks().is_empty());
		// The signed request was not brought on-chain either.
		assert!(!Requests::<Test>::contains_key(unopened));

		// A request that names it too is its to settle.
		let shared = in_escrow_for(MODEL, 2, &[OTHER_WORKER, WORKER]);
		let mut ready = ready;
		ready.push(prepared(shared, vec![(10, 1)]));
		serve_signed(&offchain, 2, ready, &[WORKER]);
		assert_eq!(run(2), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].signer, account(WORKER));
		assert_eq!(txs[0].batch_requests(), vec![shared]);
		txs[0].apply();
		assert_eq!(Records::<Test>::get(shared).map(|r| r.worker), Some(account(WORKER)));
	});
}

#[test]
fn a_signed_request_naming_one_of_the_nodes_workers_is_brought_on_chain_and_settled_by_it() {
	let (mut ext, offchain) = new_test_ext(&[WORKER, OTHER_WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		register(OTHER_WORKER, vec![MODEL]);
		let (request, (inference, signer, signature)) =
			signed_off_chain_for(MODEL, 0, &[OTHER_WORKER]);
		let mut ready = prepared(request, vec![(10, 3), (11, 1)]);
		ready.signed_request = Some((&inference, &signer, &signature).encode());
		serve_signed(&offchain, 1, vec![ready.clone()], &[WORKER, OTHER_WORKER]);

		assert_eq!(run(1), Ok(1));

		// Both signed by the worker the user named, whichever key the keystore lists first.
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 2);
		assert!(txs.iter().all(|tx| tx.signer == account(OTHER_WORKER)));
		assert_eq!((txs[0].nonce, txs[1].nonce), (0, 1));
		assert_eq!(
			txs[0].call,
			RuntimeCall::FeeSplit(pallet_fee_split::Call::submit_signed_request {
				request: inference,
				signer,
				signature,
			})
		);
		assert_eq!(txs[1].batch(), vec![settlement(&ready)]);
		txs[0].apply();
		txs[1].apply();
		let record = Records::<Test>::get(request).unwrap();
		assert_eq!(record.worker, account(OTHER_WORKER));
		assert_eq!(record.user, account(USER));
		assert_eq!((record.tokens_in, record.tokens_out), (TOKENS_IN, TOKENS_OUT));
		assert_eq!(record.prompt_hash, prompt_hash());
		assert_eq!(record.breakdown.fee, FEE);
		assert_eq!(Requests::<Test>::get(request).map(|r| r.status), Some(RequestStatus::Settled));
	});
}

// Challenges.

/// USER's request for MODEL naming `worker`, settled by it on-chain with ANSWER.
fn settled_by(worker: &str, nonce: u64) -> RequestId {
	let request = in_escrow_for(MODEL, nonce, &[worker]);
	assert_ok!(Attribution::settle(
		RuntimeOrigin::signed(account(worker)),
		request,
		0,
		TOKENS_OUT,
		output_hash(),
		vec![(10, 1)],
	));
	request
}

/// USER challenges the settlement of `request` as unanswered, at the current block.
fn challenge(request: RequestId) {
	assert_ok!(Attribution::challenge_unanswered(RuntimeOrigin::signed(account(USER)), request));
}

/// One run of the challenge answering at block `now`.
fn answer_run(now: u64) -> Result<u32, String> {
	System::set_block_number(now);
	AttributionWorker::answer_challenges(now)
}

/// What the node kept of the worked example.
fn kept() -> Option<(Vec<u8>, Vec<u8>)> {
	Some((PROMPT.to_vec(), ANSWER.to_vec()))
}

#[test]
fn the_reveal_is_fetched_by_the_request_id_in_plain_lowercase_hex() {
	// What `HexDisplay` writes, and what the node's endpoint parses: no `0x`.
	let request = H256::repeat_byte(0xab);
	assert_eq!(format!("{}", sp_core::hexdisplay::HexDisplay::from(&request.0)), "ab".repeat(32));
	assert_eq!(hex(request.as_bytes()), "ab".repeat(32));
}

#[test]
fn an_open_challenge_is_answered_with_what_the_node_kept() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = settled_by(WORKER, 0);
		challenge(request);
		assert_eq!(
			OpenChallenges::<Test>::get(account(WORKER), request),
			Some(1 + RESPONSE_PERIOD)
		);
		for _ in 0..3 {
			System::inc_account_nonce(account(WORKER));
		}
		offchain.serve_reveal(request, kept());

		assert_eq!(answer_run(2), Ok(1));

		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!((txs[0].signer.clone(), txs[0].nonce), (account(WORKER), 3));
		assert_eq!(txs[0].answer(), (request, PROMPT.to_vec(), ANSWER.to_vec()));
		// The chain takes it: the challenge is answered and the bond is the worker's.
		let before = Balances::free_balance(account(WORKER));
		txs[0].apply();
		assert_eq!(Disputes::<Test>::get(request), Some(Dispute::Answered { at: 2 }));
		assert_eq!(OpenChallenges::<Test>::get(account(WORKER), request), None);
		assert_eq!(Balances::free_balance(account(WORKER)), before + CHALLENGE_BOND);
		// Nothing left to answer.
		assert_eq!(answer_run(3 + RESUBMIT_AFTER), Ok(0));
		assert!(submitted(&offchain).is_empty());
	});
}

#[test]
fn a_workers_challenges_are_answered_with_consecutive_nonces() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let mut requests = vec![settled_by(WORKER, 0), settled_by(WORKER, 1)];
		for request in &requests {
			challenge(*request);
		}
		// Fetched in the order of the chain's index (by request id).
		requests.sort();
		for request in &requests {
			offchain.serve_reveal(*request, kept());
		}

		assert_eq!(answer_run(2), Ok(2));

		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 2);
		for (i, (tx, request)) in txs.iter().zip(&requests).enumerate() {
			assert_eq!((tx.signer.clone(), tx.nonce), (account(WORKER), i as Nonce));
			assert_eq!(tx.answer().0, *request);
			tx.apply();
			assert_eq!(Disputes::<Test>::get(request), Some(Dispute::Answered { at: 2 }));
		}
	});
}

#[test]
fn nothing_is_answered_with_what_the_node_did_not_keep_or_the_chain_would_not_take() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = settled_by(WORKER, 0);
		challenge(request);
		let too_long = vec![b'a'; MAX_REVEAL_LEN as usize + 1];
		let longest = vec![b'a'; MAX_REVEAL_LEN as usize];

		// The node kept nothing.
		offchain.serve_reveal(request, None);
		assert_eq!(answer_run(2), Ok(0));
		// A prompt or an answer longer than the chain takes.
		offchain.serve_reveal(request, Some((too_long.clone(), ANSWER.to_vec())));
		assert_eq!(answer_run(3), Ok(0));
		offchain.serve_reveal(request, Some((PROMPT.to_vec(), too_long)));
		assert_eq!(answer_run(4), Ok(0));
		assert!(submitted(&offchain).is_empty());
		assert!(marks().is_empty(), "nothing sent, nothing marked");

		// Fetched again at the next run: up to the limit, it is sent (as it was kept).
		offchain.serve_reveal(request, Some((longest.clone(), longest.clone())));
		assert_eq!(answer_run(5), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].answer(), (request, longest.clone(), longest));
	});
}

#[test]
fn a_reveal_that_does_not_decode_is_skipped_not_fatal() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = settled_by(WORKER, 0);
		challenge(request);
		offchain.state.0.write().expect_request(sp_core::offchain::testing::PendingRequest {
			method: "GET".into(),
			uri: format!("{ENDPOINT}/reveal?request={}", hex(request.as_bytes())),
			response: Some(b"\x01 not a reveal".to_vec()),
			sent: true,
			..Default::default()
		});
		assert_eq!(answer_run(2), Ok(0));
		assert!(submitted(&offchain).is_empty());
	});
}

#[test]
fn another_workers_challenge_is_not_answered() {
	// No reveal is expected: fetching one would fail the test.
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		register(OTHER_WORKER, vec![MODEL]);
		let theirs = settled_by(OTHER_WORKER, 0);
		challenge(theirs);
		assert!(OpenChallenges::<Test>::contains_key(account(OTHER_WORKER), theirs));

		assert_eq!(answer_run(2), Ok(0));
		assert!(submitted(&offchain).is_empty());
	});
}

#[test]
fn a_challenge_is_answered_only_while_an_answer_can_land() {
	// No reveal is expected past the last run whose answer lands by the deadline.
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = settled_by(WORKER, 0);
		challenge(request);
		let deadline = 1 + RESPONSE_PERIOD;
		assert_eq!(OpenChallenges::<Test>::get(account(WORKER), request), Some(deadline));

		// An answer sent at the deadline's block lands after it: the chain would refuse it.
		assert_eq!(answer_run(deadline), Ok(0));
		assert_eq!(answer_run(deadline + 1), Ok(0));
		assert_eq!(answer_run(deadline + 1 + RESUBMIT_AFTER), Ok(0));
		assert!(submitted(&offchain).is_empty());

		// The block before, it is sent, and lands in time.
		offchain.serve_reveal(request, kept());
		assert_eq!(answer_run(deadline - 1), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		System::set_block_number(deadline);
		txs[0].apply();
		assert_eq!(Disputes::<Test>::get(request), Some(Dispute::Answered { at: deadline }));
	});
}

#[test]
fn an_answer_is_sent_again_only_after_resubmit_after() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = settled_by(WORKER, 0);
		challenge(request);
		offchain.serve_reveal(request, kept());
		assert_eq!(answer_run(1), Ok(1));
		assert_eq!(submitted(&offchain).len(), 1);

		// Still in the pool: neither fetched nor sent again.
		for now in [1, RESUBMIT_AFTER] {
			assert_eq!(answer_run(now), Ok(0));
			assert!(submitted(&offchain).is_empty());
		}

		// Not included by then (and the deadline not passed): sent again.
		let now = 1 + RESUBMIT_AFTER;
		assert!(now < 1 + RESPONSE_PERIOD);
		offchain.serve_reveal(request, kept());
		assert_eq!(answer_run(now), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!(txs[0].answer().0, request);
	});
}

#[test]
fn a_challenge_right_after_the_workers_own_settlement_is_answered_at_once() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = in_escrow(MODEL, 0);
		serve_signed(&offchain, 1, vec![prepared(request, vec![(10, 1)])], &[WORKER]);
		assert_eq!(run(1), Ok(1));
		submitted(&offchain)[0].apply();

		// Challenged in the next block: the settlement's "sent" mark does not hold the answer
		// back (the response period may be shorter than ResubmitAfter).
		System::set_block_number(2);
		challenge(request);
		offchain.serve_reveal(request, kept());
		assert_eq!(answer_run(2), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		assert_eq!((txs[0].nonce, txs[0].answer().0), (1, request));
		txs[0].apply();
		assert_eq!(Disputes::<Test>::get(request), Some(Dispute::Answered { at: 2 }));

		// Nor does the answer's mark make the settlement look unsent, or sent.
		serve_signed(&offchain, 2, vec![prepared(request, vec![(10, 1)])], &[WORKER]);
		assert_eq!(run(2), Ok(0));
		assert!(submitted(&offchain).is_empty());
	});
}

#[test]
fn the_offchain_worker_settles_and_answers_with_one_nonce_sequence() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let challenged = settled_by(WORKER, 0);
		challenge(challenged);
		let pending = in_escrow(MODEL, 1);
		System::set_block_number(2);
		serve_signed(&offchain, 2, vec![prepared(pending, vec![(10, 1)])], &[WORKER]);
		offchain.serve_reveal(challenged, kept());

		AttributionWorker::offchain_worker(2);

		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 2);
		assert_eq!((txs[0].nonce, txs[0].batch_requests()), (0, vec![pending]));
		assert_eq!((txs[1].nonce, txs[1].answer().0), (1, challenged));
		for tx in &txs {
			assert_eq!(tx.signer, account(WORKER));
			tx.apply();
		}
		assert!(Records::<Test>::contains_key(pending));
		assert_eq!(Disputes::<Test>::get(challenged), Some(Dispute::Answered { at: 2 }));
	});
}

#[test]
fn an_unbonding_worker_still_answers_its_challenges() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = settled_by(WORKER, 0);
		assert_ok!(Attribution::unregister_worker(RuntimeOrigin::signed(account(WORKER))));
		System::set_block_number(1 + DISPUTE_WINDOW);
		challenge(request);
		offchain.serve_reveal(request, kept());
		assert_eq!(answer_run(2 + DISPUTE_WINDOW), Ok(1));
		let txs = submitted(&offchain);
		assert_eq!(txs.len(), 1);
		txs[0].apply();
		assert!(matches!(Disputes::<Test>::get(request), Some(Dispute::Answered { .. })));
	});
}

#[test]
fn does_nothing_about_challenges_without_an_endpoint() {
	let (mut ext, offchain) = new_test_ext(&[WORKER]);
	ext.execute_with(|| {
		register(WORKER, vec![MODEL]);
		challenge(settled_by(WORKER, 0));
		sp_io::offchain::local_storage_clear(
			StorageKind::PERSISTENT,
			openledger_primitives::SETTLEMENT_ENDPOINT_KEY,
		);
		assert_eq!(answer_run(2), Ok(0));
	});
	assert!(submitted(&offchain).is_empty());
}
