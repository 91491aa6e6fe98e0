//! The records a Datanet keeps.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{fungible, Get},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;

pub use openledger_primitives::{ContributionId, DatanetId};

/// The OPEN balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// Funds taken out of an account (a slash), handed to [`Config::OnSlash`].
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

pub type DatanetOf<T> = Datanet<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxNameLen,
	<T as Config>::MaxTagLen,
	<T as Config>::MaxDescriptionLen,
	<T as Config>::MaxCurators,
>;
pub type ContributionOf<T> = Contribution<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
	<T as Config>::MaxMetadataLen,
>;

/// Who may contribute and who decides.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxCurators))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen))]
pub struct ContributionRules<AccountId, Balance, MaxCurators: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Least stake a contribution must carry.
	pub min_stake: Balance,
	/// Accounts that may curate besides the owner.
	pub curators: BoundedVec<AccountId, MaxCurators>,
}

/// Running totals over a Datanet's contributions, kept exact so that credibility needs no scan.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct DatanetStats {
	/// Contributions ever submitted.
	pub contributions: u32,
	/// Contributions awaiting curation.
	pub pending: u32,
	/// Accepted contributions that count.
	pub accepted: u32,
	/// Σ stake_i over accepted contributions, in the token's smallest unit.
	pub accepted_stake: u128,
	/// Σ stake_i · f_i over accepted contributions, with f_i in parts per billion.
	pub weighted_quality: u128,
	/// Σ f_i over accepted contributions, in parts per billion (equal weights when no stake).
	pub quality_sum: u128,
}

/// The OpenLedger whitepaper's eq. 4 (§2.3.1) on the running totals. Kept free of the pallet's
/// generics so that the arithmetic can be tested on its own.
impl DatanetStats {
	/// Count an accepted contribution; `None` on overflow (nothing changed then).
	pub fn try_add_accepted(&mut self, stake: u128, quality: Perbill) -> Option<()> {
		let q = u128::from(quality.deconstruct());
		let accepted = self.accepted.checked_add(1)?;
		let accepted_stake = self.accepted_stake.checked_add(stake)?;
		let weighted_quality = self.weighted_quality.checked_add(stake.checked_mul(q)?)?;
		let quality_sum = self.quality_sum.checked_add(q)?;
		*self = Self { accepted, accepted_stake, weighted_quality, quality_sum, ..*self };
		Some(())
	}

	/// Stop counting a contribution that was added with this stake and quality.
	pub fn remove_accepted(&mut self, stake: u128, quality: Perbill) {
		let q = u128::from(quality.deconstruct());
		self.accepted = self.accepted.saturating_sub(1);
		self.accepted_stake = self.accepted_stake.saturating_sub(stake);
		self.weighted_quality = self.weighted_quality.saturating_sub(stake.saturating_mul(q));
		self.quality_sum = self.quality_sum.saturating_sub(q);
	}

	/// `C(D) = Σ w_i f_i` with `w_i = stake_i / Σ stake`, rounded down to a billionth; equal
	/// weights when no accepted contribution has stake; zero for a Datanet with none accepted.
	pub fn credibility(&self) -> Perbill {
		let parts = self
			.weighted_quality
			.checked_div(self.accepted_stake)
			.or_else(|| self.quality_sum.checked_div(u128::from(self.accepted)))
			.unwrap_or(0);
		Perbill::from_parts(u32::try_from(parts).unwrap_or(u32::MAX))
	}
}

/// A Datanet: a domain's dataset, its rules and its statistics.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxName, MaxTag, MaxDescription, MaxCurators))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Datanet<
	AccountId,
	Balance,
	BlockNumber,
	MaxName: Get<u32>,
	MaxTag: Get<u32>,
	MaxDescription: Get<u32>,
	MaxCurators: Get<u32>,
> where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	pub owner: AccountId,
	pub name: BoundedVec<u8, MaxName>,
	/// The domain the data covers, e.g. `finance` or `medicine`.
	pub domain: BoundedVec<u8, MaxTag>,
	pub description: BoundedVec<u8, MaxDescription>,
	/// The data's format, e.g. `jsonl:text,label`; models and training jobs read it.
	pub schema: BoundedVec<u8, MaxTag>,
	pub rules: ContributionRules<AccountId, Balance, MaxCurators>,
	/// Held from the owner while the Datanet exists.
	pub deposit: Balance,
	pub created_at: BlockNumber,
	pub stats: DatanetStats,
}

impl<AccountId, Balance, BlockNumber, MaxName, MaxTag, MaxDescription, MaxCurators>
	Datanet<AccountId, Balance, BlockNumber, MaxName, MaxTag, MaxDescription, MaxCurators>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxName: Get<u32>,
	MaxTag: Get<u32>,
	MaxDescription: Get<u32>,
	MaxCurators: Get<u32>,
{
	/// The owner always curates; so do the curators the rules name.
	pub fn is_curator(&self, who: &AccountId) -> bool {
		self.owner == *who || self.rules.curators.contains(who)
	}
}

/// Where a contribution stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ContributionStatus {
	/// Submitted, awaiting curation; stake held.
	Pending,
	/// Accepted by a curator; counts in the Datanet and may be used for training.
	Accepted,
	/// Rejected by a curator; stake released.
	Rejected,
	/// Found fraudulent; stake slashed.
	Slashed,
	/// Withdrawn by its contributor; stake released.
	Withdrawn,
}

/// One data point and its provenance, kept forever.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxMetadata))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Contribution<AccountId, Balance, BlockNumber, MaxMetadata: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	pub datanet: DatanetId,
	pub contributor: AccountId,
	/// blake2-256 of the content, which the node's content store serves.
	pub content_hash: H256,
	/// Size of the content in bytes.
	pub size: u32,
	/// Free-form metadata (e.g. a license tag, a language, a label).
	pub metadata: BoundedVec<u8, MaxMetadata>,
	pub stake: Balance,
	pub status: ContributionStatus,
	/// The curated quality score f(x, y); zero until accepted.
	pub quality: Perbill,
	pub submitted_at: BlockNumber,
	/// Wall-clock time of submission, milliseconds since the Unix epoch.
	pub timestamp_ms: u64,
	/// The curator of the last decision.
	pub curator: Option<AccountId>,
}
