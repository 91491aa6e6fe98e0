use crate::{self as pallet_governance, mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectFreeze, InspectHold, Mutate},
		tokens::Preservation,
	},
};
use sp_runtime::{BuildStorage, Perbill, TokenError};

fn staked(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Governance(HoldReason::Staked), &who)
}

fn frozen(who: AccountId) -> Balance {
	Balances::balance_frozen(&RuntimeFreezeReason::Governance(FreezeReason::Voting), &who)
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn split(model: u32, stakers: u32, contributors: u32) -> ChangeOf<Test> {
	ParameterChange::FeeSplit(FeeSplit {
		model: Perbill::from_percent(model),
		stakers: Perbill::from_percent(stakers),
		contributors: Perbill::from_percent(contributors),
	})
}

/// A parameter proposal by Alice; returns its id.
fn propose(change: ChangeOf<Test>) -> ProposalId {
	let id = NextProposalId::<Test>::get();
	assert_ok!(Governance::propose_parameter(RuntimeOrigin::signed(ALICE), change));
	id
}

#[test]
fn stake_gives_voting_power_held_not_transferable() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(ALICE), 600));
		assert_ok!(Governance::stake(RuntimeOrigin::signed(ALICE), 400));
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 50));
		assert_eq!(last_event(), Event::Staked { who: BOB, amount: 50 }.into());
		assert_eq!(Governance::voting_power(&ALICE), 1_000);
		assert_eq!(TotalStake::<Test>::get(), 1_050);
		assert_eq!(staked(ALICE), 1_000);
		// Held OPEN cannot be transferred.
		assert_noop!(
			<Balances as Mutate<_>>::transfer(
				&ALICE,
				&BOB,
				INITIAL_BALANCE - 500,
				Preservation::Expendable
			),
			TokenError::FundsUnavailable
		);
		assert_noop!(Governance::stake(RuntimeOrigin::signed(ALICE), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Governance::stake(RuntimeOrigin::signed(42), 10),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn unstake_unbonds_then_withdraws() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(ALICE), 1_000));
		assert_noop!(
			Governance::unstake(RuntimeOrigin::signed(ALICE), 1_001),
			Error::<Test>::InsufficientStake
		);
		assert_noop!(
			Governance::unstake(RuntimeOrigin::signed(BOB), 1),
			Error::<Test>::InsufficientStake
		);
		assert_ok!(Governance::unstake(RuntimeOrigin::signed(ALICE), 300));
		assert_eq!(
			last_event(),
			Event::Unbonding { who: ALICE, amount: 300, unlocks_at: 1 + UNBONDING_PERIOD }.into()
		);
		assert_eq!(Governance::voting_power(&ALICE), 700);
		assert_eq!(TotalStake::<Test>::get(), 700);
		// Still held while unbonding.
		assert_eq!(staked(ALICE), 1_000);
		assert_noop!(
			Governance::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::NothingToWithdraw
		);
		run_to(5);
		assert_ok!(Governance::unstake(RuntimeOrigin::signed(ALICE), 100));
		assert_noop!(
			Governance::unstake(RuntimeOrigin::signed(ALICE), 100),
			Error::<Test>::TooManyUnbondingChunks
		);
		run_to(1 + UNBONDING_PERIOD);
		assert_ok!(Governance::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		assert_eq!(last_event(), Event::Withdrawn { who: ALICE, amount: 300 }.into());
		assert_eq!(staked(ALICE), 700);
		run_to(5 + UNBONDING_PERIOD);
		assert_ok!(Governance::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		assert_ok!(Governance::unstake(RuntimeOrigin::signed(ALICE), 600));
		run_to(5 + 2 * UNBONDING_PERIOD);
		assert_ok!(Governance::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		assert_eq!(staked(ALICE), 0);
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE);
		assert!(Stakes::<Test>::get(ALICE).is_none());
	});
}

#[test]
fn parameter_proposal_passes_and_applies() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		assert_ok!(Governance::stake(RuntimeOrigin::signed(CHARLIE), 500));
		let id = propose(split(60, 20, 20));
		assert_eq!(
			Balances::balance_on_hold(
				&RuntimeHoldReason::Governance(HoldReason::ProposalDeposit),
				&ALICE
			),
			PROPOSAL_DEPOSIT
		);
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), id, true, 800));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(CHARLIE), id, false, 500));
		assert_noop!(
			Governance::close(RuntimeOrigin::signed(CHARLIE), id),
			Error::<Test>::VotingOngoing
		);
		run_to(1 + VOTING_PERIOD);
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(BOB), id, true, 1),
			Error::<Test>::VotingEnded
		);
		assert_ok!(Governance::close(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(
			last_event(),
			Event::Closed {
				proposal: id,
				approved: true,
				ayes: 800,
				nays: 500,
				turnout_quorum: 300
			}
			.into()
		);
		assert_eq!(
			Governance::fee_split(),
			FeeSplit {
				model: Perbill::from_percent(60),
				stakers: Perbill::from_percent(20),
				contributors: Perbill::from_percent(20),
			}
		);
		// The deposit came back.
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE);
		assert_noop!(
			Governance::close(RuntimeOrigin::signed(CHARLIE), id),
			Error::<Test>::ProposalClosed
		);
	});
}

#[test]
fn failed_proposal_slashes_deposit_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		let before = Parameters::<Test>::get();
		let id = propose(ParameterChange::DataThresholds {
			min_accepted_contributions: 1,
			min_credibility: Perbill::zero(),
		});
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), id, false, 1_000));
		run_to(1 + VOTING_PERIOD);
		assert_ok!(Governance::close(RuntimeOrigin::signed(BOB), id));
		assert_eq!(Parameters::<Test>::get(), before);
		assert_eq!(Balances::total_balance(&ALICE), INITIAL_BALANCE - PROPOSAL_DEPOSIT);
		assert_eq!(Balances::balance(&TREASURY), INITIAL_BALANCE + PROPOSAL_DEPOSIT);
		assert!(System::events()
			.iter()
			.any(|r| r.event
				== Event::DepositSlashed { proposal: id, amount: PROPOSAL_DEPOSIT }.into()));
	});
}

#[test]
fn quorum_and_threshold_decide() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		assert_ok!(Governance::stake(RuntimeOrigin::signed(CHARLIE), 9_000));
		// Turnout 1_000 of 10_000 is below the 20% quorum: rejected although all ayes.
		let low = propose(split(50, 25, 25));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), low, true, 1_000));
		// A tie is not a majority.
		let tie = propose(split(50, 25, 25));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), tie, true, 1_000));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(CHARLIE), tie, false, 1_000));
		// Nobody votes: rejected.
		let empty = propose(split(50, 25, 25));
		run_to(1 + VOTING_PERIOD);
		for id in [low, tie, empty] {
			assert_ok!(Governance::close(RuntimeOrigin::signed(BOB), id));
			assert_eq!(Proposals::<Test>::get(id).unwrap().status, ProposalStatus::Rejected);
		}
		assert_eq!(Governance::fee_split(), FeeSplit::default());
	});
}

#[test]
fn votes_freeze_and_are_not_counted_twice() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		let a = propose(split(50, 25, 25));
		let b = propose(split(40, 30, 30));
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(BOB), a, true, 1_001),
			Error::<Test>::InsufficientStake
		);
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(BOB), 77, true, 1),
			Error::<Test>::UnknownProposal
		);
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(CHARLIE), a, true, 1),
			Error::<Test>::InsufficientStake
		);
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(BOB), a, true, 0),
			Error::<Test>::ZeroAmount
		);
		// The same gOPEN votes on two proposals.
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), a, true, 700));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), b, false, 400));
		assert_eq!(frozen(BOB), 700);
		// Re-voting replaces the earlier vote.
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), a, false, 900));
		let info = Proposals::<Test>::get(a).unwrap();
		assert_eq!((info.ayes, info.nays), (0, 900));
		assert_eq!(frozen(BOB), 900);
		assert_eq!(
			last_event(),
			Event::Voted { proposal: a, who: BOB, aye: false, amount: 900 }.into()
		);
		// Frozen gOPEN cannot be unstaked while the proposals are open.
		assert_noop!(
			Governance::unstake(RuntimeOrigin::signed(BOB), 101),
			Error::<Test>::LockedByVotes
		);
		assert_ok!(Governance::unstake(RuntimeOrigin::signed(BOB), 100));
		// After the close, unlock thaws and frees the rest.
		run_to(1 + VOTING_PERIOD);
		assert_ok!(Governance::close(RuntimeOrigin::signed(BOB), a));
		assert_ok!(Governance::close(RuntimeOrigin::signed(BOB), b));
		assert_ok!(Governance::unlock(RuntimeOrigin::signed(BOB)));
		assert_eq!(frozen(BOB), 0);
		assert!(Votes::<Test>::get(a, BOB).is_none());
		assert_ok!(Governance::unstake(RuntimeOrigin::signed(BOB), 900));
	});
}

#[test]
fn an_account_votes_on_a_bounded_number_of_open_proposals() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 10));
		let ids: Vec<_> = (0..4).map(|_| propose(split(50, 25, 25))).collect();
		for id in &ids[..3] {
			assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), *id, true, 10));
		}
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(BOB), ids[3], true, 10),
			Error::<Test>::TooManyVotes
		);
	});
}

#[test]
fn model_votes_report_the_decision() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		let yes = <Governance as ModelGovernance<_>>::propose_model(&ALICE, 7).unwrap();
		let no = <Governance as ModelGovernance<_>>::propose_model(&ALICE, 8).unwrap();
		assert_eq!(Proposals::<Test>::get(yes).unwrap().subject, ProposalSubject::Model(7));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), yes, true, 1_000));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), no, false, 1_000));
		run_to(1 + VOTING_PERIOD);
		assert_ok!(Governance::close(RuntimeOrigin::signed(CHARLIE), yes));
		assert_ok!(Governance::close(RuntimeOrigin::signed(CHARLIE), no));
		assert_eq!(decisions(), vec![(7, true), (8, false)]);
		// The registry holds model deposits: nothing held or slashed here.
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE);
	});
}

#[test]
fn invalid_fee_split_is_refused() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Governance::propose_parameter(RuntimeOrigin::signed(ALICE), split(60, 30, 20)),
			Error::<Test>::InvalidFeeSplit
		);
		assert_noop!(
			Governance::force_set_parameter(RuntimeOrigin::root(), split(10, 10, 10)),
			Error::<Test>::InvalidFeeSplit
		);
		assert_noop!(
			Governance::propose_parameter(RuntimeOrigin::signed(42), split(60, 20, 20)),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn admin_sets_parameters_without_a_vote() {
	new_test_ext().execute_with(|| {
		let fee = ParameterChange::PlatformFee(PlatformFee::Percentage(Perbill::from_percent(5)));
		assert_noop!(
			Governance::force_set_parameter(RuntimeOrigin::signed(ALICE), fee.clone()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Governance::force_set_parameter(RuntimeOrigin::root(), fee.clone()));
		assert_eq!(Governance::platform_fee(), PlatformFee::Percentage(Perbill::from_percent(5)));
		assert_eq!(last_event(), Event::ParameterSet { change: fee }.into());
		assert_ok!(Governance::force_set_parameter(
			RuntimeOrigin::root(),
			ParameterChange::DataThresholds {
				min_accepted_contributions: 3,
				min_credibility: Perbill::from_percent(70)
			}
		));
		assert_eq!(Governance::min_accepted_contributions(), 3);
		assert_eq!(Governance::min_credibility(), Perbill::from_percent(70));
	});
}

#[test]
fn genesis_can_shorten_the_periods_for_development_chains() {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, INITIAL_BALANCE)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_governance::GenesisConfig::<Test> { periods: Some((3, 4)), ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		System::set_block_number(1);
		assert_eq!((Governance::voting_period(), Governance::unbonding_period()), (3, 4));
		let id = propose(split(50, 25, 25));
		assert_eq!(Proposals::<Test>::get(id).unwrap().ends_at, 4);
		assert_ok!(Governance::stake(RuntimeOrigin::signed(ALICE), 10));
		assert_ok!(Governance::unstake(RuntimeOrigin::signed(ALICE), 10));
		run_to(5);
		assert_ok!(Governance::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
	});
}

#[test]
fn votes_thaw_when_the_period_ends_even_if_nobody_closes() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		let id = propose(split(50, 25, 25));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), id, true, 1_000));
		assert_noop!(
			Governance::unstake(RuntimeOrigin::signed(BOB), 1),
			Error::<Test>::LockedByVotes
		);
		run_to(1 + VOTING_PERIOD);
		assert_ok!(Governance::unstake(RuntimeOrigin::signed(BOB), 1_000));
		assert_eq!(frozen(BOB), 0);
		// The tally stands: closing still counts the vote cast in time.
		assert_ok!(Governance::close(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Proposals::<Test>::get(id).unwrap().ayes, 1_000);
	});
}
