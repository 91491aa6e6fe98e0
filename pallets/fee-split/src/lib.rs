//! # Fee split
//!
//! How inference is paid for (OpenLedger whitepaper §2.2.4 step 3, §5.2.1 and §5.2.4; the
//! formulas and their rounding: docs/formulas.md):
//!
//! 1. A user consents to pay for an answer by signing an [`InferenceRequest`] (model, hash of the
//!    prompt and its token count as the node quoted it, the workers allowed to answer, most output
//!    tokens, most fee, nonce, expiry). Either the user submits it
//!    ([`Pallet::request_inference`]), or signs it off-chain and the serving node brings it
//!    on-chain with the signature ([`Pallet::submit_signed_request`]). Either way `max_fee` is
//!    held from the user and the request gets one id, so it can be paid for once only.
//! 2. The attribution pallet settles it through [`InferenceEscrow`] once a worker has served it:
//!    Fee = (T_in/1000)·R_in + (T_out/1000)·R_out + F_platform is charged from the hold (T_in
//!    from the request, never from the worker), the rest released, and F_net = Fee − F_platform
//!    split β/γ/δ between the model owner (of whose part the settling worker gets the share the
//!    owner set), the model's stakers (into the registry's reward pool, pro rata to stake) and
//!    the data contributors (pro rata to positive influence).
//!    Rounding remainders and unpayable shares go to the treasury with F_platform, so the
//!    amounts paid always add up to the fee charged.
//! 3. A request not settled by its expiry is refunded in full at the start of the next block.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod fee;
pub mod runtime_api;
mod types;
pub mod weights;

pub use fee::FeeQuote;
pub use openledger_primitives::{
	FeeBreakdown, InferenceEscrow, ModelId, ModelInspect, PendingInference, ProtocolParameters,
	RequestId, ServedModel, Settlement,
};
pub use types::*;
pub use weights::WeightInfo;

/// Domain of what a user signs for an off-chain request, so that a signature made for anything
/// else can never pass for one.
pub const SIGNING_CONTEXT: &[u8] = b"openledger:inference-request:v1";

/// How browser wallets (`signRaw` of the polkadot.js extension and its kin) wrap the bytes they
/// are asked to sign; a signature over the wrapped digest is accepted too.
pub const WALLET_WRAP: (&[u8], &[u8]) = (b"<Bytes>", b"</Bytes>");

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;
	use sp_runtime::{
		traits::{BlakeTwo256, Hash, IdentifyAccount, One, Saturating, Verify, Zero},
		Perbill,
	};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The most a user agreed to pay for a requested inference, until it is settled or
		/// expires.
		InferenceEscrow,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The OPEN token.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;

		/// Deployed models, their rates, owners and stakers.
		type Models: ModelInspect<Self::AccountId, BalanceOf<Self>>;

		/// The fee split β/γ/δ and the platform fee, set by governance.
		type Parameters: ProtocolParameters<BalanceOf<Self>>;

		/// Receives platform fees and rounding remainders (the treasury's account). Must exist.
		type Treasury: Get<Self::AccountId>;

		/// Signatures of off-chain requests, by the key of the account that pays.
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;

		/// Furthest ahead a request may expire, in blocks.
		#[pallet::constant]
		type MaxRequestLifetime: Get<BlockNumberFor<Self>>;

		/// Most requests that may expire in one block (bounds the refund work of a block).
		#[pallet::constant]
		type MaxExpiringPerBlock: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up what the benchmarks need from other pallets.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// Requests in escrow: pending ones, and settled ones until they expire (replay guard).
	#[pallet::storage]
	pub type Requests<T: Config> = StorageMap<_, Identity, RequestId, RequestRecordOf<T>>;

	/// The requests to refund or forget at the start of each block: those that expired in the
	/// block before.
	#[pallet::storage]
	pub type ExpiringAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<RequestId, T::MaxExpiringPerBlock>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A user's request is held in escrow until `expires_at`.
		InferenceRequested {
			request: RequestId,
			user: T::AccountId,
			model: ModelId,
			max_fee: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
			signed_off_chain: bool,
		},
		/// A request was paid for: the fee, the refund and where the fee went.
		InferenceSettled {
			request: RequestId,
			user: T::AccountId,
			breakdown: FeeBreakdown<BalanceOf<T>>,
		},
		/// A request expired unsettled and its hold was returned in full.
		InferenceExpired { request: RequestId, user: T::AccountId, refunded: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The model is not deployed.
		ModelNotServed,
		/// The request's expiry has passed or is this block.
		Expired,
		/// The request expires further ahead than allowed.
		ExpiryTooFar,
		/// A request must allow at least one output token.
		NoOutputTokens,
		/// `max_fee` does not even cover the platform fee.
		MaxFeeTooLow,
		/// This request was already submitted (or settled).
		DuplicateRequest,
		/// As many requests expire in that block as allowed; choose another expiry.
		TooManyExpiring,
		/// Not enough free OPEN to hold `max_fee`.
		InsufficientBalance,
		/// The signature is not the signer's over this request on this chain.
		BadSignature,
		/// No request has this id.
		UnknownRequest,
		/// The request was already paid for.
		AlreadySettled,
		/// More output tokens than the user allowed.
		TooManyOutputTokens,
		/// The fee for these token counts exceeds the user's `max_fee`.
		FeeAboveMax,
		/// The fee would overflow the balance type.
		FeeOverflow,
		/// Governance's β + γ + δ is not one.
		InvalidFeeSplit,
		/// A request must name at least one worker.
		NoWorkers,
		/// The settling worker is not one of the workers the request allows.
		WorkerNotAllowed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let expired = ExpiringAt::<T>::take(now);
			let count = expired.len() as u32;
			for id in expired {
				Self::expire(id);
			}
			T::WeightInfo::expire_requests(count)
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Ask for an inference and hold its `max_fee` until a worker settles it or it expires.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::request_inference())]
		pub fn request_inference(origin: OriginFor<T>, request: RequestOf<T>) -> DispatchResult {
			let user = ensure_signed(origin)?;
			Self::open(user, request, false)
		}

		/// Bring on-chain a request that `signer` signed off-chain (see
		/// [`Pallet::signing_digest`]) and hold its `max_fee` from the signer. Anyone may submit
		/// it, typically the node the user sent it to; only the signer pays for the inference.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::submit_signed_request())]
		pub fn submit_signed_request(
			origin: OriginFor<T>,
			request: RequestOf<T>,
			signer: T::AccountId,
			signature: T::Signature,
		) -> DispatchResult {
			ensure_signed(origin)?;
			ensure!(Self::signed_by(&request, &signer, &signature), Error::<T>::BadSignature);
			Self::open(signer, request, true)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The id of `request` signed by `user`.
		pub fn request_id(user: &T::AccountId, request: &RequestOf<T>) -> RequestId {
			BlakeTwo256::hash_of(&(user, request))
		}

		/// What a user signs for an off-chain request: the blake2-256 of a fixed context, this
		/// chain's genesis hash and the SCALE-encoded request. A 32-byte digest, so that every
		/// client and wallet signs the same bytes.
		pub fn signing_digest(request: &RequestOf<T>) -> H256 {
			let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			BlakeTwo256::hash_of(&(SIGNING_CONTEXT, genesis, request))
		}

		/// Whether `signature` is `signer`'s over the request's digest, bare or wrapped by a
		/// wallet.
		fn signed_by(
			request: &RequestOf<T>,
			signer: &T::AccountId,
			signature: &T::Signature,
		) -> bool {
			let digest = Self::signing_digest(request);
			let (open, close) = WALLET_WRAP;
			signature.verify(digest.as_bytes(), signer)
				|| signature.verify(&[open, digest.as_bytes(), close].concat()[..], signer)
		}

		/// Whether `submit_signed_request` would take `signer`'s off-chain `request` now, were
		/// `also_held` more held from the signer first (what a serving node has answered for them
		/// and not yet brought on-chain). Changes nothing: for the serving node, through the
		/// runtime API, before it answers a request it has to bring on-chain itself.
		pub fn check_signed_request(
			request: &RequestOf<T>,
			signer: &T::AccountId,
			signature: &T::Signature,
			also_held: BalanceOf<T>,
		) -> Result<RequestId, DispatchError> {
			frame_support::storage::with_transaction(|| {
				let checked = (|| {
					ensure!(Self::signed_by(request, signer, signature), Error::<T>::BadSignature);
					if !also_held.is_zero() {
						T::Currency::hold(&HoldReason::InferenceEscrow.into(), signer, also_held)
							.map_err(|_| Error::<T>::InsufficientBalance)?;
					}
					Self::open(signer.clone(), request.clone(), true)?;
					Ok(Self::request_id(signer, request))
				})();
				sp_runtime::TransactionOutcome::Rollback(Ok::<_, DispatchError>(checked))
			})?
		}

		/// The price of an answer of a deployed model, at today's rates and platform fee.
		pub fn quote(
			model: ModelId,
			tokens_in: u32,
			tokens_out: u32,
		) -> Option<FeeQuote<BalanceOf<T>>> {
			let served = T::Models::served(model)?;
			Self::quote_for(&served, tokens_in, tokens_out).ok()
		}

		fn quote_for(
			model: &ServedModel<T::AccountId, BalanceOf<T>>,
			tokens_in: u32,
			tokens_out: u32,
		) -> Result<FeeQuote<BalanceOf<T>>, Error<T>> {
			let usage = fee::usage_fee(
				tokens_in,
				tokens_out,
				to_u128(model.rate_in),
				to_u128(model.rate_out),
			)
			.ok_or(Error::<T>::FeeOverflow)?;
			let platform = match T::Parameters::platform_fee() {
				PlatformFee::Flat(amount) => PlatformFee::Flat(to_u128(amount)),
				PlatformFee::Percentage(eta) => PlatformFee::Percentage(eta),
			};
			let quote = fee::quote(usage, platform).ok_or(Error::<T>::FeeOverflow)?;
			Ok(FeeQuote {
				usage: from_u128::<T>(quote.usage)?,
				platform: from_u128::<T>(quote.platform)?,
				total: from_u128::<T>(quote.total)?,
			})
		}

		fn open(
			user: T::AccountId,
			request: RequestOf<T>,
			signed_off_chain: bool,
		) -> DispatchResult {
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(request.expires_at > now, Error::<T>::Expired);
			ensure!(
				request.expires_at <= now.saturating_add(T::MaxRequestLifetime::get()),
				Error::<T>::ExpiryTooFar
			);
			ensure!(request.max_output_tokens > 0, Error::<T>::NoOutputTokens);
			ensure!(!request.workers.is_empty(), Error::<T>::NoWorkers);
			let model = T::Models::served(request.model).ok_or(Error::<T>::ModelNotServed)?;
			let least = Self::quote_for(&model, request.tokens_in, 0)?.total;
			ensure!(request.max_fee >= least, Error::<T>::MaxFeeTooLow);
			let id = Self::request_id(&user, &request);
			ensure!(!Requests::<T>::contains_key(id), Error::<T>::DuplicateRequest);

			// Forgotten (or refunded) at the start of the block after its last one.
			ExpiringAt::<T>::try_mutate(request.expires_at.saturating_add(One::one()), |ids| {
				ids.try_push(id)
			})
			.map_err(|_| Error::<T>::TooManyExpiring)?;
			if !request.max_fee.is_zero() {
				T::Currency::hold(&HoldReason::InferenceEscrow.into(), &user, request.max_fee)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
			}
			Self::deposit_event(Event::InferenceRequested {
				request: id,
				user: user.clone(),
				model: request.model,
				max_fee: request.max_fee,
				expires_at: request.expires_at,
				signed_off_chain,
			});
			Requests::<T>::insert(
				id,
				RequestRecord { user, request, status: RequestStatus::Pending, signed_off_chain },
			);
			Ok(())
		}

		/// Forget an expired request, refunding it if it was never settled.
		fn expire(id: RequestId) {
			let Some(record) = Requests::<T>::take(id) else { return };
			if record.status != RequestStatus::Pending {
				return;
			}
			// Best effort: the hold is this pallet's own; whatever of it is there goes back.
			let refunded = T::Currency::release(
				&HoldReason::InferenceEscrow.into(),
				&record.user,
				record.request.max_fee,
				Precision::BestEffort,
			)
			.unwrap_or_default();
			Self::deposit_event(Event::InferenceExpired {
				request: id,
				user: record.user,
				refunded,
			});
		}

		/// Move `amount` of `user`'s escrow to `to`; returns what was paid: nothing if `to`
		/// cannot receive it (an account that does not exist and would not reach the
		/// existential deposit), so the caller sends it to the treasury instead.
		fn pay_from_escrow(
			user: &T::AccountId,
			to: &T::AccountId,
			amount: BalanceOf<T>,
		) -> Result<BalanceOf<T>, DispatchError> {
			if amount.is_zero()
				|| T::Currency::can_deposit(to, amount, Provenance::Extant)
					!= DepositConsequence::Success
			{
				return Ok(Zero::zero());
			}
			T::Currency::transfer_on_hold(
				&HoldReason::InferenceEscrow.into(),
				user,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
		}

		fn do_settle(
			id: &RequestId,
			worker: &T::AccountId,
			worker_share: Perbill,
			tokens_out: u32,
			contributors: &[(Option<T::AccountId>, u128)],
		) -> Result<Settlement<BalanceOf<T>>, DispatchError> {
			let mut record = Requests::<T>::get(id).ok_or(Error::<T>::UnknownRequest)?;
			ensure!(record.status == RequestStatus::Pending, Error::<T>::AlreadySettled);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now <= record.request.expires_at, Error::<T>::Expired);
			ensure!(record.request.workers.contains(worker), Error::<T>::WorkerNotAllowed);
			ensure!(
				tokens_out <= record.request.max_output_tokens,
				Error::<T>::TooManyOutputTokens
			);
			let model =
				T::Models::served(record.request.model).ok_or(Error::<T>::ModelNotServed)?;
			let quote = Self::quote_for(&model, record.request.tokens_in, tokens_out)?;
			ensure!(quote.total <= record.request.max_fee, Error::<T>::FeeAboveMax);
			let split = T::Parameters::fee_split();
			ensure!(split.is_complete(), Error::<T>::InvalidFeeSplit);

			let parts = fee::split_net(to_u128(quote.usage), split);
			let user = &record.user;

			let worker_part = worker_share.mul_floor(parts.model);
			let worker_paid = Self::pay_from_escrow(user, worker, from_u128::<T>(worker_part)?)?;
			let model_owner = Self::pay_from_escrow(
				user,
				&model.owner,
				from_u128::<T>(parts.model.saturating_sub(worker_part))?,
			)?;

			// Into the registry's reward pool: the stakers claim it pro rata to stake, so the
			// settlement costs the same however many stake.
			let mut stakers = BalanceOf::<T>::zero();
			if parts.stakers > 0 && T::Models::has_stakers(record.request.model) {
				let pot = T::Models::staking_pot();
				stakers = Self::pay_from_escrow(user, &pot, from_u128::<T>(parts.stakers)?)?;
				if !stakers.is_zero() {
					T::Models::reward_stakers(record.request.model, stakers)?;
				}
			}

			let weights: Vec<u128> = contributors.iter().map(|(_, influence)| *influence).collect();
			let mut per_contributor = Vec::with_capacity(contributors.len());
			let mut paid_contributors = BalanceOf::<T>::zero();
			for ((contributor, _), share) in
				contributors.iter().zip(fee::pro_rata(parts.contributors, &weights))
			{
				// A contribution withdrawn or slashed since training: its share to the treasury.
				let paid = match contributor {
					Some(account) => Self::pay_from_escrow(user, account, from_u128::<T>(share)?)?,
					None => Zero::zero(),
				};
				paid_contributors = paid_contributors.saturating_add(paid);
				per_contributor.push(paid);
			}

			// What the platform fee, rounding and unpayable shares leave: to the treasury.
			let to_treasury = quote
				.total
				.saturating_sub(model_owner)
				.saturating_sub(worker_paid)
				.saturating_sub(stakers)
				.saturating_sub(paid_contributors);
			if !to_treasury.is_zero() {
				T::Currency::transfer_on_hold(
					&HoldReason::InferenceEscrow.into(),
					user,
					&T::Treasury::get(),
					to_treasury,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Polite,
				)?;
			}
			let refund = record.request.max_fee.saturating_sub(quote.total);
			if !refund.is_zero() {
				T::Currency::release(
					&HoldReason::InferenceEscrow.into(),
					user,
					refund,
					Precision::Exact,
				)?;
			}

			let breakdown = FeeBreakdown {
				fee: quote.total,
				refund,
				platform: quote.platform,
				model_owner,
				worker: worker_paid,
				stakers,
				contributors: paid_contributors,
				remainder: to_treasury.saturating_sub(quote.platform),
			};
			record.status = RequestStatus::Settled;
			Self::deposit_event(Event::InferenceSettled {
				request: *id,
				user: record.user.clone(),
				breakdown,
			});
			Requests::<T>::insert(id, record);
			Ok(Settlement { breakdown, per_contributor })
		}
	}

	impl<T: Config> InferenceEscrow<T::AccountId, BalanceOf<T>> for Pallet<T> {
		fn pending(request: &RequestId) -> Option<PendingInference<T::AccountId>> {
			let record = Requests::<T>::get(request)?;
			let now = frame_system::Pallet::<T>::block_number();
			(record.status == RequestStatus::Pending && now <= record.request.expires_at).then(
				|| PendingInference {
					user: record.user,
					model: record.request.model,
					prompt_hash: record.request.prompt_hash,
					tokens_in: record.request.tokens_in,
					max_output_tokens: record.request.max_output_tokens,
					workers: record.request.workers.into_inner(),
				},
			)
		}

		fn settle(
			request: &RequestId,
			worker: &T::AccountId,
			worker_share: Perbill,
			tokens_out: u32,
			contributors: &[(Option<T::AccountId>, u128)],
		) -> Result<Settlement<BalanceOf<T>>, DispatchError> {
			// All or nothing, whoever calls it: `reward_stakers` (or a transfer) may fail after
			// shares were paid.
			frame_support::storage::with_storage_layer(|| {
				Self::do_settle(request, worker, worker_share, tokens_out, contributors)
			})
		}
	}

	/// What the benchmarks need from other pallets.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, Signature> {
		/// A deployed model, with rates, that requests can be made for.
		fn served_model() -> ModelId;
		/// A fresh account and its signature over `payload`.
		fn sign(payload: &[u8]) -> (AccountId, Signature);
	}

	fn to_u128<B: TryInto<u128>>(amount: B) -> u128 {
		amount.try_into().unwrap_or(u128::MAX)
	}

	fn from_u128<T: Config>(amount: u128) -> Result<BalanceOf<T>, Error<T>> {
		amount.try_into().map_err(|_| Error::<T>::FeeOverflow)
	}
}

use openledger_primitives::PlatformFee;
