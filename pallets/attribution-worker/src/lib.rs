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
//! 4. for each one still pending in escrow for a model one of its workers serves, submits
//!    `attribution.settle` signed by that worker (consecutive nonces, so that several go out in
//!    one run), and remembers when, so that it is not sent again while in the pool.
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
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{Account, AppCrypto, CreateSignedTransaction, Signer, SubmitTransaction},
		pallet_prelude::*,
	};
	use openledger_primitives::{InferenceEscrow, ModelInspect};
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
		+ CreateSignedTransaction<pallet_attribution::Call<Self>>
	{
		/// The key the worker signs settlements with.
		type WorkerKey: AppCrypto<Self::Public, Self::Signature>;
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

			// Consecutive nonces per worker, so that several settlements go out in one run.
			let mut nonces: Vec<(T::AccountId, T::Nonce)> = Vec::new();
			let mut sent = 0u32;
			for settlement in prepared {
				if sent >= T::MaxSettlementsPerRun::get() {
					break;
				}
				let Some(call) = Self::settle_call(&settlement, &workers, now) else { continue };
				let (worker, call) = call;
				let nonce = match nonces.iter_mut().find(|(id, _)| *id == worker.id) {
					Some((_, n)) => n,
					None => {
						let n = frame_system::Pallet::<T>::account_nonce(&worker.id);
						nonces.push((worker.id.clone(), n));
						match nonces.last_mut() {
							Some((_, n)) => n,
							None => continue,
						}
					}
				};
				let Some(xt) = T::create_signed_transaction::<T::WorkerKey>(
					call.into(),
					worker.public.clone(),
					worker.id.clone(),
					*nonce,
				) else {
					return Err("the worker key could not sign".into());
				};
				if SubmitTransaction::<T, pallet_attribution::Call<T>>::submit_transaction(xt)
					.is_ok()
				{
					nonce.saturating_inc();
					StorageValueRef::persistent(&sent_key(&settlement)).set(&now);
					sent = sent.saturating_add(1);
				} else {
					log::warn!(target: "attribution", "settlement of {:?} refused by the pool", settlement.request);
				}
			}
			Ok(sent)
		}

		/// The `settle` call for a prepared settlement and the worker to sign it, if it is still
		/// to be settled, by one of `workers`, and was not sent too recently.
		fn settle_call<'a>(
			settlement: &PreparedSettlement,
			workers: &'a [Account<T>],
			now: BlockNumberFor<T>,
		) -> Option<(&'a Account<T>, pallet_attribution::Call<T>)> {
			if pallet_attribution::Records::<T>::contains_key(settlement.request) {
				return None;
			}
			let pending = <T as pallet_attribution::Config>::Escrow::pending(&settlement.request)?;
			let worker = workers.iter().find(|a| {
				pallet_attribution::Workers::<T>::get(&a.id)
					.is_some_and(|w| w.models.contains(&pending.model))
			})?;
			let model = <T as pallet_attribution::Config>::Models::served(pending.model)?;
			if let Ok(Some(at)) =
				StorageValueRef::persistent(&sent_key(settlement)).get::<BlockNumberFor<T>>()
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
				pallet_attribution::Call::settle {
					request: settlement.request,
					tokens_in: settlement.tokens_in,
					tokens_out: settlement.tokens_out,
					output_hash: settlement.output_hash,
					influences,
					stakers_witness: model.stakers,
				},
			))
		}
	}

	fn sent_key(settlement: &PreparedSettlement) -> Vec<u8> {
		[SENT_PREFIX, settlement.request.as_bytes()].concat()
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
