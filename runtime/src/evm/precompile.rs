//! The OpenLedger precompile: EVM contracts read the model registry, Proof-of-Attribution records,
//! earnings and Datanet credibility through the Solidity interface `solidity/IOpenLedger.sol`,
//! at [`OPENLEDGER_PRECOMPILE_ADDRESS`].
//!
//! Every function is a view. Its gas is the weight of the storage it reads: one database read
//! per item, and the item's largest encoding as proof size, charged before the read.

use alloc::vec::Vec;
use codec::MaxEncodedLen;
use core::num::NonZero;
use frame_support::weights::Weight;
use pallet_revive::{
	precompiles::{
		alloy::{
			primitives::{Address, FixedBytes, U256},
			sol_types::SolCall,
		},
		AddressMatcher, Error, Ext, Precompile, Token,
	},
	AddressMapper,
};
use sp_core::H256;

use crate::{AccountId, Balance, Runtime};

alloy_core::sol!("solidity/IOpenLedger.sol");

use IOpenLedger::IOpenLedgerCalls as Call;

/// The precompile's index among fixed precompiles: 0x1612, as the chain id.
const PRECOMPILE_INDEX: u16 = 0x1612;

/// Where the precompile answers: `0x0000000000000000000000000000000016120000` (a fixed
/// precompile's index sits in bytes 16 and 17 of its address).
pub const OPENLEDGER_PRECOMPILE_ADDRESS: [u8; 20] = {
	let mut address = [0u8; 20];
	let index = PRECOMPILE_INDEX.to_be_bytes();
	address[16] = index[0];
	address[17] = index[1];
	address
};

/// Storage read by a call: what it costs before it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StorageRead {
	items: u64,
	/// The largest encoding of what is read, with the keys.
	proof_size: u64,
}

/// What a storage key adds to the proof: the prefix hashes and the hashed key.
const KEY_PROOF_SIZE: u64 = 32 + 48;

impl StorageRead {
	fn of<V: MaxEncodedLen>() -> Self {
		Self { items: 1, proof_size: (V::max_encoded_len() as u64).saturating_add(KEY_PROOF_SIZE) }
	}

	fn and(self, other: Self) -> Self {
		Self {
			items: self.items.saturating_add(other.items),
			proof_size: self.proof_size.saturating_add(other.proof_size),
		}
	}
}

impl Token<Runtime> for StorageRead {
	fn weight(&self) -> Weight {
		<Runtime as frame_system::Config>::DbWeight::get()
			.reads(self.items)
			.saturating_add(Weight::from_parts(0, self.proof_size))
	}
}

/// The precompile; see the module documentation.
pub struct OpenLedgerPrecompile;

impl Precompile for OpenLedgerPrecompile {
	type T = Runtime;
	type Interface = Call;
	const MATCHER: AddressMatcher = AddressMatcher::Fixed(match NonZero::new(PRECOMPILE_INDEX) {
		Some(index) => index,
		None => panic!("the precompile index is not zero"),
	});
	const HAS_CONTRACT_INFO: bool = false;

	fn call(
		_address: &[u8; 20],
		input: &Self::Interface,
		env: &mut impl Ext<T = Self::T>,
	) -> Result<Vec<u8>, Error> {
		let mut charge = |read: StorageRead| -> Result<(), Error> {
			env.frame_meter_mut().charge_weight_token(read)?;
			Ok(())
		};
		let output = match input {
			Call::getModel(IOpenLedger::getModelCall { modelId }) => {
				charge(StorageRead::of::<pallet_model_registry::ModelOf<Runtime>>())?;
				let model = pallet_model_registry::Models::<Runtime>::get(modelId);
				IOpenLedger::getModelCall::abi_encode_returns(&IOpenLedger::getModelReturn {
					found: model.is_some(),
					model: model.map(model_of).unwrap_or_else(empty_model),
				})
			}
			Call::getVersion(IOpenLedger::getVersionCall { modelId, versionId }) => {
				charge(StorageRead::of::<pallet_model_registry::VersionOf<Runtime>>())?;
				let version = pallet_model_registry::Versions::<Runtime>::get(modelId, versionId);
				IOpenLedger::getVersionCall::abi_encode_returns(&IOpenLedger::getVersionReturn {
					found: version.is_some(),
					version: version.map(version_of).unwrap_or_else(empty_version),
				})
			}
			Call::quote(IOpenLedger::quoteCall { modelId, tokensIn, tokensOut }) => {
				charge(
					StorageRead::of::<pallet_model_registry::ModelOf<Runtime>>()
						.and(StorageRead::of::<pallet_governance::ParameterSet<Balance>>()),
				)?;
				let quote = crate::FeeSplit::quote(*modelId, *tokensIn, *tokensOut);
				IOpenLedger::quoteCall::abi_encode_returns(&IOpenLedger::quoteReturn {
					served: quote.is_some(),
					usage: amount(quote.as_ref().map_or(0, |q| q.usage)),
					platform: amount(quote.as_ref().map_or(0, |q| q.platform)),
					total: amount(quote.as_ref().map_or(0, |q| q.total)),
				})
			}
			Call::getAttribution(IOpenLedger::getAttributionCall { requestId }) => {
				charge(StorageRead::of::<pallet_attribution::RecordOf<Runtime>>())?;
				let record = pallet_attribution::Records::<Runtime>::get(H256::from(requestId.0));
				IOpenLedger::getAttributionCall::abi_encode_returns(
					&IOpenLedger::getAttributionReturn {
						found: record.is_some(),
						record: record.map(attribution_of).unwrap_or_else(empty_attribution),
					},
				)
			}
			Call::modelAttributionCount(IOpenLedger::modelAttributionCountCall { modelId }) => {
				charge(StorageRead::of::<u64>())?;
				let count = pallet_attribution::ModelRecordCount::<Runtime>::get(modelId);
				IOpenLedger::modelAttributionCountCall::abi_encode_returns(&count)
			}
			Call::modelAttribution(IOpenLedger::modelAttributionCall { modelId, index }) => {
				charge(StorageRead::of::<H256>())?;
				let request = pallet_attribution::ModelRecords::<Runtime>::get(modelId, index);
				IOpenLedger::modelAttributionCall::abi_encode_returns(
					&IOpenLedger::modelAttributionReturn {
						found: request.is_some(),
						requestId: FixedBytes(request.unwrap_or_default().0),
					},
				)
			}
			Call::contributorEarnings(IOpenLedger::contributorEarningsCall { account }) => {
				charge(StorageRead::of::<pallet_attribution::Earnings<Balance>>())?;
				let earnings = pallet_attribution::ContributorEarnings::<Runtime>::get(
					AccountId::new(account.0),
				);
				IOpenLedger::contributorEarningsCall::abi_encode_returns(
					&IOpenLedger::contributorEarningsReturn {
						total: amount(earnings.total),
						outputs: earnings.outputs,
					},
				)
			}
			Call::contributionEarnings(IOpenLedger::contributionEarningsCall {
				contributionId,
			}) => {
				charge(StorageRead::of::<pallet_attribution::Earnings<Balance>>())?;
				let earnings =
					pallet_attribution::ContributionEarnings::<Runtime>::get(contributionId);
				IOpenLedger::contributionEarningsCall::abi_encode_returns(
					&IOpenLedger::contributionEarningsReturn {
						total: amount(earnings.total),
						outputs: earnings.outputs,
					},
				)
			}
			Call::datanetCredibility(IOpenLedger::datanetCredibilityCall { datanetId }) => {
				charge(StorageRead::of::<pallet_datanets::DatanetOf<Runtime>>())?;
				let credibility = crate::Datanets::credibility(*datanetId);
				IOpenLedger::datanetCredibilityCall::abi_encode_returns(
					&IOpenLedger::datanetCredibilityReturn {
						found: credibility.is_some(),
						credibilityPpb: credibility.map_or(0, |c| c.deconstruct()),
					},
				)
			}
		};
		Ok(output)
	}
}

fn amount(value: Balance) -> U256 {
	U256::from(value)
}

fn account(who: &AccountId) -> FixedBytes<32> {
	FixedBytes(*who.as_ref())
}

/// The EVM address an account is known by (its mapped address).
fn address(who: &AccountId) -> Address {
	let h160 = <Runtime as pallet_revive::Config>::AddressMapper::to_address(who);
	Address::from(h160.0)
}

fn status_of(status: pallet_model_registry::ModelStatus) -> IOpenLedger::ModelStatus {
	use pallet_model_registry::ModelStatus as S;
	use IOpenLedger::ModelStatus as E;
	match status {
		S::Proposed => E::Proposed,
		S::Approved => E::Approved,
		S::Rejected => E::Rejected,
		S::CollectingData => E::CollectingData,
		S::Training => E::Training,
		S::Deployed => E::Deployed,
		S::Retired => E::Retired,
	}
}

fn model_of(model: pallet_model_registry::ModelOf<Runtime>) -> IOpenLedger::Model {
	IOpenLedger::Model {
		owner: account(&model.owner),
		ownerAddress: address(&model.owner),
		status: status_of(model.status),
		datanets: model.datanets.into_inner(),
		rateIn: amount(model.rate_in),
		rateOut: amount(model.rate_out),
		versions: model.versions,
		deployed: model.deployed_version.is_some()
			&& model.status == pallet_model_registry::ModelStatus::Deployed,
		deployedVersion: model.deployed_version.unwrap_or_default(),
		totalStake: amount(model.total_stake),
		stakers: model.stakers,
	}
}

fn empty_model() -> IOpenLedger::Model {
	IOpenLedger::Model {
		owner: FixedBytes::ZERO,
		ownerAddress: Address::ZERO,
		status: IOpenLedger::ModelStatus::Proposed,
		datanets: Vec::new(),
		rateIn: U256::ZERO,
		rateOut: U256::ZERO,
		versions: 0,
		deployed: false,
		deployedVersion: 0,
		totalStake: U256::ZERO,
		stakers: 0,
	}
}

fn version_of(version: pallet_model_registry::VersionOf<Runtime>) -> IOpenLedger::Version {
	IOpenLedger::Version {
		adapterHash: FixedBytes(version.adapter_hash.0),
		baseModelHash: FixedBytes(version.base_model_hash.0),
		tokenizerHash: FixedBytes(version.tokenizer_hash.0),
		trainingDataRoot: FixedBytes(version.training_data_root.0),
		trainingDataCount: version.training_data_count,
		configHash: FixedBytes(version.config_hash.0),
		registeredAt: version.registered_at,
	}
}

fn empty_version() -> IOpenLedger::Version {
	IOpenLedger::Version {
		adapterHash: FixedBytes::ZERO,
		baseModelHash: FixedBytes::ZERO,
		tokenizerHash: FixedBytes::ZERO,
		trainingDataRoot: FixedBytes::ZERO,
		trainingDataCount: 0,
		configHash: FixedBytes::ZERO,
		registeredAt: 0,
	}
}

fn attribution_of(record: pallet_attribution::RecordOf<Runtime>) -> IOpenLedger::Attribution {
	let fees = &record.breakdown;
	IOpenLedger::Attribution {
		model: record.model,
		version: record.version,
		user: account(&record.user),
		worker: account(&record.worker),
		tokensIn: record.tokens_in,
		tokensOut: record.tokens_out,
		outputHash: FixedBytes(record.output_hash.0),
		fees: IOpenLedger::Fees {
			fee: amount(fees.fee),
			refund: amount(fees.refund),
			platform: amount(fees.platform),
			modelOwner: amount(fees.model_owner),
			worker: amount(fees.worker),
			stakers: amount(fees.stakers),
			contributors: amount(fees.contributors),
			remainder: amount(fees.remainder),
		},
		settledAt: record.settled_at,
		contributions: record
			.contributions
			.iter()
			.map(|c| IOpenLedger::Contribution {
				id: c.contribution,
				// A contribution withdrawn since training: zero (its share went to the treasury).
				contributor: c.contributor.as_ref().map(account).unwrap_or(FixedBytes::ZERO),
				contributorAddress: c.contributor.as_ref().map(address).unwrap_or(Address::ZERO),
				influence: c.influence,
				weightPpb: c.weight.deconstruct(),
				paid: amount(c.paid),
			})
			.collect(),
	}
}

fn empty_attribution() -> IOpenLedger::Attribution {
	IOpenLedger::Attribution {
		model: 0,
		version: 0,
		user: FixedBytes::ZERO,
		worker: FixedBytes::ZERO,
		tokensIn: 0,
		tokensOut: 0,
		outputHash: FixedBytes::ZERO,
		fees: IOpenLedger::Fees {
			fee: U256::ZERO,
			refund: U256::ZERO,
			platform: U256::ZERO,
			modelOwner: U256::ZERO,
			worker: U256::ZERO,
			stakers: U256::ZERO,
			contributors: U256::ZERO,
			remainder: U256::ZERO,
		},
		settledAt: 0,
		contributions: Vec::new(),
	}
}
