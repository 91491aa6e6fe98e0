//! Settling an answer: the checks of the user's and the owner's consent and of the training
//! set, the payment through the escrow, and the record with its indexes.

use crate::{
	pallet::{
		ApprovedWorkers, Config, ContributionEarnings, ContributorEarnings, ContributorRecords,
		Error, Event, ModelRecordCount, ModelRecords, Pallet, Records, ServingPolicies, Workers,
	},
	runtime_api, AttributedContribution, AttributionRecord, BalanceOf, ContributionInspect,
	InferenceEscrow, ModelId, ModelInspect, RecordOf, RequestId, Settlement, WeightInfo,
};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*, BoundedVec};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

impl<T: Config> Pallet<T> {
	/// What [`Pallet::settle`] is charged for `settlement` before it runs.
	pub fn settlement_weight(settlement: &Settlement) -> Weight {
		T::WeightInfo::settle(settlement.influences.len().try_into().unwrap_or(u32::MAX))
	}

	/// What [`Pallet::settle_batch`] is charged before it runs: its settlements' weights.
	pub fn settle_batch_weight(settlements: &[Settlement]) -> Weight {
		settlements
			.iter()
			.fold(Weight::zero(), |sum, s| sum.saturating_add(Self::settlement_weight(s)))
	}

	/// Settles one answered request for worker `who`; returns its actual weight.
	pub(crate) fn do_settle(
		who: &T::AccountId,
		settlement: &Settlement,
	) -> Result<Weight, DispatchError> {
		let Settlement { request, version, tokens_out, output_hash, ref influences } = *settlement;
		let worker = Workers::<T>::get(who).ok_or(Error::<T>::NotWorker)?;
		ensure!(worker.unbonding_until.is_none(), Error::<T>::Unbonding);
		ensure!(worker.stake >= T::MinWorkerStake::get(), Error::<T>::StakeTooLow);
		ensure!(!Records::<T>::contains_key(request), Error::<T>::AlreadySettled);
		let pending = T::Escrow::pending(&request).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(pending.workers.contains(who), Error::<T>::NotChosenByUser);
		ensure!(worker.models.contains(&pending.model), Error::<T>::NotServingModel);
		let model = T::Models::served(pending.model).ok_or(Error::<T>::ModelNotServed)?;
		ensure!(model.version == version, Error::<T>::VersionNotServed);
		// Checked again at every settlement: a revoked approval takes effect at once.
		ensure!(
			Self::may_serve(pending.model, &model.owner, who, worker.stake),
			Error::<T>::NotApprovedForModel
		);
		ensure!(
			influences.len() <= T::MaxContributionsPerOutput::get() as usize,
			Error::<T>::TooManyContributions
		);

		let mut attributed = Vec::with_capacity(influences.len());
		for (i, (contribution, influence)) in influences.iter().enumerate() {
			ensure!(
				!influences.iter().take(i).any(|(other, _)| other == contribution),
				Error::<T>::DuplicateContribution
			);
			ensure!(
				T::Models::trained_on(pending.model, model.version, *contribution),
				Error::<T>::ContributionNotInVersion
			);
			// Withdrawn or slashed since training: still attributed, paid to the treasury.
			let contributor = T::Contributions::accepted(*contribution).map(|(_, account)| account);
			if let Ok(influence) = u128::try_from(*influence) {
				if influence > 0 {
					attributed.push(AttributedContribution {
						contribution: *contribution,
						contributor,
						influence,
						weight: Perbill::zero(),
						paid: Zero::zero(),
					});
				}
			}
		}
		let payees: Vec<(Option<T::AccountId>, u128)> =
			attributed.iter().map(|c| (c.contributor.clone(), c.influence)).collect();
		let policy = ServingPolicies::<T>::get(pending.model);
		let settlement =
			T::Escrow::settle(&request, who, policy.worker_share, tokens_out, &payees)?;

		let total_influence =
			attributed.iter().fold(0u128, |sum, c| sum.saturating_add(c.influence));
		for (entry, paid) in attributed.iter_mut().zip(settlement.per_contributor) {
			entry.weight = Perbill::from_rational(entry.influence, total_influence);
			entry.paid = paid;
		}
		let contributions: BoundedVec<_, T::MaxContributionsPerOutput> =
			attributed.try_into().map_err(|_| Error::<T>::TooManyContributions)?;
		Self::index_record(request, pending.model, &contributions);

		let count = contributions.len() as u32;
		Self::deposit_event(Event::InferenceAttributed {
			request,
			model: pending.model,
			version: model.version,
			worker: who.clone(),
			output_hash,
			fee: settlement.breakdown.fee,
			contributions: count,
		});
		Records::<T>::insert(
			request,
			AttributionRecord {
				model: pending.model,
				version: model.version,
				request,
				adapter_hash: T::Models::adapter_hash(pending.model, model.version)
					.unwrap_or_default(),
				prompt_hash: pending.prompt_hash,
				user: pending.user,
				worker: who.clone(),
				tokens_in: pending.tokens_in,
				tokens_out,
				output_hash,
				breakdown: settlement.breakdown,
				contributions,
				settled_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Ok(T::WeightInfo::settle(influences.len() as u32))
	}

	/// Whether `worker`, with `stake`, may serve `model` (owned by `owner`): the owner
	/// itself, a worker it approved, or any worker with the stake the model is open to.
	pub fn may_serve(
		model: ModelId,
		owner: &T::AccountId,
		worker: &T::AccountId,
		stake: BalanceOf<T>,
	) -> bool {
		worker == owner
			|| ApprovedWorkers::<T>::contains_key(model, worker)
			|| ServingPolicies::<T>::get(model).open_to_stake.is_some_and(|least| stake >= least)
	}

	pub(crate) fn ensure_owner(model: ModelId, who: &T::AccountId) -> DispatchResult {
		let served = T::Models::served(model).ok_or(Error::<T>::ModelNotServed)?;
		ensure!(served.owner == *who, Error::<T>::NotModelOwner);
		Ok(())
	}

	pub(crate) fn served_models(
		who: &T::AccountId,
		stake: BalanceOf<T>,
		models: &[ModelId],
	) -> Result<BoundedVec<ModelId, T::MaxModelsPerWorker>, DispatchError> {
		let bounded: BoundedVec<ModelId, T::MaxModelsPerWorker> =
			models.to_vec().try_into().map_err(|_| Error::<T>::TooManyModels)?;
		for (i, model) in bounded.iter().enumerate() {
			ensure!(
				!bounded.iter().take(i).any(|other| other == model),
				Error::<T>::DuplicateModel
			);
			let served = T::Models::served(*model).ok_or(Error::<T>::ModelNotServed)?;
			ensure!(
				Self::may_serve(*model, &served.owner, who, stake),
				Error::<T>::NotApprovedForModel
			);
		}
		Ok(bounded)
	}

	/// Index a new record by model and by contributor, and credit earnings.
	pub(crate) fn index_record(
		request: RequestId,
		model: ModelId,
		contributions: &[AttributedContribution<T::AccountId, BalanceOf<T>>],
	) {
		let n = ModelRecordCount::<T>::get(model);
		ModelRecords::<T>::insert(model, n, request);
		ModelRecordCount::<T>::insert(model, n.saturating_add(1));

		for (i, entry) in contributions.iter().enumerate() {
			ContributionEarnings::<T>::mutate(entry.contribution, |e| {
				e.total = e.total.saturating_add(entry.paid);
				e.outputs = e.outputs.saturating_add(1);
			});
			let Some(contributor) = &entry.contributor else { continue };
			// An account with several contributions behind one answer counts it once.
			let first_of_account =
				!contributions.iter().take(i).any(|c| c.contributor.as_ref() == Some(contributor));
			ContributorEarnings::<T>::mutate(contributor, |e| {
				e.total = e.total.saturating_add(entry.paid);
				if first_of_account {
					ContributorRecords::<T>::insert(contributor, e.outputs, request);
					e.outputs = e.outputs.saturating_add(1);
				}
			});
		}
	}

	/// A page of a model's records.
	pub fn model_records(model: ModelId, from: u64, limit: u32) -> Vec<(RequestId, RecordOf<T>)> {
		let end = from.saturating_add(u64::from(limit.min(runtime_api::MAX_PAGE)));
		(from..end.min(ModelRecordCount::<T>::get(model)))
			.filter_map(|n| ModelRecords::<T>::get(model, n))
			.filter_map(|id| Records::<T>::get(id).map(|r| (id, r)))
			.collect()
	}

	/// A page of the records an account's data contributed to.
	pub fn contributor_records(
		who: &T::AccountId,
		from: u64,
		limit: u32,
	) -> Vec<(RequestId, RecordOf<T>)> {
		let end = from.saturating_add(u64::from(limit.min(runtime_api::MAX_PAGE)));
		(from..end.min(ContributorEarnings::<T>::get(who).outputs))
			.filter_map(|n| ContributorRecords::<T>::get(who, n))
			.filter_map(|id| Records::<T>::get(id).map(|r| (id, r)))
			.collect()
	}
}
