//! Answering challenges: a user who says a settlement of this node's worker was never answered
//! gets the prompt and the answer revealed on-chain (`attribution.answerChallenge`), from what
//! the node kept of the answer; otherwise the worker would be slashed for an answer it gave.

use crate::pallet::{fetch, Config, Nonces, Pallet};
use alloc::{string::String, vec::Vec};
use codec::{DecodeAll, Encode};
use frame_support::BoundedVec;
use frame_system::{
	offchain::{CreateSignedTransaction, Signer, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use openledger_primitives::{RequestId, REVEAL_PATH, SETTLEMENT_ENDPOINT_KEY};
use sp_core::hexdisplay::HexDisplay;
use sp_runtime::{offchain::StorageKind, traits::Saturating};

/// Most challenges one run answers.
pub const MAX_ANSWERS_PER_RUN: usize = 8;

/// Domain tag of the "sent" marks of answers, which share the list of settlements' marks.
pub const ANSWER_MARK_CONTEXT: &[u8] = b"openledger/answer-mark";

/// The "sent" mark of the answer to a challenge of `request`: not the request's own id, which
/// marks its settlement. A settlement sent less than [`Config::ResubmitAfter`] blocks ago must
/// not hold back the answer to a challenge of it, whose response period may be shorter.
pub fn answer_mark(request: &RequestId) -> RequestId {
	RequestId::from(sp_io::hashing::blake2_256(&(ANSWER_MARK_CONTEXT, request).encode()))
}

impl<T: Config> Pallet<T> {
	/// One run: answers the open challenges of this node's workers that were not answered in
	/// the last [`Config::ResubmitAfter`] blocks, while an answer can still land by the deadline.
	pub fn answer_challenges(now: BlockNumberFor<T>) -> Result<u32, String> {
		Self::answer_challenges_with(now, &mut Nonces::<T>::new())
	}

	/// [`Pallet::answer_challenges`], signing with the nonces after those in `nonces`, which it
	/// updates.
	pub(crate) fn answer_challenges_with(
		now: BlockNumberFor<T>,
		nonces: &mut Nonces<T>,
	) -> Result<u32, String> {
		let Some(url) =
			sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, SETTLEMENT_ENDPOINT_KEY)
		else {
			return Ok(0);
		};
		let url = String::from_utf8(url).map_err(|_| "the endpoint is not UTF-8")?;
		let mut marks = Self::sent_marks(now);
		let mut sent = 0u32;
		for worker in Signer::<T, T::WorkerKey>::keystore_accounts() {
			let open: Vec<(RequestId, BlockNumberFor<T>)> =
				pallet_attribution::OpenChallenges::<T>::iter_prefix(&worker.id)
					.filter(|(request, deadline)| {
						// Sent after the run of block `now`, an answer lands in a later block:
						// at the deadline's own run it could only be refused (ChallengeExpired).
						let mark = answer_mark(request);
						now < *deadline && !marks.iter().any(|(marked, _)| *marked == mark)
					})
					.take(MAX_ANSWERS_PER_RUN)
					.collect();
			if open.is_empty() {
				continue;
			}
			let mut nonce = Self::next_nonce(nonces, &worker.id);
			for (request, _) in open {
				// One reveal that cannot be had does not hold back the others.
				let (prompt, answer) = match Self::reveal(&url, &request) {
					Ok(Some(kept)) => kept,
					Ok(None) => {
						log::warn!(target: "attribution", "challenged {request:?}: this node kept no answer to reveal");
						continue;
					}
					Err(why) => {
						log::warn!(target: "attribution", "challenged {request:?}: {why}");
						continue;
					}
				};
				let call =
					pallet_attribution::Call::<T>::answer_challenge { request, prompt, answer };
				let Some(xt) = <T as CreateSignedTransaction<pallet_attribution::Call<T>>>::create_signed_transaction::<T::WorkerKey>(
					call.into(),
					worker.public.clone(),
					worker.id.clone(),
					nonce,
				) else {
					return Err("the worker key could not sign".into());
				};
				if SubmitTransaction::<T, pallet_attribution::Call<T>>::submit_transaction(xt)
					.is_ok()
				{
					nonce.saturating_inc();
					nonces.insert(worker.id.clone(), nonce);
					Self::mark_sent(&mut marks, &[answer_mark(&request)], now);
					sent = sent.saturating_add(1);
				}
			}
		}
		Ok(sent)
	}

	/// The prompt and the answer the node kept for `request`, if any and within the chain's
	/// bounds.
	#[allow(clippy::type_complexity)]
	fn reveal(
		url: &str,
		request: &RequestId,
	) -> Result<
		Option<(
			BoundedVec<u8, <T as pallet_attribution::Config>::MaxRevealLen>,
			BoundedVec<u8, <T as pallet_attribution::Config>::MaxRevealLen>,
		)>,
		String,
	> {
		let body =
			fetch(&alloc::format!("{url}{REVEAL_PATH}?request={}", HexDisplay::from(&request.0)))?;
		let kept = Option::<(Vec<u8>, Vec<u8>)>::decode_all(&mut body.as_slice())
			.map_err(|_| "the node's reveal does not decode")?;
		// Longer than the chain takes: nothing to answer with (and nothing the node answered).
		Ok(kept.and_then(|(prompt, answer)| {
			Some((BoundedVec::try_from(prompt).ok()?, BoundedVec::try_from(answer).ok()?))
		}))
	}
}
