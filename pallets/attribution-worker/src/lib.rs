//! # Attribution worker
//!
//! The off-chain side of Proof of Attribution (seed 2.2.4): on a node that serves inference, the
//! off-chain worker settles the requests that node has answered.
//!
//! The WASM runtime never runs the model. The node answers a paid request with its native engine,
//! computes the DataInf attribution of the answer, and keeps a [`PreparedSettlement`] on disk
//! until it is settled. It publishes the URL of a loopback endpoint that lists them under the
//! persistent offchain key [`SETTLEMENT_ENDPOINT_KEY`]. After each imported block, this worker:
//!
//! 1. reads that URL (a node that serves nothing has none: the worker does nothing);
//! 2. finds, in the node's keystore (key type [`KEY_TYPE`], sr25519), the keys of registered,
//!    bonded workers (inserted with `key insert` or `author_insertKey`; `--dev` inserts Alice's);
//! 3. fetches the prepared settlements (a SCALE `Vec<PreparedSettlement>`) within a deadline;
//! 4. gathers those still pending in escrow for a model one of its workers serves and submits
//!    them as one `attribution.settle_batch` per worker, signed by that worker, as many as fit
//!    in one extrinsic's weight; it remembers when, so that they are not sent again while in the
//!    pool. A request the user signed off-chain and sent to the node (not yet in escrow) is put
//!    there first: the worker submits `feeSplit.submitSignedRequest` with the nonce before the
//!    batch's, so both land in order.
//!
//! Safety: the chain refuses a second settlement of a request (`AlreadySettled`) and settles only
//! pending requests; settled, refunded and expired ones are skipped here, and the node drops them
//! from its store. A settlement not included after [`Config::ResubmitAfter`] blocks is sent again;
//! one that never is (a node down past the request's expiry) is refunded to the user in full by
//! the fee pallet. Prepared settlements survive a node restart on disk.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use openledger_primitives::{PreparedSettlement, SETTLEMENTS_PATH, SETTLEMENT_ENDPOINT_KEY};
pub use pallet::*;
use sp_core::crypto::KeyTypeId;

/// Key type of worker keys in the node's keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"attr");

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
	use alloc::{string::String, vec::Vec};
	use codec::Decode;
	use frame_support::dispatch::DispatchClass;
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{
			Account, AppCrypto, CreateSignedTransaction, Signer, SigningTypes, SubmitTransaction,
		},
		pallet_prelude::*,
	};
	use openledger_primitives::{InferenceEscrow, ModelInspect};
	use pallet_attribution::Settlement;
	use sp_runtime::{
		offchain::{
			http,
			storage::StorageValueRef,
			storage_lock::{BlockAndTime, StorageLock},
			Duration, StorageKind,
		},
		traits::Saturating,
	};

	/// How long fetching the prepared settlements may take.
	const FETCH_DEADLINE_MS: u64 = 5_000;
	/// Largest list of prepared settlements read from the node.
	const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
	/// Guards against two runs (overlapping blocks) submitting the same settlements.
	const LOCK_KEY: &[u8] = b"openledger/attribution-worker/lock";
	/// Prefix of "submitted at block" marks, one per request.
	const SENT_PREFIX: &[u8] = b"openledger/attribution-worker/sent/";

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
			match Self::submit_prepared(now) {
				Ok(0) => {}
				Ok(sent) => log::info!(target: "attribution", "submitted {sent} settlement(s)"),
				Err(why) => log::warn!(target: "attribution", "settlements not submitted: {why}"),
			}
		}
	}

	impl<T: Config> Pallet<T> {
		/// One run: submits what the node has prepared and this node's workers may settle.
		pub fn submit_prepared(now: BlockNumberFor<T>) -> Result<u32, String> {
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

			let url = String::from_utf8(url).map_err(|_| "the endpoint is not UTF-8")?;
			let body = fetch(&alloc::format!("{url}{SETTLEMENTS_PATH}"))?;
			let prepared = Vec::<PreparedSettlement>::decode(&mut &body[..])
				.map_err(|_| "the node's settlement list does not decode")?;

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
			for prepared in &prepared {
				if taken >= max_items {
					break;
				}
				let Some((worker, item, open)) = Self::settlement(prepared, &workers, now) else {
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
				let mut nonce = frame_system::Pallet::<T>::account_nonce(&worker.id);
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
					for request in &requests {
						StorageValueRef::persistent(&sent_key(request)).set(&now);
					}
					sent = sent.saturating_add(count);
				} else {
					log::warn!(target: "attribution", "a batch of {count} settlement(s) refused by the pool");
				}
			}
			Ok(sent)
		}

		/// A prepared settlement as the chain takes it and the worker to sign it, if it is still
		/// to be settled, by one of `workers`, and was not sent too recently; with the call that
		/// puts its request in escrow first when the user signed it off-chain.
		fn settlement<'a>(
			settlement: &PreparedSettlement,
			workers: &'a [Account<T>],
			now: BlockNumberFor<T>,
		) -> Option<Ready<'a, T>> {
			if pallet_attribution::Records::<T>::contains_key(settlement.request) {
				return None;
			}
			let (model_id, open) =
				match <T as pallet_attribution::Config>::Escrow::pending(&settlement.request) {
					Some(pending) => (pending.model, None),
					None => {
						let (request, signer, signature) = Self::signed_request(settlement)?;
						(
							request.model,
							Some(pallet_fee_split::Call::submit_signed_request {
								request,
								signer,
								signature,
							}),
						)
					}
				};
			let worker = workers.iter().find(|a| {
				pallet_attribution::Workers::<T>::get(&a.id)
					.is_some_and(|w| w.models.contains(&model_id))
			})?;
			let model = <T as pallet_attribution::Config>::Models::served(model_id)?;
			if let Ok(Some(at)) = StorageValueRef::persistent(&sent_key(&settlement.request))
				.get::<BlockNumberFor<T>>()
			{
				if now < at.saturating_add(T::ResubmitAfter::get()) {
					return None;
				}
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
					tokens_in: settlement.tokens_in,
					tokens_out: settlement.tokens_out,
					output_hash: settlement.output_hash,
					influences,
					stakers_witness: model.stakers,
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
			)>::decode(&mut &bytes[..])
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

	fn sent_key(request: &openledger_primitives::RequestId) -> Vec<u8> {
		[SENT_PREFIX, request.as_bytes()].concat()
	}

	/// GETs `url` within the deadline.
	fn fetch(url: &str) -> Result<Vec<u8>, String> {
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
