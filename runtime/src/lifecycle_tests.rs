//! The model lifecycle across the real pallets of this runtime, on the dev chain's genesis:
//! Datanet → staked, curated contributions → model proposal → gOPEN vote → data condition →
//! version → deployment, with every balance accounted for.

use crate::{
	configs::TreasuryAccount, genesis_config_presets::DEV_GOVERNANCE_PERIODS, AccountId, Balance,
	Balances, BlockNumber, Datanets, Governance, ModelRegistry, Runtime, RuntimeHoldReason,
	RuntimeOrigin, System, OPEN,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use pallet_model_registry::{EvalScore, ModelStatus};
use sp_core::H256;
use sp_keyring::Sr25519Keyring;
use sp_runtime::Perbill;

fn dev_chain() -> sp_io::TestExternalities {
	let mut ext = crate::genesis_config_presets::build_preset_state("dev");
	ext.execute_with(|| go_to(1));
	ext
}

fn go_to(block: BlockNumber) {
	System::set_block_number(block);
	// Written directly: no Aura slot is being authored here.
	pallet_timestamp::Now::<Runtime>::put(
		1_700_000_000_000 + u64::from(block) * crate::MILLI_SECS_PER_BLOCK,
	);
}

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn free(who: &AccountId) -> Balance {
	Balances::balance(who)
}

/// What the lifecycle leaves deployed.
struct Deployed {
	model: u32,
	creator: AccountId,
	voter: AccountId,
	contributors: Vec<AccountId>,
	/// The accepted contributions, by contributor 0, 1, 0.
	accepted: Vec<u64>,
}

#[test]
fn a_model_goes_from_idea_to_deployment() {
	dev_chain().execute_with(|| {
		let issuance = Balances::total_issuance();
		let treasury_before = free(&TreasuryAccount::get());
		idea_to_deployment();
		// Money: the proposal fee and the slashed stake went to the treasury, the creator's
		// deposit came back, and no OPEN was minted or burnt.
		assert_eq!(free(&TreasuryAccount::get()), treasury_before + 5 * OPEN + 2 * OPEN);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

fn idea_to_deployment() -> Deployed {
	{
		let owner = Sr25519Keyring::Alice.to_account_id();
		let contributors: Vec<AccountId> = [Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
			.iter()
			.map(|k| k.to_account_id())
			.collect();
		let creator = Sr25519Keyring::Dave.to_account_id();
		let voter = Sr25519Keyring::Eve.to_account_id();

		// A Datanet with a minimum stake, filled by two contributors and curated by its owner
		// (after the dev chain's demo Datanet).
		let datanet = pallet_datanets::NextDatanetId::<Runtime>::get();
		// Stakes already held (the dev chain's demo contributions).
		let held = |who: &AccountId| {
			Balances::balance_on_hold(
				&RuntimeHoldReason::Datanets(pallet_datanets::HoldReason::ContributionStake),
				who,
			)
		};
		let held_before = [held(&contributors[0]), held(&contributors[1])];
		assert_ok!(Datanets::create_datanet(
			signed(&owner),
			b"Movie reviews".to_vec(),
			b"sentiment".to_vec(),
			b"Rotten Tomatoes snippets".to_vec(),
			b"jsonl:text,label".to_vec(),
			OPEN,
			vec![],
		));
		let stake = 2 * OPEN;
		let mut ids = Vec::new();
		for n in 0..4u8 {
			let who = &contributors[usize::from(n % 2)];
			let id = pallet_datanets::NextContributionId::<Runtime>::get();
			assert_ok!(Datanets::contribute(
				signed(who),
				datanet,
				H256::repeat_byte(n + 1),
				120,
				b"label=fresh".to_vec(),
				stake,
			));
			ids.push(id);
		}
		for (i, id) in ids.iter().take(3).enumerate() {
			let quality = Perbill::from_percent(60 + 10 * i as u32);
			assert_ok!(Datanets::accept(signed(&owner), *id, quality));
		}
		assert_ok!(Datanets::slash(signed(&owner), ids[3]));
		assert_eq!(held(&contributors[0]) - held_before[0], 2 * stake);
		assert_eq!(held(&contributors[1]) - held_before[1], stake);
		// Equal stakes: C(D) is the mean quality, (0.6 + 0.7 + 0.8) / 3.
		assert_eq!(Datanets::credibility(datanet), Some(Perbill::from_percent(70)));

		// The model is proposed; governance opens a vote.
		let model = pallet_model_registry::NextModelId::<Runtime>::get();
		assert_ok!(ModelRegistry::propose(
			signed(&creator),
			b"review sentiment".to_vec(),
			b"openledger/base".to_vec(),
			vec![datanet],
			b"classify reviews".to_vec(),
			OPEN / 5,
			2 * OPEN / 5,
		));
		let proposal = pallet_model_registry::Models::<Runtime>::get(model).unwrap().proposal;

		// gOPEN holders vote; the proposal closes after the (dev) voting period.
		assert_ok!(Governance::stake(signed(&voter), 1_000 * OPEN));
		assert_ok!(Governance::vote(signed(&voter), proposal, true, 1_000 * OPEN));
		assert_noop!(
			Governance::close(signed(&voter), proposal),
			pallet_governance::Error::<Runtime>::VotingOngoing
		);
		go_to(1 + DEV_GOVERNANCE_PERIODS.0);
		assert_ok!(Governance::close(signed(&voter), proposal));
		let status = || pallet_model_registry::Models::<Runtime>::get(model).unwrap().status;
		assert_eq!(status(), ModelStatus::Approved);

		// Data collection: three accepted contributions and 70% credibility meet the dev
		// condition (3 contributions, 50%).
		assert_ok!(ModelRegistry::start_data_collection(signed(&creator), model));
		assert_ok!(ModelRegistry::start_training(signed(&voter), model));
		assert_eq!(status(), ModelStatus::Training);

		let mut trained: Vec<u64> = ids[..3].to_vec();
		trained.sort_unstable();
		assert_ok!(ModelRegistry::register_version(
			signed(&creator),
			model,
			H256::repeat_byte(0xad),
			H256::repeat_byte(0xba),
			H256::repeat_byte(0x70),
			pallet_model_registry::training_data_root(&trained),
			3,
			H256::repeat_byte(0xc0),
			vec![EvalScore {
				metric: b"perplexity".to_vec().try_into().unwrap(),
				value_micros: 8_250_000
			}],
			trained,
		));
		assert_ok!(ModelRegistry::deploy(signed(&creator), model, 0));
		assert_eq!(status(), ModelStatus::Deployed);
		assert_ok!(ModelRegistry::stake(signed(&voter), model, 10 * OPEN));
		Deployed { model, creator, voter, contributors, accepted: ids[..3].to_vec() }
	}
}

#[test]
fn a_user_signed_inference_is_paid_and_attributed_to_the_data_behind_it() {
	use crate::{Attribution, FeeSplit};
	use sp_core::Pair;

	dev_chain().execute_with(|| {
		let Deployed { model, creator, voter, contributors, accepted } = idea_to_deployment();
		let worker = Sr25519Keyring::Ferdie.to_account_id();
		let user = Sr25519Keyring::Two.pair();
		let user_account: AccountId = user.public().into();
		assert_ok!(Balances::transfer_keep_alive(
			signed(&Sr25519Keyring::Alice.to_account_id()),
			user_account.clone().into(),
			10 * OPEN
		));
		// The model's owner lets Ferdie's node serve it; nobody else may.
		assert_noop!(
			Attribution::register_worker(signed(&worker), 1_000 * OPEN, vec![model]),
			pallet_attribution::Error::<Runtime>::NotApprovedForModel
		);
		assert_ok!(Attribution::approve_worker(signed(&creator), model, worker.clone()));
		assert_ok!(Attribution::register_worker(signed(&worker), 1_000 * OPEN, vec![model]));

		// The user signs a request off-chain; the worker brings it on-chain, which holds the
		// user's max fee.
		let request = pallet_fee_split::InferenceRequest {
			model,
			prompt_hash: H256::repeat_byte(0x42),
			tokens_in: 800,
			workers: vec![worker.clone()].try_into().unwrap(),
			max_output_tokens: 1_500,
			max_fee: 2 * OPEN,
			nonce: 1,
			expires_at: System::block_number() + 100,
		};
		let signature = user.sign(FeeSplit::signing_digest(&request).as_bytes());
		assert_ok!(FeeSplit::submit_signed_request(
			signed(&worker),
			request.clone(),
			user_account.clone(),
			signature.into()
		));
		let id = FeeSplit::request_id(&user_account, &request);

		let issuance = Balances::total_issuance();
		let (owner0, voter0, c0, c1, t0) = (
			free(&creator),
			free(&voter),
			free(&contributors[0]),
			free(&contributors[1]),
			free(&TreasuryAccount::get()),
		);
		// The worked example: 800 in, 1200 out; influences 1:1:2 over the accepted data.
		assert_ok!(Attribution::settle(
			signed(&worker),
			id,
			0,
			1_200,
			H256::repeat_byte(0x0a),
			vec![(accepted[0], 10), (accepted[1], 10), (accepted[2], 20)],
		));
		let milli = OPEN / 1_000;
		assert_eq!(free(&user_account), 10 * OPEN - 1_140 * milli);
		assert_eq!(free(&creator), owner0 + 448 * milli);
		// The only staker has all of γ, in the reward pool until claimed.
		assert_eq!(free(&voter), voter0);
		assert_ok!(ModelRegistry::claim_rewards(signed(&voter), model));
		assert_eq!(free(&voter), voter0 + 64 * milli);
		// Contributor 0 has w = 0.25 + 0.5, contributor 1 w = 0.25 of δ = 0.128.
		assert_eq!(free(&contributors[0]), c0 + 96 * milli);
		assert_eq!(free(&contributors[1]), c1 + 32 * milli);
		assert_eq!(free(&TreasuryAccount::get()), t0 + 500 * milli);
		assert_eq!(Balances::total_issuance(), issuance);

		let record = pallet_attribution::Records::<Runtime>::get(id).unwrap();
		assert_eq!(record.user, user_account);
		assert_eq!(record.contributions.len(), 3);
		assert_eq!(
			pallet_attribution::ContributorEarnings::<Runtime>::get(&contributors[0]).outputs,
			1
		);
	});
}
