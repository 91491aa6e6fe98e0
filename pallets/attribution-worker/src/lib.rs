//! # Attribution worker
//!
//! The off-chain side of Proof of Attribution (OpenLedger whitepaper §2.2.4): on a node that
//! serves inference, the off-chain worker settles the requests that node has answered.
//!
//! The WASM runtime never runs the model. The node answers a paid request with its native engine,
//! computes the DataInf attribution of the answer, and keeps a [`PreparedSettlement`] on disk
//! until it is settled. It publishes the URL of a loopback endpoint that lists them under the
//! persistent offchain key [`SETTLEMENT_ENDPOINT_KEY`]. After each imported block, this worker:
//!
//! 1. reads that URL (a node that serves nothing has none: the worker does nothing);
//! 2. finds, in the node's keystore (key type [`KEY_TYPE`], sr25519), the keys of registered,
//!    bonded workers (inserted with `key insert` or `author_insertKey`; `--dev` inserts Alice's);
//! 3. makes a fresh challenge ([`Pallet::challenge`]) and fetches, within a deadline,
//!    `{url}`[`SETTLEMENTS_PATH`]`?challenge=<the challenge in 64 lowercase hex digits>`: a SCALE
//!    [`SettlementFeed`], the prepared settlements with the node's signatures over them;
//! 4. keeps the workers the feed is signed by: an entry of `feed.signatures` with the worker's
//!    sr25519 public key and a valid signature over [`feed_digest`]`(challenge, settlements)`;
//! 5. gathers the settlements still pending in escrow for a model one of those workers serves
//!    and submits them as one `attribution.settle_batch` per worker, signed by that worker, as
//!    many as fit in one extrinsic's weight; it remembers when, so that they are not sent again
//!    while in the pool. A request the user signed off-chain and sent to the node (not yet in
//!    escrow) is put there first: the worker submits `feeSplit.submitSignedRequest` with the
//!    nonce before the batch's, so both land in order.
//!
//! The feed is authenticated because its URL is not: it sits in offchain storage that any local
//! RPC caller may overwrite (`offchain_localStorageSet`), and a worker signs whatever it submits.
//! Only the node, which holds the worker keys, can sign a feed, and a fresh challenge per run
//! means a feed captured earlier cannot be served again. A feed signed by nobody the worker
//! knows settles nothing.
//!
//! Safety: the chain refuses a second settlement of a request (`AlreadySettled`) and settles only
//! pending requests; settled, refunded and expired ones are skipped here, and the node drops them
//! from its store. A settlement not included after [`Config::ResubmitAfter`] blocks is sent again;
//! one that never is (a node down past the request's expiry) is refunded to the user in full by
//! the fee pallet. Prepared settlements survive a node restart on disk. The "sent" marks are one
//! bounded list in persistent offchain storage ([`SENT_MARKS_KEY`], at most [`MAX_SENT_MARKS`]),
//! pruned of marks older than [`Config::ResubmitAfter`] on every run.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod challenges;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use openledger_primitives::{
	feed_digest, PreparedSettlement, SettlementFeed, SETTLEMENTS_PATH, SETTLEMENT_ENDPOINT_KEY,
};
pub use pallet::*;
use sp_core::crypto::KeyTypeId;

/// Key type of worker keys in the node's keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"attr");

/// Domain tag of the worker's feed challenges.
pub const CHALLENGE_CONTEXT: &[u8; 25] = b"openledger/feed-challenge";

/// Persistent offchain key of the "submitted at block" marks: one SCALE
/// `Vec<(RequestId, BlockNumber)>`, oldest first.
pub const SENT_MARKS_KEY: &[u8] = b"openledger/attribution-worker/sent-marks";

/// Most "sent" marks kept. A mark matters for [`Config::ResubmitAfter`] blocks, and a run sends
/// at most [`Config::MaxSettlementsPerRun`], so far fewer are live; the cap bounds the value
/// whatever happens (forks, a misconfigured runtime). The oldest go first.
pub const MAX_SENT_MARKS: usize = 1024;

/// The worker key: sr25519, so that a worker's account is the account of its key.
pub mod crypto {
	use super::KEY_TYPE;
	use sp_runtime::{
		app_crypto::{app_crypto, sr25519},
		MultiSignature, MultiSigner,
	};
	app_crypto!(sr25519, KEY_TYPE);

	/// How the off-chain worker signs with a worker key.
	pub struct WorkerKey;

	impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for WorkerKey {
		type RuntimeAppPublic = Public;
		type GenericSignature = sp_core::sr25519::Signature;
		type GenericPublic = sp_core::sr25519::Public;
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{
		collections::{BTreeMap, BTreeSet},
		string::String,
		vec::Vec,
	};
	use codec::{Decode, DecodeAll, Encode};
	use frame_support::dispatch::DispatchClass;
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{
			Account, AppCrypto, CreateSignedTransaction, Signer, SigningTypes, SubmitTransaction,
		},
		pallet_prelude::*,
	};
	use openledger_primitives::{InferenceEscrow, ModelInspect, RequestId};
	use pallet_attribution::Settlement;
	use sp_core::{hexdisplay::HexDisplay, sr25519};
	use sp_runtime::{
		offchain::{
			http,
			storage::StorageValueRef,
			storage_lock::{BlockAndTime, StorageLock},
			Duration, StorageKind,
		},
		traits::Saturating,
		RuntimeAppPublic,
	};

	/// How long fetching the prepared settlements may take.
	const FETCH_DEADLINE_MS: u64 = 5_000;
	/// Largest settlement feed read from the node.
	const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
	/// Guards against two runs (overlapping blocks) submitting the same settlements.
	const LOCK_KEY: &[u8] = b"openledger/attribution-worker/lock";

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config
		+ pallet_attribution::Config
		+ pallet_fee_split::Config
		+ CreateSignedTransaction<pallet_attribution::Call<Self>>
		+ CreateSignedTransaction<pallet_fee_split::Call<Self>>
	{
		/// The key the worker signs settlements with.
		type WorkerKey: AppCrypto<<Self as SigningTypes>::Public, <Self as SigningTypes>::Signature>;
		/// Most settlements one run submits.
		#[pallet::constant]
		type MaxSettlementsPerRun: Get<u32>;
		/// Blocks after which a submitted settlement that is still pending is submitted again.
		#[pallet::constant]
		type ResubmitAfter: Get<BlockNumberFor<Self>>;
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(now: BlockNumberFor<T>) {
			// Both halves sign with the same worker keys, and the chain's nonces do not move
			// until their transactions are included: the second continues the first's nonces.
			let mut nonces = Nonces::<T>::new();
			match Self::submit_prepared_with(now, &mut nonces) {
				Ok(0) => {}
				Ok(sent) => log::info!(target: "attribution", "submitted {sent} settlement(s)"),
				Err(why) => log::warn!(target: "attribution", "settlements not submitted: {why}"),
			}
			match Self::answer_challenges_with(now, &mut nonces) {
				Ok(0) => {}
				Ok(sent) => log::info!(target: "attribution", "answered {sent} challenge(s)"),
				Err(why) => log::warn!(target: "attribution", "challenges not answered: {why}"),
			}
		}
	}

	impl<T: Config> Pallet<T> {
		/// One run: submits what the node has prepared, signed for, and this node's workers may
		/// settle.
		pub fn submit_prepared(now: BlockNumberFor<T>) -> Result<u32, String> {
			Self::submit_prepared_with(now, &mut Nonces::<T>::new())
		}

		/// [`Pallet::submit_prepared`], signing with the nonces after those in `nonces` (the
		/// next nonce of each worker that signed anything in this run), which it updates.
		pub(crate) fn submit_prepared_with(
			now: BlockNumberFor<T>,
			nonces: &mut Nonces<T>,
		) -> Result<u32, String> {
			let Some(url) = sp_io::offchain::local_storage_get(
				StorageKind::PERSISTENT,
				SETTLEMENT_ENDPOINT_KEY,
			) else {
				return Ok(0);
			};
			let workers: Vec<Account<T>> = Signer::<T, T::WorkerKey>::keystore_accounts()
				.filter(|a| {
					pallet_attribution::Workers::<T>::get(&a.id)
						.is_some_and(|w| w.unbonding_until.is_none())
				})
				.collect();
			if workers.is_empty() {
				return Ok(0);
			}
			let mut lock =
				StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
					LOCK_KEY,
					1,
					Duration::from_millis(2 * FETCH_DEADLINE_MS),
				);
			let Ok(_guard) = lock.try_lock() else { return Ok(0) };

			// Pruned on every run, whether or not anything is sent, so that the list only holds
			// marks that still suppress a resubmission.
			let mut marks = Self::sent_marks(now);

			let url = String::from_utf8(url).map_err(|_| "the endpoint is not UTF-8")?;
			let challenge = Self::challenge(now);
			let body = fetch(&alloc::format!(
				"{url}{SETTLEMENTS_PATH}?challenge={}",
				HexDisplay::from(&challenge)
			))?;
			let feed = SettlementFeed::decode_all(&mut body.as_slice())
				.map_err(|_| "the node's settlement feed does not decode")?;

			// Whoever wrote the URL chose this feed: only a worker that signed it vouches for it.
			let digest = feed_digest(&challenge, &feed.settlements);
			let workers: Vec<Account<T>> = workers
				.into_iter()
				.filter(|worker| {
					let signed = Self::signed_by(&feed, &digest, worker);
					if !signed {
						log::warn!(
							target: "attribution",
							"the settlement feed is not signed by worker {:?}: none of its settlements are submitted",
							worker.id,
						);
					}
					signed
				})
				.collect();
			if workers.is_empty() {
				return Ok(0);
			}
			let recently_sent: BTreeSet<RequestId> =
				marks.iter().map(|(request, _)| *request).collect();

			// One batch per worker, within the batch limit and one extrinsic's weight.
			let max_items = T::MaxSettlementsPerRun::get()
				.min(<T as pallet_attribution::Config>::MaxSettlementsPerBatch::get())
				as usize;
			let max_weight = <T as frame_system::Config>::BlockWeights::get()
				.get(DispatchClass::Normal)
				.max_extrinsic
				.unwrap_or_else(|| <T as frame_system::Config>::BlockWeights::get().max_block);
			let mut batches: Vec<Batch<'_, T>> = Vec::new();
			let mut taken = 0usize;
			for prepared in &feed.settlements {
				if taken >= max_items {
					break;
				}
				if recently_sent.contains(&prepared.request) {
					continue;
				}
				let Some((worker, item, open)) = Self::settlement(prepared, &workers) else {
					continue;
				};
				let weight = pallet_attribution::Pallet::<T>::settlement_weight(&item);
				let batch = match batches.iter_mut().position(|b| b.worker.id == worker.id) {
					Some(i) => batches.get_mut(i),
					None => {
						batches.push(Batch {
							worker,
							opens: Vec::new(),
							items: Vec::new(),
							weight: Weight::zero(),
						});
						batches.last_mut()
					}
				};
				let Some(batch) = batch else { continue };
				let with_item = batch.weight.saturating_add(weight);
				if !batch.items.is_empty() && with_item.any_gt(max_weight) {
					continue;
				}
				batch.items.push(item);
				batch.opens.extend(open);
				batch.weight = with_item;
				taken = taken.saturating_add(1);
			}

			let mut sent = 0u32;
			for Batch { worker, opens, items, .. } in batches {
				let mut nonce = Self::next_nonce(nonces, &worker.id);
				// Signed requests go into escrow first, then the batch that settles them.
				for open in opens {
					let xt = <T as CreateSignedTransaction<pallet_fee_split::Call<T>>>::create_signed_transaction::<T::WorkerKey>(
						open.into(),
						worker.public.clone(),
						worker.id.clone(),
						nonce,
					)
					.ok_or("the worker key could not sign")?;
					if SubmitTransaction::<T, pallet_fee_split::Call<T>>::submit_transaction(xt)
						.is_ok()
					{
						nonce.saturating_inc();
						nonces.insert(worker.id.clone(), nonce);
					} else {
						log::warn!(target: "attribution", "a signed request refused by the pool");
					}
				}
				let count = items.len() as u32;
				let requests: Vec<_> = items.iter().map(|item| item.request).collect();
				let call = pallet_attribution::Call::settle_batch { settlements: items };
				let xt = <T as CreateSignedTransaction<pallet_attribution::Call<T>>>::create_signed_transaction::<T::WorkerKey>(
					call.into(),
					worker.public.clone(),
					worker.id.clone(),
					nonce,
				)
				.ok_or("the worker key could not sign")?;
				if SubmitTransaction::<T, pallet_attribution::Call<T>>::submit_transaction(xt)
					.is_ok()
				{
					nonce.saturating_inc();
					nonces.insert(worker.id.clone(), nonce);
					// Stored at once: a later batch failing to sign must not lose these marks.
					Self::mark_sent(&mut marks, &requests, now);
					sent = sent.saturating_add(count);
				} else {
					log::warn!(target: "attribution", "a batch of {count} settlement(s) refused by the pool");
				}
			}
			Ok(sent)
		}

		/// The nonce `who` signs its next transaction of this run with: after those it signed
		/// in this run, else its account's.
		pub(crate) fn next_nonce(nonces: &Nonces<T>, who: &T::AccountId) -> T::Nonce {
			nonces
				.get(who)
				.copied()
				.unwrap_or_else(|| frame_system::Pallet::<T>::account_nonce(who))
		}

		/// The challenge of a run at block `now`: blake2-256 of [`CHALLENGE_CONTEXT`], `now` and
		/// the node's offchain random seed, SCALE-encoded; fresh for every run, so that a feed
		/// signed for one run is worthless in any other. Off-chain only (it reads the seed).
		pub fn challenge(now: BlockNumberFor<T>) -> [u8; 32] {
			let seed = sp_io::offchain::random_seed();
			sp_io::hashing::blake2_256(&(CHALLENGE_CONTEXT, now, seed).encode())
		}

		/// Whether `feed` holds a valid signature of `worker`'s key over `digest`.
		fn signed_by(feed: &SettlementFeed, digest: &[u8; 32], worker: &Account<T>) -> bool {
			let Some(raw) = Self::raw_public(worker) else { return false };
			let public = sr25519::Public::from_raw(raw);
			feed.signatures.iter().any(|(key, signature)| {
				key == &raw
					&& sp_io::crypto::sr25519_verify(
						&sr25519::Signature::from_raw(*signature),
						digest,
						&public,
					)
			})
		}

		/// The raw public key of a worker account's key, back through the key's own types
		/// (runtime `Public` → generic key → app key), which every [`AppCrypto`] provides.
		fn raw_public(worker: &Account<T>) -> Option<[u8; 32]> {
			let generic = <GenericPublicOf<T> as TryFrom<<T as SigningTypes>::Public>>::try_from(
				worker.public.clone(),
			)
			.ok()?;
			let key: AppPublicOf<T> = generic.into();
			key.to_raw_vec().try_into().ok()
		}

		/// The marks of requests sent less than [`Config::ResubmitAfter`] blocks before `now`;
		/// stored back when pruning dropped some.
		pub(crate) fn sent_marks(now: BlockNumberFor<T>) -> Vec<(RequestId, BlockNumberFor<T>)> {
			// Unreadable marks (written by someone else) are no marks: at worst a resubmission,
			// which the chain refuses if the first one landed.
			let mut marks = StorageValueRef::persistent(SENT_MARKS_KEY)
				.get::<Vec<(RequestId, BlockNumberFor<T>)>>()
				.ok()
				.flatten()
				.unwrap_or_default();
			let before = marks.len();
			marks.retain(|&(_, at)| now < at.saturating_add(T::ResubmitAfter::get()));
			Self::bound_marks(&mut marks);
			if marks.len() != before {
				StorageValueRef::persistent(SENT_MARKS_KEY).set(&marks);
			}
			marks
		}

		/// Marks `requests` as sent at `now` and stores the marks.
		pub(crate) fn mark_sent(
			marks: &mut Vec<(RequestId, BlockNumberFor<T>)>,
			requests: &[RequestId],
			now: BlockNumberFor<T>,
		) {
			marks.retain(|(request, _)| !requests.contains(request));
			marks.extend(requests.iter().map(|request| (*request, now)));
			Self::bound_marks(marks);
			StorageValueRef::persistent(SENT_MARKS_KEY).set(&*marks);
		}

		/// Drops the oldest marks beyond [`MAX_SENT_MARKS`].
		fn bound_marks(marks: &mut Vec<(RequestId, BlockNumberFor<T>)>) {
			let excess = marks.len().saturating_sub(MAX_SENT_MARKS);
			marks.drain(..excess);
		}

		/// A prepared settlement as the chain takes it and the worker to sign it, if it is still
		/// to be settled, by one of `workers`; with the call that puts its request in escrow
		/// first when the user signed it off-chain.
		fn settlement<'a>(
			settlement: &PreparedSettlement,
			workers: &'a [Account<T>],
		) -> Option<Ready<'a, T>> {
			if pallet_attribution::Records::<T>::contains_key(settlement.request) {
				return None;
			}
			let (model_id, chosen, open) =
				match <T as pallet_attribution::Config>::Escrow::pending(&settlement.request) {
					Some(pending) => (pending.model, pending.workers, None),
					None => {
						let (request, signer, signature) = Self::signed_request(settlement)?;
						(
							request.model,
							request.workers.to_vec(),
							Some(pallet_fee_split::Call::submit_signed_request {
								request,
								signer,
								signature,
							}),
						)
					}
				};
			// One of this node's keys that the user named and that serves the model.
			let worker = workers.iter().find(|a| {
				chosen.contains(&a.id)
					&& pallet_attribution::Workers::<T>::get(&a.id)
						.is_some_and(|w| w.models.contains(&model_id))
			})?;
			// Answered with a version no longer deployed: the chain would refuse it.
			let served = <T as pallet_attribution::Config>::Models::served(model_id)?;
			if served.version != settlement.version {
				return None;
			}
			let max = <T as pallet_attribution::Config>::MaxContributionsPerOutput::get() as usize;
			let mut influences = settlement.influences.clone();
			// The node sends the largest first; keep what the chain takes.
			influences.sort_by_key(|(_, influence)| core::cmp::Reverse(*influence));
			influences.truncate(max);
			Some((
				worker,
				Settlement {
					request: settlement.request,
					version: settlement.version,
					tokens_out: settlement.tokens_out,
					output_hash: settlement.output_hash,
					influences,
				},
				open,
			))
		}

		/// The off-chain signed request of `settlement`, if it has one that is its request and
		/// that the escrow has never seen (an escrow that knows it has settled, refunded or
		/// still holds it).
		fn signed_request(
			settlement: &PreparedSettlement,
		) -> Option<(
			pallet_fee_split::RequestOf<T>,
			T::AccountId,
			<T as pallet_fee_split::Config>::Signature,
		)> {
			let bytes = settlement.signed_request.as_ref()?;
			let (request, signer, signature) = <(
				pallet_fee_split::RequestOf<T>,
				T::AccountId,
				<T as pallet_fee_split::Config>::Signature,
			)>::decode(&mut bytes.as_slice())
			.ok()?;
			if pallet_fee_split::Requests::<T>::contains_key(settlement.request)
				|| pallet_fee_split::Pallet::<T>::request_id(&signer, &request)
					!= settlement.request
			{
				return None;
			}
			Some((request, signer, signature))
		}
	}

	/// The next nonce of each worker that submitted something in the current run.
	pub(crate) type Nonces<T> =
		BTreeMap<<T as frame_system::Config>::AccountId, <T as frame_system::Config>::Nonce>;

	/// The raw key type behind the worker key (sr25519's in the runtime).
	type GenericPublicOf<T> = <<T as Config>::WorkerKey as AppCrypto<
		<T as SigningTypes>::Public,
		<T as SigningTypes>::Signature,
	>>::GenericPublic;

	/// The worker key's application key type (what the keystore holds).
	type AppPublicOf<T> = <<T as Config>::WorkerKey as AppCrypto<
		<T as SigningTypes>::Public,
		<T as SigningTypes>::Signature,
	>>::RuntimeAppPublic;

	/// A settlement ready to send: the worker to sign it, and the call that puts its request in
	/// escrow first if the user signed it off-chain.
	type Ready<'a, T> = (&'a Account<T>, Settlement, Option<pallet_fee_split::Call<T>>);

	/// One worker's share of a run: the signed requests to put in escrow, then the batch.
	struct Batch<'a, T: Config> {
		worker: &'a Account<T>,
		opens: Vec<pallet_fee_split::Call<T>>,
		items: Vec<Settlement>,
		weight: Weight,
	}

	/// GETs `url` within the deadline.
	pub(crate) fn fetch(url: &str) -> Result<Vec<u8>, String> {
		let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(FETCH_DEADLINE_MS));
		let pending = http::Request::get(url)
			.deadline(deadline)
			.send()
			.map_err(|e| alloc::format!("requesting {url}: {e:?}"))?;
		let response = pending
			.try_wait(deadline)
			.map_err(|_| alloc::format!("{url}: no answer within {FETCH_DEADLINE_MS} ms"))?
			.map_err(|e| alloc::format!("{url}: {e:?}"))?;
		if response.code != 200 {
			return Err(alloc::format!("{url}: HTTP {}", response.code));
		}
		let body: Vec<u8> = response.body().take(MAX_RESPONSE_BYTES.saturating_add(1)).collect();
		if body.len() > MAX_RESPONSE_BYTES {
			return Err(alloc::format!("{url}: more than {MAX_RESPONSE_BYTES} bytes"));
		}
		Ok(body)
	}
}
