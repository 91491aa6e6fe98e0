//! Storage migrations.

use crate::{
	BalanceOf, Config, Pallet, Proposal, ProposalStatus, ProposalSubject, Proposals, TotalStake,
};
use codec::Decode;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;

/// Version 1 to 2: each proposal gains its `electorate`.
///
/// Version 1 had no record of the gOPEN when a proposal opened; the migrated proposals get
/// today's total, the best estimate there is.
pub type MigrateToV2<T> = VersionedMigration<
	1,
	2,
	UncheckedMigrateToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// [`MigrateToV2`] without the storage version check; use [`MigrateToV2`].
pub struct UncheckedMigrateToV2<T>(core::marker::PhantomData<T>);

/// A proposal as version 1 stored it: no electorate, and no call subjects yet (the subject's
/// first variants encode as before).
#[derive(Decode)]
struct ProposalV1<T: Config> {
	proposer: T::AccountId,
	subject: ProposalSubject<BalanceOf<T>, T::MaxCallLen>,
	deposit: BalanceOf<T>,
	ends_at: BlockNumberFor<T>,
	ayes: BalanceOf<T>,
	nays: BalanceOf<T>,
	status: ProposalStatus,
}

impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let electorate: BalanceOf<T> = TotalStake::<T>::get();
		let mut translated = 0u64;
		Proposals::<T>::translate_values::<ProposalV1<T>, _>(|old| {
			translated = translated.saturating_add(1);
			Some(Proposal {
				proposer: old.proposer,
				subject: old.subject,
				deposit: old.deposit,
				ends_at: old.ends_at,
				ayes: old.ayes,
				nays: old.nays,
				status: old.status,
				electorate,
			})
		});
		T::DbWeight::get().reads_writes(translated.saturating_add(1), translated)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		Ok(u64::try_from(Proposals::<T>::iter_keys().count()).unwrap_or(u64::MAX).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let before = u64::decode(&mut &state[..]).map_err(|_| "bad pre_upgrade state")?;
		let after = u64::try_from(Proposals::<T>::iter_values().count()).unwrap_or(u64::MAX);
		frame_support::ensure!(before == after, "a proposal did not migrate");
		Ok(())
	}
}
