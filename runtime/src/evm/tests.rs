//! Ethereum compatibility on the dev chain's genesis: account mapping, and the OpenLedger
//! precompile answering for the demo model and a settled, attributed answer.

use super::precompile::{IOpenLedger, OPENLEDGER_PRECOMPILE_ADDRESS};
use crate::{
	genesis_config_presets::{build_preset_state, dev_accounts, eth_account, DEV_ETH_ADDRESSES},
	AccountId, Attribution, Balance, FeeSplit, Runtime, RuntimeOrigin, System, OPEN,
};
use frame_support::{assert_ok, weights::Weight};
use pallet_revive::{
	precompiles::alloy::{primitives::FixedBytes, sol_types::SolCall},
	AddressMapper, ExecConfig, TransactionLimits, H160, U256,
};
use sp_core::{Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::Perbill;

type Mapper = <Runtime as pallet_revive::Config>::AddressMapper;

fn dev_chain() -> sp_io::TestExternalities {
	let mut ext = build_preset_state("dev");
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Calls the precompile as a transaction's destination would, and returns what it returned.
fn call_precompile(input: Vec<u8>) -> Vec<u8> {
	let result = pallet_revive::Pallet::<Runtime>::bare_call(
		RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id()),
		H160(OPENLEDGER_PRECOMPILE_ADDRESS),
		U256::zero(),
		TransactionLimits::WeightAndDeposit {
			weight_limit: Weight::from_parts(1_000_000_000_000, 10 * 1024 * 1024),
			deposit_limit: Balance::MAX,
		},
		input,
		&ExecConfig::new_substrate_tx(),
	);
	let output = result.result.expect("the precompile answers");
	assert!(!output.did_revert(), "the precompile reverted: {:?}", output.data);
	output.data
}

fn bytes32(who: &AccountId) -> FixedBytes<32> {
	FixedBytes(*who.as_ref())
}

#[test]
fn every_genesis_account_has_its_ethereum_address() {
	dev_chain().execute_with(|| {
		for account in dev_accounts() {
			assert!(Mapper::is_mapped(&account), "{account:?} is mapped");
			let address = Mapper::to_address(&account);
			assert_eq!(Mapper::to_account_id(&address), account, "{address:?} resolves back");
		}
		// Ethereum keys' accounts carry their address in their first 20 bytes.
		for address in DEV_ETH_ADDRESSES {
			assert_eq!(Mapper::to_address(&eth_account(address)), H160(address));
		}
	});
}

#[test]
fn an_account_created_later_is_mapped_when_it_is_created() {
	dev_chain().execute_with(|| {
		let newcomer: AccountId = Sr25519Keyring::Two.pair().public().into();
		assert!(!Mapper::is_mapped(&newcomer));
		assert_ok!(pallet_balances::Pallet::<Runtime>::transfer_keep_alive(
			RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id()),
			newcomer.clone().into(),
			OPEN,
		));
		assert!(Mapper::is_mapped(&newcomer));
		assert_eq!(Mapper::to_account_id(&Mapper::to_address(&newcomer)), newcomer);
	});
}

#[test]
fn the_precompile_reads_the_demo_model_its_version_price_and_datanet() {
	dev_chain().execute_with(|| {
		let dave = Sr25519Keyring::Dave.to_account_id();
		let stored = pallet_model_registry::Models::<Runtime>::get(0).expect("demo model");

		let data = call_precompile(IOpenLedger::getModelCall { modelId: 0 }.abi_encode());
		let answer = IOpenLedger::getModelCall::abi_decode_returns(&data).expect("ABI");
		assert!(answer.found);
		let model = answer.model;
		assert_eq!(model.owner, bytes32(&dave));
		assert_eq!(model.ownerAddress.0 .0, Mapper::to_address(&dave).0);
		assert_eq!(model.status as u8, IOpenLedger::ModelStatus::Deployed as u8);
		assert_eq!(model.datanets, vec![0]);
		assert_eq!(
			model.rateIn,
			pallet_revive::precompiles::alloy::primitives::U256::from(OPEN / 5)
		);
		assert_eq!(
			model.rateOut,
			pallet_revive::precompiles::alloy::primitives::U256::from(2 * OPEN / 5)
		);
		assert!(model.deployed);
		assert_eq!(Some(model.deployedVersion), stored.deployed_version);
		assert_eq!(model.versions, stored.versions);

		let data = call_precompile(
			IOpenLedger::getVersionCall { modelId: 0, versionId: model.deployedVersion }
				.abi_encode(),
		);
		let answer = IOpenLedger::getVersionCall::abi_decode_returns(&data).expect("ABI");
		let version = pallet_model_registry::Versions::<Runtime>::get(0, model.deployedVersion)
			.expect("deployed version");
		assert!(answer.found);
		assert_eq!(answer.version.adapterHash.0, version.adapter_hash.0);
		assert_eq!(answer.version.trainingDataRoot.0, version.training_data_root.0);
		assert_eq!(answer.version.trainingDataCount, 6);

		// The OpenLedger whitepaper's worked example (§2.2.4): 800 tokens in, 1,200 out.
		let data = call_precompile(
			IOpenLedger::quoteCall { modelId: 0, tokensIn: 800, tokensOut: 1_200 }.abi_encode(),
		);
		let answer = IOpenLedger::quoteCall::abi_decode_returns(&data).expect("ABI");
		let quote = FeeSplit::quote(0, 800, 1_200).expect("served");
		assert!(answer.served);
		assert_eq!(answer.total.to::<u128>(), quote.total);
		assert_eq!(answer.usage.to::<u128>(), quote.usage);
		assert_eq!(answer.platform.to::<u128>(), OPEN / 2);

		let data =
			call_precompile(IOpenLedger::datanetCredibilityCall { datanetId: 0 }.abi_encode());
		let answer = IOpenLedger::datanetCredibilityCall::abi_decode_returns(&data).expect("ABI");
		assert!(answer.found);
		assert_eq!(answer.credibilityPpb, Perbill::from_percent(80).deconstruct());
	});
}

#[test]
fn unknown_ids_are_not_found_rather_than_errors() {
	dev_chain().execute_with(|| {
		let data = call_precompile(IOpenLedger::getModelCall { modelId: 99 }.abi_encode());
		assert!(!IOpenLedger::getModelCall::abi_decode_returns(&data).expect("ABI").found);
		let data =
			call_precompile(IOpenLedger::getVersionCall { modelId: 0, versionId: 99 }.abi_encode());
		assert!(!IOpenLedger::getVersionCall::abi_decode_returns(&data).expect("ABI").found);
		let data = call_precompile(
			IOpenLedger::quoteCall { modelId: 99, tokensIn: 1, tokensOut: 1 }.abi_encode(),
		);
		assert!(!IOpenLedger::quoteCall::abi_decode_returns(&data).expect("ABI").served);
		let data = call_precompile(
			IOpenLedger::getAttributionCall { requestId: FixedBytes([7; 32]) }.abi_encode(),
		);
		assert!(!IOpenLedger::getAttributionCall::abi_decode_returns(&data).expect("ABI").found);
		let data =
			call_precompile(IOpenLedger::datanetCredibilityCall { datanetId: 9 }.abi_encode());
		assert!(
			!IOpenLedger::datanetCredibilityCall::abi_decode_returns(&data).expect("ABI").found
		);
	});
}

#[test]
fn a_malformed_call_is_refused() {
	dev_chain().execute_with(|| {
		let result = pallet_revive::Pallet::<Runtime>::bare_call(
			RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id()),
			H160(OPENLEDGER_PRECOMPILE_ADDRESS),
			U256::zero(),
			TransactionLimits::WeightAndDeposit {
				weight_limit: Weight::from_parts(1_000_000_000_000, 10 * 1024 * 1024),
				deposit_limit: Balance::MAX,
			},
			// An unknown selector.
			vec![0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1],
			&ExecConfig::new_substrate_tx(),
		);
		// Refused: trapped (an error) or reverted, never answered.
		if let Ok(output) = result.result {
			assert!(output.did_revert(), "an unknown selector reverts");
		}
	});
}

#[test]
fn the_precompile_reads_a_settled_answer_its_contributions_and_earnings() {
	dev_chain().execute_with(|| {
		// A user signs a request for the demo model off-chain; Alice, its worker, brings it
		// on-chain and settles it with influences over two demo contributions (Bob's 0, Charlie's
		// 1).
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let user = Sr25519Keyring::Ferdie.pair();
		let user_account: AccountId = user.public().into();
		let request = pallet_fee_split::InferenceRequest {
			model: 0,
			prompt_hash: H256::repeat_byte(0x42),
			tokens_in: 800,
			workers: vec![alice.clone()].try_into().unwrap(),
			max_output_tokens: 1_500,
			max_fee: 2 * OPEN,
			nonce: 7,
			expires_at: System::block_number() + 100,
		};
		let signature = user.sign(FeeSplit::signing_digest(&request).as_bytes());
		assert_ok!(FeeSplit::submit_signed_request(
			RuntimeOrigin::signed(alice.clone()),
			request.clone(),
			user_account.clone(),
			signature.into()
		));
		let id = FeeSplit::request_id(&user_account, &request);
		assert_ok!(Attribution::settle(
			RuntimeOrigin::signed(alice.clone()),
			id,
			0,
			1_200,
			H256::repeat_byte(0x0a),
			vec![(0, 30), (1, 10)],
		));
		let record = pallet_attribution::Records::<Runtime>::get(id).expect("settled");

		let data = call_precompile(
			IOpenLedger::getAttributionCall { requestId: FixedBytes(id.0) }.abi_encode(),
		);
		let answer = IOpenLedger::getAttributionCall::abi_decode_returns(&data).expect("ABI");
		assert!(answer.found);
		let got = answer.record;
		assert_eq!((got.model, got.version), (0, record.version));
		assert_eq!(got.user, bytes32(&user_account));
		assert_eq!(got.worker, bytes32(&alice));
		assert_eq!((got.tokensIn, got.tokensOut), (800, 1_200));
		assert_eq!(got.outputHash.0, [0x0a; 32]);
		assert_eq!(got.fees.fee.to::<u128>(), record.breakdown.fee);
		assert_eq!(got.fees.platform.to::<u128>(), record.breakdown.platform);
		assert_eq!(got.fees.modelOwner.to::<u128>(), record.breakdown.model_owner);
		assert_eq!(got.fees.worker.to::<u128>(), record.breakdown.worker);
		assert_eq!(got.fees.contributors.to::<u128>(), record.breakdown.contributors);
		assert_eq!(got.settledAt, 1);
		assert_eq!(got.contributions.len(), 2);
		for (got, stored) in got.contributions.iter().zip(record.contributions.iter()) {
			assert_eq!(got.id, stored.contribution);
			let contributor = stored.contributor.clone().expect("accepted");
			assert_eq!(got.contributor, bytes32(&contributor));
			assert_eq!(got.contributorAddress.0 .0, Mapper::to_address(&contributor).0);
			assert_eq!(got.influence, stored.influence);
			assert_eq!(got.weightPpb, stored.weight.deconstruct());
			assert_eq!(got.paid.to::<u128>(), stored.paid);
		}
		assert_eq!(got.contributions[0].contributor, bytes32(&bob));
		assert_eq!(got.contributions[0].weightPpb, Perbill::from_percent(75).deconstruct());

		// The model's records, enumerable from a contract.
		let data =
			call_precompile(IOpenLedger::modelAttributionCountCall { modelId: 0 }.abi_encode());
		let count = IOpenLedger::modelAttributionCountCall::abi_decode_returns(&data).expect("ABI");
		assert_eq!(count, 1);
		let data = call_precompile(
			IOpenLedger::modelAttributionCall { modelId: 0, index: 0 }.abi_encode(),
		);
		let answer = IOpenLedger::modelAttributionCall::abi_decode_returns(&data).expect("ABI");
		assert!(answer.found);
		assert_eq!(answer.requestId.0, id.0);

		// Earnings by contributor and by contribution.
		let earned = pallet_attribution::ContributorEarnings::<Runtime>::get(&charlie);
		let data = call_precompile(
			IOpenLedger::contributorEarningsCall { account: bytes32(&charlie) }.abi_encode(),
		);
		let answer = IOpenLedger::contributorEarningsCall::abi_decode_returns(&data).expect("ABI");
		assert_eq!(answer.total.to::<u128>(), earned.total);
		assert_eq!(answer.outputs, 1);
		assert!(earned.total > 0);
		let data = call_precompile(
			IOpenLedger::contributionEarningsCall { contributionId: 0 }.abi_encode(),
		);
		let answer = IOpenLedger::contributionEarningsCall::abi_decode_returns(&data).expect("ABI");
		assert_eq!(answer.total.to::<u128>(), record.contributions[0].paid);
	});
}
