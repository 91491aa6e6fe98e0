use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult, Perbill};

const RATE_IN: Balance = 200;
const RATE_OUT: Balance = 400;

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

fn register(owner: AccountId, model: ModelId) -> DispatchResult {
	Registry::register_version(
		RuntimeOrigin::signed(owner),
		model,
		H256::repeat_byte(1),
		H256::repeat_byte(2),
		H256::repeat_byte(3),
		7,
		H256::repeat_byte(4),
		vec![score("rougeL", 412_000), score("perplexity", 8_300_000)],
	)
}

/// A model by Alice on Datanet 0, approved, collecting data, then training.
fn training_model() -> ModelId {
	let id = propose(ALICE, vec![0]);
	Registry::on_model_decision(id, true);
	assert_ok!(Registry::start_data_collection(RuntimeOrigin::signed(ALICE), id));
	set_datanet(0, 5, Perbill::from_percent(60));
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

#[test]
fn propose_holds_deposit_pays_fee_and_opens_vote() {
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
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
		assert_noop!(register(ALICE, id), Error::<Test>::InvalidStatus);
	});
}

#[test]
fn training_starts_only_when_the_data_condition_holds() {
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
		let id = training_model();
		assert_noop!(register(BOB, id), Error::<Test>::NotOwner);
		assert_noop!(
			Registry::register_version(
				RuntimeOrigin::signed(ALICE),
				id,
				H256::zero(),
				H256::zero(),
				H256::zero(),
				0,
				H256::zero(),
				vec![]
			),
			Error::<Test>::NoTrainingData
		);
		assert_noop!(
			Registry::register_version(
				RuntimeOrigin::signed(ALICE),
				id,
				H256::zero(),
				H256::zero(),
				H256::zero(),
				1,
				H256::zero(),
				vec![score("a", 1), score("b", 2), score("c", 3)]
			),
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
		assert_eq!(v.training_data_root, H256::repeat_byte(3));
		assert_eq!(v.training_data_count, 7);
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

#[test]
fn retire_by_owner_or_admin() {
	new_test_ext().execute_with(|| {
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
	new_test_ext().execute_with(|| {
		let id = training_model();
		assert_noop!(
			Registry::stake(RuntimeOrigin::signed(BOB), id, 100),
			Error::<Test>::InvalidStatus
		);
		assert_ok!(register(ALICE, id));
		assert_ok!(Registry::deploy(RuntimeOrigin::signed(ALICE), id, 0));
		assert_noop!(Registry::stake(RuntimeOrigin::signed(BOB), id, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Registry::stake(RuntimeOrigin::signed(42), id, 10),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Registry::stake(RuntimeOrigin::signed(BOB), id, 100));
		assert_ok!(Registry::stake(RuntimeOrigin::signed(BOB), id, 50));
		assert_ok!(Registry::stake(RuntimeOrigin::signed(CHARLIE), id, 30));
		assert_noop!(
			Registry::stake(RuntimeOrigin::signed(ALICE), id, 30),
			Error::<Test>::TooManyStakers
		);
		let model = Models::<Test>::get(id).unwrap();
		assert_eq!((model.total_stake, model.stakers), (180, 2));
		assert_eq!(ModelStakes::<Test>::get(id, BOB), Some(150));
		assert_eq!(held(BOB, HoldReason::ModelStake), 150);

		assert_noop!(
			Registry::unstake(RuntimeOrigin::signed(BOB), id, 151),
			Error::<Test>::InsufficientStake
		);
		assert_noop!(
			Registry::unstake(RuntimeOrigin::signed(ALICE), id, 1),
			Error::<Test>::InsufficientStake
		);
		assert_ok!(Registry::unstake(RuntimeOrigin::signed(BOB), id, 150));
		assert_eq!(last_event(), Event::Unstaked { model: id, who: BOB, amount: 150 }.into());
		assert_eq!(Balances::balance(&BOB), INITIAL_BALANCE);
		let model = Models::<Test>::get(id).unwrap();
		assert_eq!((model.total_stake, model.stakers), (30, 1));
		assert!(ModelStakes::<Test>::get(id, BOB).is_none());
		// A freed slot can be taken again.
		assert_ok!(Registry::stake(RuntimeOrigin::signed(ALICE), id, 30));
	});
}

#[test]
fn fees_see_only_a_deployed_model_with_its_owner_rates_and_stakers() {
	new_test_ext().execute_with(|| {
		let id = training_model();
		assert_eq!(<Registry as ModelInspect<_, _>>::served(id), None);
		assert!(<Registry as ModelInspect<_, _>>::trains_on(id, 0));
		assert!(!<Registry as ModelInspect<_, _>>::trains_on(id, 1));
		assert_ok!(register(ALICE, id));
		assert_ok!(register(ALICE, id));
		assert_ok!(Registry::deploy(RuntimeOrigin::signed(ALICE), id, 1));
		assert_ok!(Registry::stake(RuntimeOrigin::signed(BOB), id, 300));
		assert_ok!(Registry::stake(RuntimeOrigin::signed(CHARLIE), id, 100));
		assert_eq!(
			<Registry as ModelInspect<_, _>>::served(id),
			Some(ServedModel {
				owner: ALICE,
				version: 1,
				rate_in: RATE_IN,
				rate_out: RATE_OUT,
				stakers: 2
			})
		);
		let mut stakes = <Registry as ModelInspect<_, _>>::stakes(id);
		stakes.sort();
		assert_eq!(stakes, vec![(BOB, 300), (CHARLIE, 100)]);
		assert_ok!(Registry::retire(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(<Registry as ModelInspect<_, _>>::served(id), None);
	});
}
