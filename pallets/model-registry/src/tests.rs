use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		tokens::Preservation,
	},
};
use sp_core::H256;
use sp_runtime::{traits::BlakeTwo256, DispatchError, DispatchResult, Perbill};

const RATE_IN: Balance = 200;
const RATE_OUT: Balance = 400;
/// Accepted in Datanet 0 by [`training_model`].
const TRAINED_ON: [ContributionId; 3] = [10, 11, 12];

/// Run a scenario and check the pallet's invariants after it.
fn test(scenario: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		scenario();
		assert_ok!(Registry::do_try_state());
	});
}

fn propose(owner: AccountId, datanets: Vec<DatanetId>) -> ModelId {
	let id = NextModelId::<Test>::get();
	assert_ok!(Registry::propose(
		RuntimeOrigin::signed(owner),
		b"legal QA".to_vec(),
		b"openledger/base-tiny".to_vec(),
		datanets,
		b"answer questions on contracts".to_vec(),
		RATE_IN,
		RATE_OUT,
	));
	id
}

fn held(who: AccountId, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Registry(reason), &who)
}

fn status(model: ModelId) -> ModelStatus {
	Models::<Test>::get(model).unwrap().status
}

fn score(metric: &str, value_micros: u64) -> EvalScore {
	EvalScore { metric: metric.as_bytes().to_vec().try_into().unwrap(), value_micros }
}

/// Register a version with all its arguments spelled out.
#[allow(clippy::too_many_arguments)]
fn register_raw(
	owner: AccountId,
	model: ModelId,
	root: H256,
	count: u32,
	scores: Vec<EvalScore>,
	set: Vec<ContributionId>,
) -> DispatchResult {
	Registry::register_version(
		RuntimeOrigin::signed(owner),
		model,
		H256::repeat_byte(1),
		H256::repeat_byte(2),
		H256::repeat_byte(5),
		root,
		count,
		H256::repeat_byte(4),
		scores,
		set,
	)
}

/// Register a version trained on `set`, with the matching root and count.
fn register_set(owner: AccountId, model: ModelId, set: Vec<ContributionId>) -> DispatchResult {
	register_raw(
		owner,
		model,
		training_data_root(&set),
		set.len() as u32,
		vec![score("rougeL", 412_000), score("perplexity", 8_300_000)],
		set,
	)
}

fn register(owner: AccountId, model: ModelId) -> DispatchResult {
	register_set(owner, model, TRAINED_ON.to_vec())
}

/// A model by Alice on Datanet 0, approved, collecting data, then training; contributions
/// [`TRAINED_ON`] are accepted in Datanet 0.
fn training_model() -> ModelId {
	let id = propose(ALICE, vec![0]);
	Registry::on_model_decision(id, true);
	assert_ok!(Registry::start_data_collection(RuntimeOrigin::signed(ALICE), id));
	set_datanet(0, 5, Perbill::from_percent(60));
	accept(0, &TRAINED_ON);
	assert_ok!(Registry::start_training(RuntimeOrigin::signed(BOB), id));
	id
}

fn deployed_model() -> ModelId {
	let id = training_model();
	assert_ok!(register(ALICE, id));
	assert_ok!(Registry::deploy(RuntimeOrigin::signed(ALICE), id, 0));
	id
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn stake(who: AccountId, model: ModelId, amount: Balance) -> DispatchResult {
	Registry::stake(RuntimeOrigin::signed(who), model, amount)
}

fn unstake(who: AccountId, model: ModelId, amount: Balance) -> DispatchResult {
	Registry::unstake(RuntimeOrigin::signed(who), model, amount)
}

fn claim(who: AccountId, model: ModelId) -> DispatchResult {
	Registry::claim_rewards(RuntimeOrigin::signed(who), model)
}

fn withdraw(who: AccountId, model: ModelId) -> DispatchResult {
	Registry::withdraw_unbonded(RuntimeOrigin::signed(who), model)
}

fn pot() -> AccountId {
	<Registry as ModelInspect<_, _>>::staking_pot()
}

/// What a settlement does with the stakers' share: pay it into the pot (here from the
/// treasury), then credit it to the model's stakers.
fn pay_stakers(model: ModelId, amount: Balance) {
	assert_ok!(Balances::transfer(&TREASURY, &pot(), amount, Preservation::Preserve));
	assert_ok!(<Registry as ModelInspect<_, _>>::reward_stakers(model, amount));
}

fn claimable(who: AccountId, model: ModelId) -> Balance {
	Registry::staker(model, &who).map_or(0, |s| s.claimable)
}

fn active(who: AccountId, model: ModelId) -> Balance {
	ModelStakes::<Test>::get(model, who).map_or(0, |p| p.active)
}

/// An account funded with `balance`.
fn funded(who: AccountId, balance: Balance) -> AccountId {
	Balances::set_balance(&who, balance);
	who
}

#[test]
fn propose_holds_deposit_pays_fee_and_opens_vote() {
	test(|| {
		let id = propose(ALICE, vec![0, 1]);
		let model = Models::<Test>::get(id).unwrap();
		assert_eq!(model.owner, ALICE);
		assert_eq!(model.datanets.to_vec(), vec![0, 1]);
		assert_eq!((model.rate_in, model.rate_out), (RATE_IN, RATE_OUT));
		assert_eq!(model.status, ModelStatus::Proposed);
		assert_eq!(model.proposal, 100);
		assert_eq!(ModelOfProposal::<Test>::get(100), Some(id));
		assert_eq!(held(ALICE, HoldReason::ProposalDeposit), DEPOSIT);
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE - DEPOSIT - FEE);
		assert_eq!(Balances::balance(&TREASURY), INITIAL_BALANCE + FEE);
		assert_eq!(proposed(), vec![(ALICE, id)]);
		assert_eq!(
			last_event(),
			Event::ModelProposed { model: id, owner: ALICE, proposal: 100 }.into()
		);
	});
}

#[test]
fn propose_rejects_bad_input() {
	test(|| {
		let call = |datanets: Vec<DatanetId>, text: Vec<u8>, who: AccountId| {
			Registry::propose(
				RuntimeOrigin::signed(who),
				text.clone(),
				b"base".to_vec(),
				datanets,
				text,
				1,
				1,
			)
		};
		assert_noop!(call(vec![], b"x".to_vec(), ALICE), Error::<Test>::NoDatanets);
		assert_noop!(call(vec![7], b"x".to_vec(), ALICE), Error::<Test>::UnknownDatanet);
		assert_noop!(call(vec![0, 0], b"x".to_vec(), ALICE), Error::<Test>::BadDatanets);
		assert_noop!(call(vec![0, 1, 1], b"x".to_vec(), ALICE), Error::<Test>::BadDatanets);
		assert_noop!(call(vec![0], vec![b'x'; 33], ALICE), Error::<Test>::TooLong);
		assert_noop!(call(vec![0], b"x".to_vec(), 42), Error::<Test>::InsufficientBalance);
	});
}

#[test]
fn approval_returns_deposit_rejection_slashes_it() {
	test(|| {
		let yes = propose(ALICE, vec![0]);
		let no = propose(BOB, vec![1]);
		Registry::on_model_decision(yes, true);
		assert_eq!(status(yes), ModelStatus::Approved);
		assert_eq!(held(ALICE, HoldReason::ProposalDeposit), 0);
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE - FEE);
		Registry::on_model_decision(no, false);
		assert_eq!(status(no), ModelStatus::Rejected);
		assert_eq!(Balances::total_balance(&BOB), INITIAL_BALANCE - FEE - DEPOSIT);
		assert_eq!(Balances::balance(&TREASURY), INITIAL_BALANCE + 2 * FEE + DEPOSIT);
		assert!(System::events()
			.iter()
			.any(|r| r.event == Event::DepositSlashed { model: no, amount: DEPOSIT }.into()));
		// A decision arrives once: later ones change nothing.
		Registry::on_model_decision(no, true);
		assert_eq!(status(no), ModelStatus::Rejected);
		Registry::on_model_decision(55, true);
	});
}

#[test]
fn lifecycle_transitions_need_the_right_origin_and_state() {
	test(|| {
		let id = propose(ALICE, vec![0, 1]);
		assert_noop!(
			Registry::start_data_collection(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InvalidStatus
		);
		Registry::on_model_decision(id, true);
		assert_noop!(
			Registry::start_data_collection(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Registry::start_data_collection(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::UnknownModel
		);
		assert_noop!(
			Registry::start_training(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::InvalidStatus
		);
		assert_ok!(Registry::start_data_collection(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(
			last_event(),
			Event::StatusChanged { model: id, status: ModelStatus::CollectingData }.into()
		);
		accept(0, &TRAINED_ON);
		assert_noop!(register(ALICE, id), Error::<Test>::InvalidStatus);
	});
}

#[test]
fn training_starts_only_when_the_data_condition_holds() {
	test(|| {
		let id = propose(ALICE, vec![0, 1]);
		Registry::on_model_decision(id, true);
		assert_ok!(Registry::start_data_collection(RuntimeOrigin::signed(ALICE), id));
		let attempt = || Registry::start_training(RuntimeOrigin::signed(CHARLIE), id);
		// Enough data in total, but Datanet 1 is not credible enough.
		set_datanet(0, 4, Perbill::from_percent(90));
		set_datanet(1, 1, Perbill::from_percent(49));
		assert_noop!(attempt(), Error::<Test>::DataConditionNotMet);
		// Credible, but 4 accepted contributions in all, fewer than 5.
		set_datanet(1, 0, Perbill::from_percent(50));
		assert_noop!(attempt(), Error::<Test>::DataConditionNotMet);
		set_datanet(1, 1, Perbill::from_percent(50));
		assert_ok!(attempt());
		assert_eq!(status(id), ModelStatus::Training);
	});
}

#[test]
fn versions_carry_provenance_and_deploy_picks_one() {
	test(|| {
		let id = training_model();
		assert_noop!(register(BOB, id), Error::<Test>::NotOwner);
		assert_noop!(
			register_raw(ALICE, id, training_data_root(&[10]), 1, vec![score("a", 1); 3], vec![10]),
			Error::<Test>::TooManyScores
		);
		assert_noop!(
			Registry::deploy(RuntimeOrigin::signed(ALICE), id, 0),
			Error::<Test>::UnknownVersion
		);
		assert_ok!(register(ALICE, id));
		assert_eq!(
			last_event(),
			Event::VersionRegistered { model: id, version: 0, adapter_hash: H256::repeat_byte(1) }
				.into()
		);
		let v = Versions::<Test>::get(id, 0).unwrap();
		assert_eq!(v.tokenizer_hash, H256::repeat_byte(5));
		assert_eq!(v.training_data_root, training_data_root(&TRAINED_ON));
		assert_eq!(v.training_data_count, 3);
		assert_eq!(v.eval_scores[0], score("rougeL", 412_000));
		assert_noop!(Registry::deploy(RuntimeOrigin::signed(BOB), id, 0), Error::<Test>::NotOwner);
		assert_ok!(Registry::deploy(RuntimeOrigin::signed(ALICE), id, 0));
		assert_eq!(status(id), ModelStatus::Deployed);
		assert_eq!(Registry::deployed(id).map(|(_, v)| v), Some(0));
		// Retraining while deployed: a second version, then a switch.
		assert_ok!(register(ALICE, id));
		assert_noop!(register(ALICE, id), Error::<Test>::TooManyVersions);
		assert_ok!(Registry::deploy(RuntimeOrigin::signed(ALICE), id, 1));
		assert_eq!(last_event(), Event::Deployed { model: id, version: 1 }.into());
		assert_eq!(Registry::deployed(id).map(|(_, v)| v), Some(1));
		// The runtime API's listing pages through them and stops at the last one.
		let all: Vec<_> = Registry::versions_page(id, 0, 10).into_iter().map(|(v, _)| v).collect();
		assert_eq!(all, vec![0, 1]);
		assert_eq!(Registry::versions_page(id, 1, 10).len(), 1);
		assert_eq!(Registry::versions_page(id, 0, 1).len(), 1);
		assert!(Registry::versions_page(id, 2, 10).is_empty());
		assert!(Registry::versions_page(id, VersionId::MAX, u32::MAX).is_empty());
		assert!(Registry::versions_page(99, 0, 10).is_empty());
	});
}

/// The vectors of the node's training manifest (inference/src/training/manifest.rs): the chain
/// and the trainer agree on the root.
#[test]
fn training_data_root_is_the_manifests() {
	use sp_io::hashing::blake2_256;
	assert_eq!(training_data_root(&[]), H256::zero());
	assert_eq!(training_data_root(&[7]).0, blake2_256(&7u64.to_le_bytes()));
	let (l, r) = (blake2_256(&1u64.to_le_bytes()), blake2_256(&2u64.to_le_bytes()));
	assert_eq!(training_data_root(&[1, 2]).0, blake2_256(&[l, r].concat()));
	assert_ne!(training_data_root(&[1, 2]), training_data_root(&[2, 1]));
	// BlakeTwo256 is the hasher: the same as blake2-256 on one leaf.
	assert_eq!(
		binary_merkle_tree::merkle_root::<BlakeTwo256, _>([3u64.to_le_bytes()]).0,
		blake2_256(&3u64.to_le_bytes())
	);
}

/// Against the old registry, which took any root and count on the owner's word, every one of
/// these was registered.
#[test]
fn a_training_set_must_be_what_the_version_claims() {
	test(|| {
		let id = training_model();
		accept(0, &[13, 14]);
		accept(1, &[20]);
		let root = training_data_root;
		let raw = |root: H256, count: u32, set: Vec<ContributionId>| {
			register_raw(ALICE, id, root, count, vec![], set)
		};
		assert_noop!(raw(root(&[]), 0, vec![]), Error::<Test>::NoTrainingData);
		assert_noop!(
			raw(root(&[10, 11, 12, 13, 14]), 5, vec![10, 11, 12, 13, 14]),
			Error::<Test>::TooManyContributions
		);
		// The count must be the set's: no inflating it, no hiding part of the set.
		assert_noop!(raw(root(&[10, 11]), 3, vec![10, 11]), Error::<Test>::TrainingCountMismatch);
		assert_noop!(raw(root(&[10, 11]), 1, vec![10, 11]), Error::<Test>::TrainingCountMismatch);
		// Strictly ascending: out of order, or an id twice.
		assert_noop!(raw(root(&[11, 10]), 2, vec![11, 10]), Error::<Test>::BadTrainingSet);
		assert_noop!(raw(root(&[10, 10]), 2, vec![10, 10]), Error::<Test>::BadTrainingSet);
		// A root that is not the set's.
		assert_noop!(raw(root(&[10, 12]), 2, vec![10, 11]), Error::<Test>::TrainingRootMismatch);
		assert_noop!(
			raw(H256::repeat_byte(3), 2, vec![10, 11]),
			Error::<Test>::TrainingRootMismatch
		);
		// Unknown or not accepted, or accepted in a Datanet the model does not train on.
		assert_noop!(raw(root(&[10, 99]), 2, vec![10, 99]), Error::<Test>::ContributionNotInModel);
		assert_noop!(raw(root(&[10, 20]), 2, vec![10, 20]), Error::<Test>::ContributionNotInModel);
		// The deposit must be payable.
		Balances::set_balance(&ALICE, ED);
		assert_noop!(raw(root(&[10, 11]), 2, vec![10, 11]), Error::<Test>::InsufficientBalance);
		Balances::set_balance(&ALICE, INITIAL_BALANCE);
		assert_ok!(raw(root(&[10, 11, 13, 14]), 4, vec![10, 11, 13, 14]));
		let mut stored: Vec<_> =
			TrainingSet::<Test>::iter_prefix((id, 0)).map(|(c, _)| c).collect();
		stored.sort();
		assert_eq!(stored, vec![10, 11, 13, 14]);
	});
}

#[test]
fn trained_on_reads_the_version_s_training_set_and_its_deposit_stays_held() {
	test(|| {
		let id = training_model();
		accept(0, &[13]);
		let free = Balances::balance(&ALICE);
		assert_ok!(register_set(ALICE, id, vec![10, 12]));
		assert_ok!(register_set(ALICE, id, vec![11, 12, 13]));
		assert_eq!(held(ALICE, HoldReason::TrainingSetDeposit), 5 * ITEM_DEPOSIT);
		assert_eq!(Balances::balance(&ALICE), free - 5 * ITEM_DEPOSIT);
		let trained_on = <Registry as ModelInspect<_, _>>::trained_on;
		assert!(trained_on(id, 0, 10) && trained_on(id, 0, 12));
		assert!(!trained_on(id, 0, 11) && !trained_on(id, 0, 13));
		assert!(trained_on(id, 1, 11) && trained_on(id, 1, 13) && !trained_on(id, 1, 10));
		assert!(!trained_on(id, 2, 10) && !trained_on(id + 1, 0, 10));
		assert_eq!(
			<Registry as ModelInspect<_, _>>::adapter_hash(id, 1),
			Some(H256::repeat_byte(1))
		);
		assert_eq!(<Registry as ModelInspect<_, _>>::adapter_hash(id, 2), None);
		// Versions are permanent: retiring the model returns nothing.
		assert_ok!(Registry::retire(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(ALICE, HoldReason::TrainingSetDeposit), 5 * ITEM_DEPOSIT);
		assert!(trained_on(id, 0, 10));
	});
}

#[test]
fn retire_by_owner_or_admin() {
	test(|| {
		let a = deployed_model();
		assert_noop!(Registry::retire(RuntimeOrigin::signed(BOB), a), Error::<Test>::NotOwner);
		assert_ok!(Registry::retire(RuntimeOrigin::signed(ALICE), a));
		assert_eq!(status(a), ModelStatus::Retired);
		assert_eq!(Registry::deployed(a), None);
		assert_noop!(
			Registry::retire(RuntimeOrigin::signed(ALICE), a),
			Error::<Test>::InvalidStatus
		);
		assert_noop!(
			Registry::deploy(RuntimeOrigin::signed(ALICE), a, 0),
			Error::<Test>::InvalidStatus
		);
		let b = propose(BOB, vec![1]);
		assert_noop!(Registry::retire(RuntimeOrigin::root(), b), Error::<Test>::InvalidStatus);
		Registry::on_model_decision(b, true);
		assert_ok!(Registry::retire(RuntimeOrigin::root(), b));
		assert_noop!(Registry::retire(RuntimeOrigin::none(), 77), Error::<Test>::UnknownModel);
		assert_noop!(Registry::retire(RuntimeOrigin::none(), a), DispatchError::BadOrigin);
	});
}

#[test]
fn staking_on_deployed_models() {
	test(|| {
		let id = training_model();
		assert_noop!(stake(BOB, id, 100), Error::<Test>::InvalidStatus);
		assert_ok!(register(ALICE, id));
		assert_ok!(Registry::deploy(RuntimeOrigin::signed(ALICE), id, 0));
		assert_noop!(stake(BOB, id, 0), Error::<Test>::ZeroAmount);
		assert_noop!(stake(42, id, 10), Error::<Test>::InsufficientBalance);
		assert_noop!(stake(BOB, 9, 10), Error::<Test>::UnknownModel);
		assert_ok!(stake(BOB, id, 100));
		assert_ok!(stake(BOB, id, 50));
		assert_eq!(last_event(), Event::Staked { model: id, who: BOB, amount: 50 }.into());
		assert_ok!(stake(CHARLIE, id, 30));
		assert_ok!(stake(ALICE, id, 30));
		let model = Models::<Test>::get(id).unwrap();
		assert_eq!((model.total_stake, model.stakers), (210, 3));
		assert_eq!(active(BOB, id), 150);
		assert_eq!(held(BOB, HoldReason::ModelStake), 150);

		assert_noop!(unstake(BOB, id, 151), Error::<Test>::InsufficientStake);
		assert_noop!(unstake(42, id, 1), Error::<Test>::InsufficientStake);
		assert_noop!(unstake(BOB, id, 0), Error::<Test>::ZeroAmount);
		assert_noop!(unstake(BOB, 9, 1), Error::<Test>::UnknownModel);
		assert_ok!(unstake(BOB, id, 150));
		assert_eq!(
			last_event(),
			Event::Unstaked { model: id, who: BOB, amount: 150, unlocks_at: 1 + UNBONDING }.into()
		);
		let model = Models::<Test>::get(id).unwrap();
		assert_eq!((model.total_stake, model.stakers), (60, 2));
		assert_eq!(active(BOB, id), 0);
	});
}

#[test]
fn fees_see_only_a_deployed_model_with_its_owner_rates_and_stakers() {
	test(|| {
		let id = training_model();
		let inspect = <Registry as ModelInspect<_, _>>::served;
		assert_eq!(inspect(id), None);
		assert_ok!(register(ALICE, id));
		assert_ok!(register(ALICE, id));
		assert_ok!(Registry::deploy(RuntimeOrigin::signed(ALICE), id, 1));
		assert!(!<Registry as ModelInspect<_, _>>::has_stakers(id));
		assert_ok!(stake(BOB, id, 300));
		assert!(<Registry as ModelInspect<_, _>>::has_stakers(id));
		assert!(!<Registry as ModelInspect<_, _>>::has_stakers(id + 1));
		assert_eq!(
			inspect(id),
			Some(ServedModel { owner: ALICE, version: 1, rate_in: RATE_IN, rate_out: RATE_OUT })
		);
		assert_ok!(Registry::retire(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(inspect(id), None);
	});
}

#[test]
fn the_staking_pot_exists_from_genesis_and_takes_any_amount() {
	test(|| {
		let pot = pot();
		assert!(![ALICE, BOB, CHARLIE, TREASURY].contains(&pot));
		assert_eq!(Balances::balance(&pot), ED);
		assert!(System::providers(&pot) >= 1);
		// A reward smaller than the existential deposit is paid in all the same.
		assert_ok!(Balances::transfer(&TREASURY, &pot, 1, Preservation::Preserve));
		assert_eq!(Balances::balance(&pot), ED + 1);
	});
}

/// Two stakers 1:2 share 100: 33 and 66 (rounded down), the 1 left over stays in the pot;
/// nothing is minted.
#[test]
fn rewards_are_split_pro_rata_rounding_down() {
	test(|| {
		let id = deployed_model();
		assert_ok!(stake(BOB, id, 100));
		assert_ok!(stake(CHARLIE, id, 200));
		let issuance = Balances::total_issuance();
		pay_stakers(id, 100);
		assert_eq!((claimable(BOB, id), claimable(CHARLIE, id)), (33, 66));
		let (bob, charlie) = (Balances::balance(&BOB), Balances::balance(&CHARLIE));
		assert_ok!(claim(BOB, id));
		assert_eq!(last_event(), Event::RewardsClaimed { model: id, who: BOB, amount: 33 }.into());
		assert_ok!(claim(CHARLIE, id));
		assert_eq!(Balances::balance(&BOB), bob + 33);
		assert_eq!(Balances::balance(&CHARLIE), charlie + 66);
		assert_eq!(Balances::balance(&pot()), ED + 1);
		assert_eq!(Balances::total_issuance(), issuance);
		// Rewards add up over settlements, each rounded down on its own share of the pool.
		// The reward per stake is rounded down too: 15 in two payments, 1:2, owes 4 and 9.
		pay_stakers(id, 7);
		pay_stakers(id, 8);
		assert_eq!((claimable(BOB, id), claimable(CHARLIE, id)), (4, 9));
	});
}

#[test]
fn stake_that_arrives_after_a_reward_earns_nothing_of_it() {
	test(|| {
		let id = deployed_model();
		assert_ok!(stake(BOB, id, 100));
		pay_stakers(id, 90);
		// Charlie stakes twice Bob's right after the fee: none of it is his.
		assert_ok!(stake(CHARLIE, id, 200));
		assert_eq!((claimable(BOB, id), claimable(CHARLIE, id)), (90, 0));
		assert_noop!(claim(CHARLIE, id), Error::<Test>::NothingToClaim);
		// Adding to a stake settles what it had earned; it is neither lost nor counted twice.
		pay_stakers(id, 30);
		assert_ok!(stake(BOB, id, 100));
		assert_eq!((claimable(BOB, id), claimable(CHARLIE, id)), (100, 20));
		pay_stakers(id, 40);
		assert_eq!((claimable(BOB, id), claimable(CHARLIE, id)), (120, 40));
	});
}

/// Against the old registry, unstaked OPEN was free at once and a staker could leave right
/// after being paid; now it earns nothing from the unstake on and is held for the period.
#[test]
fn unstaked_open_stops_earning_and_is_held_until_withdrawn() {
	test(|| {
		let id = deployed_model();
		assert_ok!(stake(BOB, id, 100));
		assert_ok!(stake(CHARLIE, id, 100));
		pay_stakers(id, 100);
		let free = Balances::balance(&BOB);
		assert_ok!(unstake(BOB, id, 100));
		assert_eq!(held(BOB, HoldReason::ModelStake), 100);
		assert_eq!(Balances::balance(&BOB), free);
		// Bob keeps what he earned before, and none of what comes after.
		pay_stakers(id, 100);
		assert_eq!((claimable(BOB, id), claimable(CHARLIE, id)), (50, 150));
		let info = Registry::staker(id, &BOB).unwrap();
		assert_eq!(info.active, 0);
		assert_eq!(info.unbonding, vec![UnbondingChunk { amount: 100, unlocks_at: 1 + UNBONDING }]);
		assert_eq!(info.claimable, 50);

		System::set_block_number(UNBONDING);
		assert_noop!(withdraw(BOB, id), Error::<Test>::NothingToWithdraw);
		assert_noop!(withdraw(ALICE, id), Error::<Test>::NothingToWithdraw);
		System::set_block_number(1 + UNBONDING);
		assert_ok!(withdraw(BOB, id));
		assert_eq!(last_event(), Event::Withdrawn { model: id, who: BOB, amount: 100 }.into());
		assert_eq!(held(BOB, HoldReason::ModelStake), 0);
		assert_eq!(Balances::balance(&BOB), free + 100);
		assert_noop!(withdraw(BOB, id), Error::<Test>::NothingToWithdraw);
		// The rewards are still his; once claimed, nothing is left of the position.
		assert_ok!(claim(BOB, id));
		assert_eq!(Balances::balance(&BOB), free + 150);
		assert!(ModelStakes::<Test>::get(id, BOB).is_none());
		assert_eq!(Registry::staker(id, &BOB), None);
	});
}

#[test]
fn unbonding_chunks_are_bounded_and_merge_within_a_block() {
	test(|| {
		let id = deployed_model();
		assert_ok!(stake(BOB, id, 100));
		assert_ok!(unstake(BOB, id, 10));
		assert_ok!(unstake(BOB, id, 10));
		System::set_block_number(2);
		assert_ok!(unstake(BOB, id, 10));
		assert_eq!(
			Registry::staker(id, &BOB).unwrap().unbonding,
			vec![
				UnbondingChunk { amount: 20, unlocks_at: 1 + UNBONDING },
				UnbondingChunk { amount: 10, unlocks_at: 2 + UNBONDING },
			]
		);
		System::set_block_number(3);
		assert_noop!(unstake(BOB, id, 10), Error::<Test>::TooManyUnbondingChunks);
		// Withdrawing the unbonded chunk frees a slot; the later one stays.
		System::set_block_number(1 + UNBONDING);
		assert_ok!(withdraw(BOB, id));
		assert_eq!(held(BOB, HoldReason::ModelStake), 80);
		assert_ok!(unstake(BOB, id, 10));
		assert_eq!(active(BOB, id), 60);
	});
}

/// Against the old registry, any amount (even 1) was a stake.
#[test]
fn a_stake_is_zero_or_at_least_the_minimum() {
	test(|| {
		let id = deployed_model();
		assert_noop!(stake(BOB, id, MIN_STAKE - 1), Error::<Test>::StakeBelowMinimum);
		assert_ok!(stake(BOB, id, MIN_STAKE));
		assert_ok!(stake(BOB, id, 1));
		assert_noop!(unstake(BOB, id, 2), Error::<Test>::StakeBelowMinimum);
		assert_ok!(unstake(BOB, id, 1));
		assert_ok!(unstake(BOB, id, MIN_STAKE));
		// Back up from nothing, with stake still unbonding: the minimum again.
		assert_noop!(stake(BOB, id, MIN_STAKE - 1), Error::<Test>::StakeBelowMinimum);
		assert_ok!(stake(BOB, id, MIN_STAKE));
		assert_eq!(Models::<Test>::get(id).unwrap().stakers, 1);
	});
}

#[test]
fn a_claim_pays_exactly_what_is_owed_once() {
	test(|| {
		let id = deployed_model();
		assert_noop!(claim(BOB, id), Error::<Test>::NothingToClaim);
		assert_ok!(stake(BOB, id, 30));
		assert_ok!(stake(CHARLIE, id, 70));
		pay_stakers(id, 1_000);
		let free = Balances::balance(&BOB);
		assert_ok!(claim(BOB, id));
		assert_eq!(Balances::balance(&BOB), free + 300);
		assert_noop!(claim(BOB, id), Error::<Test>::NothingToClaim);
		// Unstaking and staking again claims nothing twice either.
		assert_ok!(unstake(BOB, id, 30));
		assert_ok!(stake(BOB, id, 30));
		assert_noop!(claim(BOB, id), Error::<Test>::NothingToClaim);
		pay_stakers(id, 100);
		assert_ok!(claim(BOB, id));
		assert_ok!(claim(CHARLIE, id));
		// 300 + 30 paid, 30 more held for the new stake.
		assert_eq!(Balances::balance(&BOB), free + 300);
		assert_eq!(Balances::balance(&pot()), ED);
		// A retired model's stakers still claim and leave.
		pay_stakers(id, 10);
		assert_ok!(Registry::retire(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(claim(BOB, id));
		assert_ok!(unstake(BOB, id, 30));
		assert_eq!(Balances::balance(&BOB), free + 303);
	});
}

#[test]
fn rewarding_a_model_nobody_stakes_on_fails() {
	test(|| {
		let id = deployed_model();
		let reward = <Registry as ModelInspect<_, _>>::reward_stakers;
		assert_noop!(reward(id, 10), Error::<Test>::NoStakers);
		assert_noop!(reward(id + 1, 10), Error::<Test>::UnknownModel);
		assert_ok!(stake(BOB, id, 100));
		assert_ok!(unstake(BOB, id, 100));
		// Unbonding stake is not stake: it earns nothing.
		assert!(!<Registry as ModelInspect<_, _>>::has_stakers(id));
		assert_noop!(reward(id, 10), Error::<Test>::NoStakers);
		// Crediting nothing changes nothing.
		assert_ok!(stake(CHARLIE, id, 100));
		assert_ok!(reward(id, 0));
		assert_eq!(RewardPerStake::<Test>::get(id), 0.into());
	});
}

/// Against the old registry (at most `MaxStakersPerModel` stakers, 2 in its mock, 100 in the
/// runtime), the first accounts in locked everybody else out, with 1 unit each.
#[test]
fn dust_accounts_cannot_lock_stakers_out() {
	test(|| {
		let id = deployed_model();
		for who in 1_000..1_150 {
			assert_ok!(stake(funded(who, 100), id, MIN_STAKE));
		}
		assert_ok!(stake(BOB, id, 500));
		let model = Models::<Test>::get(id).unwrap();
		assert_eq!((model.stakers, model.total_stake), (151, 150 * MIN_STAKE + 500));
		pay_stakers(id, 2_000);
		assert_eq!(claimable(BOB, id), 500);
		assert_eq!(claimable(1_000, id), 10);
	});
}

/// A settlement's reward does the same storage work however many stake: the storage proof of
/// `reward_stakers` is byte for byte the same size with 1 staker and with 150.
#[test]
fn a_reward_costs_the_same_however_many_stake() {
	let proof = |stakers: u64| {
		let mut ext = new_test_ext();
		let id = ext.execute_with(|| {
			let id = deployed_model();
			// The same total stake either way.
			let each = 150 * MIN_STAKE / stakers as Balance;
			for who in 1_000..1_000 + stakers {
				assert_ok!(stake(funded(who, 10_000), id, each));
			}
			assert_ok!(Balances::transfer(&TREASURY, &pot(), 100, Preservation::Preserve));
			id
		});
		ext.commit_all().unwrap();
		let (result, proof) =
			ext.execute_and_prove(|| <Registry as ModelInspect<_, _>>::reward_stakers(id, 100));
		assert_ok!(result);
		ext.execute_with(|| {
			assert_ok!(Registry::do_try_state());
		});
		(proof.len(), proof.iter_nodes().map(|n| n.len()).sum::<usize>())
	};
	let one = proof(1);
	assert_eq!(one, proof(150));
	assert!(one.0 > 0);
}

#[test]
fn the_runtime_api_tells_a_staker_s_position() {
	test(|| {
		let id = deployed_model();
		assert_eq!(Registry::staker(id, &BOB), None);
		assert_ok!(stake(BOB, id, 100));
		pay_stakers(id, 10);
		assert_ok!(unstake(BOB, id, 40));
		assert_eq!(
			Registry::staker(id, &BOB),
			Some(StakerInfo {
				active: 60,
				unbonding: vec![UnbondingChunk { amount: 40, unlocks_at: 1 + UNBONDING }],
				claimable: 10,
			})
		);
	});
}

#[test]
fn genesis_models_register_their_training_sets() {
	let version = (
		[1u8; 32],
		[2u8; 32],
		[5u8; 32],
		training_data_root(&[10, 12]).0,
		2,
		[4u8; 32],
		vec![(b"rougeL".to_vec(), 412_000)],
		vec![10, 12],
	);
	let model = (
		ALICE,
		b"legal QA".to_vec(),
		b"base".to_vec(),
		vec![0],
		b"contracts".to_vec(),
		RATE_IN,
		RATE_OUT,
		vec![version],
	);
	new_test_ext_with(&[(0, &[10, 11, 12])], vec![model]).execute_with(|| {
		assert_eq!(status(0), ModelStatus::Deployed);
		let v = Versions::<Test>::get(0, 0).unwrap();
		assert_eq!((v.tokenizer_hash, v.training_data_count), (H256::repeat_byte(5), 2));
		assert!(<Registry as ModelInspect<_, _>>::trained_on(0, 0, 12));
		assert!(!<Registry as ModelInspect<_, _>>::trained_on(0, 0, 11));
		assert_eq!(held(ALICE, HoldReason::TrainingSetDeposit), 2 * ITEM_DEPOSIT);
		assert_eq!(Balances::balance(&pot()), ED);
		assert_ok!(Registry::do_try_state());
	});
}

#[test]
#[should_panic(expected = "ContributionNotInModel")]
fn a_genesis_version_must_be_trained_on_the_model_s_data() {
	let version = (
		[1u8; 32],
		[2u8; 32],
		[5u8; 32],
		training_data_root(&[10]).0,
		1,
		[4u8; 32],
		vec![],
		vec![10],
	);
	let model = (ALICE, b"a".to_vec(), b"b".to_vec(), vec![0], b"c".to_vec(), 1, 1, vec![version]);
	new_test_ext_with(&[(1, &[10])], vec![model]);
}

/// The invariants catch what they are for.
#[test]
fn try_state_catches_a_pot_that_cannot_pay() {
	test(|| {
		let id = deployed_model();
		assert_ok!(stake(BOB, id, 100));
		pay_stakers(id, 50);
		assert_ok!(Registry::do_try_state());
		// Credit without paying in: the pot would owe more than it holds.
		assert_ok!(<Registry as ModelInspect<_, _>>::reward_stakers(id, 1));
		assert!(Registry::do_try_state().is_err());
		assert_ok!(Balances::transfer(&TREASURY, &pot(), 1, Preservation::Preserve));
	});
}
