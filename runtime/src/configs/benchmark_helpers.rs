//! What the OpenLedger pallets' benchmarks need from each other, built through the real pallets:
//! Datanets that meet the data thresholds, deployed models with stakers, accepted contributions
//! and inference requests in escrow.

use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::account;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;
use openledger_primitives::{
	ContributionId, DataThresholds, DatanetId, ModelId, OnModelDecision, RequestId,
};
use sp_core::{crypto::KeyTypeId, H256};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	MultiSignature, Perbill,
};

use crate::{
	AccountId, Balances, Datanets, FeeSplit, Governance, ModelRegistry, Runtime, System,
	MILLI_OPEN, OPEN,
};

fn funded(name: &'static str, index: u32) -> AccountId {
	let who: AccountId = account(name, index, 0);
	let _ = Balances::set_balance(&who, 1_000_000 * OPEN);
	who
}

fn signed(who: &AccountId) -> crate::RuntimeOrigin {
	RawOrigin::Signed(who.clone()).into()
}

/// Owns (and curates) the benchmarks' Datanets.
fn datanet_owner() -> AccountId {
	funded("datanet-owner", 0)
}

/// Creates Datanets that meet the data thresholds, for the registry's benchmarks.
pub struct DatanetsBenchmarkHelper;

/// `n` new contributions of `contributor` in `datanet`, accepted by the Datanets' owner.
fn accepted_in(
	datanet: DatanetId,
	n: u32,
	contributor: impl Fn(u32) -> AccountId,
) -> Vec<ContributionId> {
	let curator = datanet_owner();
	(0..n)
		.map(|i| {
			let id = pallet_datanets::NextContributionId::<Runtime>::get();
			let _ = Datanets::contribute(
				signed(&contributor(i)),
				datanet,
				BlakeTwo256::hash(&(b"bench-contribution", datanet, id).encode()),
				1,
				vec![],
				MILLI_OPEN,
			);
			let _ = Datanets::accept(signed(&curator), id, Perbill::one());
			id
		})
		.collect()
}

impl pallet_model_registry::BenchmarkHelper for DatanetsBenchmarkHelper {
	fn accepted_contributions(datanet: DatanetId, n: u32) -> Vec<ContributionId> {
		let owner = datanet_owner();
		accepted_in(datanet, n, |_| owner.clone())
	}

	fn datanet_meeting_thresholds(_index: u32) -> DatanetId {
		let owner = datanet_owner();
		let id = pallet_datanets::NextDatanetId::<Runtime>::get();
		let _ = Datanets::create_datanet(
			signed(&owner),
			b"bench".to_vec(),
			b"bench".to_vec(),
			b"bench".to_vec(),
			b"bench".to_vec(),
			0,
			vec![],
		);
		for n in 0..Governance::min_accepted_contributions() {
			let contribution = pallet_datanets::NextContributionId::<Runtime>::get();
			let _ = Datanets::contribute(
				signed(&owner),
				id,
				BlakeTwo256::hash(&(id, n).encode()),
				1,
				vec![],
				MILLI_OPEN,
			);
			let _ = Datanets::accept(signed(&owner), contribution, Perbill::one());
		}
		id
	}
}

/// Deployed models, contributions and requests for the fee and attribution benchmarks.
pub struct InferenceBenchmarkHelper;

impl InferenceBenchmarkHelper {
	/// A model through its whole lifecycle to Deployed, at the rates of the OpenLedger whitepaper's
	/// worked example (§2.2.4), owned by `owner`, with one staker, its version trained on `extra`
	/// new accepted contributions of distinct contributors (and the Datanet's first ones).
	fn deployed_model(owner: &AccountId, extra: u32) -> (ModelId, Vec<ContributionId>) {
		use pallet_model_registry::BenchmarkHelper;
		let datanet = DatanetsBenchmarkHelper::datanet_meeting_thresholds(0);
		let _ = Balances::set_balance(owner, 1_000_000 * OPEN);
		let id = pallet_model_registry::NextModelId::<Runtime>::get();
		let _ = ModelRegistry::propose(
			signed(owner),
			b"bench".to_vec(),
			b"bench".to_vec(),
			vec![datanet],
			b"bench".to_vec(),
			OPEN / 5,
			2 * OPEN / 5,
		);
		ModelRegistry::on_model_decision(id, true);
		let _ = ModelRegistry::start_data_collection(signed(owner), id);
		let _ = ModelRegistry::start_training(signed(owner), id);
		let contributions = accepted_in(datanet, extra, |i| funded("contributor", i));
		let mut trained = contributions.clone();
		trained.extend(DatanetsBenchmarkHelper::accepted_contributions(datanet, 1));
		trained.sort_unstable();
		let _ = ModelRegistry::register_version(
			signed(owner),
			id,
			H256::repeat_byte(1),
			H256::repeat_byte(2),
			H256::repeat_byte(5),
			pallet_model_registry::training_data_root(&trained),
			trained.len() as u32,
			H256::repeat_byte(4),
			vec![],
			trained,
		);
		let _ = ModelRegistry::deploy(signed(owner), id, 0);
		let _ = ModelRegistry::stake(signed(&funded("model-staker", 0)), id, OPEN);
		(id, contributions)
	}
}

impl pallet_fee_split::BenchmarkHelper<AccountId, MultiSignature> for InferenceBenchmarkHelper {
	fn served_model() -> ModelId {
		Self::deployed_model(&funded("model-owner", 0), 0).0
	}

	fn sign(payload: &[u8]) -> (AccountId, MultiSignature) {
		const BENCH: KeyTypeId = KeyTypeId(*b"bnch");
		let public = sp_io::crypto::sr25519_generate(BENCH, None);
		let signature = sp_io::crypto::sr25519_sign(BENCH, &public, payload).unwrap_or_default();
		(AccountId::from(public), MultiSignature::Sr25519(signature))
	}
}

impl pallet_attribution::BenchmarkHelper<AccountId, MultiSignature> for InferenceBenchmarkHelper {
	fn served_model(owner: &AccountId) -> ModelId {
		Self::deployed_model(owner, 0).0
	}

	/// A new version of `model` trained on `n` new contributions, deployed; the contributions.
	fn contributions(model: ModelId, n: u32) -> Vec<ContributionId> {
		let Some(info) = pallet_model_registry::Models::<Runtime>::get(model) else {
			return vec![];
		};
		let Some(datanet) = info.datanets.first().copied() else { return vec![] };
		let contributions = accepted_in(datanet, n, |i| funded("contributor", i));
		let version = info.versions;
		let _ = ModelRegistry::register_version(
			signed(&info.owner),
			model,
			H256::repeat_byte(1),
			H256::repeat_byte(2),
			H256::repeat_byte(5),
			pallet_model_registry::training_data_root(&contributions),
			contributions.len() as u32,
			H256::repeat_byte(4),
			vec![],
			contributions.clone(),
		);
		let _ = ModelRegistry::deploy(signed(&info.owner), model, version);
		contributions
	}

	fn pending_request(model: ModelId, user: &AccountId, worker: &AccountId) -> RequestId {
		let _ = Balances::set_balance(user, 1_000_000 * OPEN);
		let request = pallet_fee_split::InferenceRequest {
			model,
			prompt_hash: H256::repeat_byte(7),
			tokens_in: 1_000,
			workers: vec![worker.clone()].try_into().unwrap_or_default(),
			max_output_tokens: 100_000,
			max_fee: 1_000 * OPEN,
			nonce: 0,
			expires_at: System::block_number().saturating_add(10),
		};
		let _ = FeeSplit::request_inference(signed(user), request.clone());
		FeeSplit::request_id(user, &request)
	}

	fn sign(payload: &[u8]) -> (AccountId, MultiSignature) {
		<Self as pallet_fee_split::BenchmarkHelper<AccountId, MultiSignature>>::sign(payload)
	}
}
