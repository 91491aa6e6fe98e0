use crate::{self as pallet_governance, mock::*, *};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{
		fungible::{Inspect, InspectFreeze, InspectHold, Mutate},
		tokens::Preservation,
		ConstU32,
	},
	weights::Weight,
};
use sp_runtime::{BuildStorage, DispatchResult, Perbill, TokenError};

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

fn deposit_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Governance(HoldReason::ProposalDeposit), &who)
}

fn force_set_balance(who: AccountId, new_free: Balance) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::force_set_balance { who, new_free })
}

fn remark(len: usize) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![7; len] })
}

/// A call proposal by Alice; returns its id.
fn propose_call(call: RuntimeCall) -> ProposalId {
	let id = NextProposalId::<Test>::get();
	assert_ok!(Governance::propose_call(RuntimeOrigin::signed(ALICE), Box::new(call)));
	id
}

/// Bob votes all his 1_000 gOPEN on `id`, the period ends and Charlie closes it; returns the
/// weight `close` reported.
fn decide(id: ProposalId, aye: bool) -> Weight {
	assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), id, aye, 1_000));
	run_to(1 + VOTING_PERIOD);
	let post = Governance::close(RuntimeOrigin::signed(CHARLIE), id).expect("close succeeds");
	post.actual_weight.expect("close reports its weight")
}

fn dispatched() -> Vec<(ProposalId, DispatchResult)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Governance(Event::CallDispatched { proposal, result }) => {
				Some((proposal, result))
			}
			_ => None,
		})
		.collect()
}

#[test]
fn passed_call_proposal_dispatches_as_root() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		// Root-only: only a root dispatch can have this effect.
		let call = force_set_balance(7, 4_242);
		let id = propose_call(call.clone());
		assert_eq!(deposit_held(ALICE), PROPOSAL_DEPOSIT);
		let subject = Proposals::<Test>::get(id).unwrap().subject;
		assert_eq!(subject, ProposalSubject::Call(call.encode().try_into().unwrap()));
		assert_eq!(
			last_event(),
			Event::Proposed { proposal: id, proposer: ALICE, subject, ends_at: 1 + VOTING_PERIOD }
				.into()
		);

		let used = decide(id, true);
		assert_eq!(Balances::free_balance(7), 4_242);
		assert_eq!(dispatched(), vec![(id, Ok(()))]);
		assert_eq!(Proposals::<Test>::get(id).unwrap().status, ProposalStatus::Approved);
		// The deposit came back.
		assert_eq!(deposit_held(ALICE), 0);
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE);
		// Declared: room for the heaviest call; charged: what this one used.
		let declared = crate::Call::<Test>::close { proposal: id }.get_dispatch_info().call_weight;
		assert_eq!(
			declared,
			<() as WeightInfo>::close()
				.max(<() as WeightInfo>::close_call())
				.saturating_add(MaxCallWeight::get())
		);
		assert_eq!(
			used,
			<() as WeightInfo>::close_call().saturating_add(call.get_dispatch_info().call_weight)
		);
		assert!(used.all_lt(declared));
	});
}

#[test]
fn rejected_call_proposal_does_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		let id = propose_call(force_set_balance(7, 4_242));
		let used = decide(id, false);
		assert_eq!(Balances::free_balance(7), 0);
		assert!(dispatched().is_empty());
		assert_eq!(Proposals::<Test>::get(id).unwrap().status, ProposalStatus::Rejected);
		assert_eq!(used, <() as WeightInfo>::close_call());
		// The deposit went to the treasury, as for a failed parameter proposal.
		assert_eq!(Balances::total_balance(&ALICE), INITIAL_BALANCE - PROPOSAL_DEPOSIT);
		assert_eq!(Balances::balance(&TREASURY), INITIAL_BALANCE + PROPOSAL_DEPOSIT);
		assert!(System::events()
			.iter()
			.any(|r| r.event
				== Event::DepositSlashed { proposal: id, amount: PROPOSAL_DEPOSIT }.into()));
	});
}

#[test]
fn calls_outside_the_filter_or_the_bounds_are_refused() {
	new_test_ext().execute_with(|| {
		let refuse = |call: RuntimeCall, error: Error<Test>| {
			assert_noop!(
				Governance::propose_call(RuntimeOrigin::signed(ALICE), Box::new(call)),
				error
			);
		};
		refuse(
			RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
				dest: 7,
				value: 1,
			}),
			Error::<Test>::CallNotAllowed,
		);
		refuse(
			RuntimeCall::System(frame_system::Call::kill_storage { keys: vec![] }),
			Error::<Test>::CallNotAllowed,
		);
		// Exactly MaxCallLen bytes encoded is fine, one more is not.
		let longest = remark(MAX_CALL_LEN as usize - 4);
		assert_eq!(longest.encoded_size(), MAX_CALL_LEN as usize);
		refuse(remark(MAX_CALL_LEN as usize - 3), Error::<Test>::CallTooLong);
		// Too heavy in time, or in proof size.
		MaxCallWeight::set(Weight::from_parts(1_000, u64::MAX));
		refuse(remark(1), Error::<Test>::CallTooHeavy);
		MaxCallWeight::set(Weight::from_parts(u64::MAX, 100));
		refuse(force_set_balance(7, 1), Error::<Test>::CallTooHeavy);
		MaxCallWeight::set(Weight::from_parts(100_000_000_000, 1_000_000));
		// Signed only, and the deposit must be there.
		assert_noop!(
			Governance::propose_call(RuntimeOrigin::root(), Box::new(remark(1))),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Governance::propose_call(RuntimeOrigin::signed(42), Box::new(remark(1))),
			Error::<Test>::InsufficientBalance
		);
		assert_eq!(NextProposalId::<Test>::get(), 0);
		assert_eq!(propose_call(longest), 0);
	});
}

#[test]
fn failing_call_is_reported_and_the_close_succeeds() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		// Admitted by the filter, but it wants a signed origin.
		let id = propose_call(RuntimeCall::System(frame_system::Call::remark_with_event {
			remark: vec![1, 2, 3],
		}));
		decide(id, true);
		assert_eq!(dispatched(), vec![(id, Err(sp_runtime::DispatchError::BadOrigin))]);
		assert_eq!(Proposals::<Test>::get(id).unwrap().status, ProposalStatus::Approved);
		// Approved: the deposit comes back whatever the call did.
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE);
	});
}

#[test]
fn call_changed_by_an_upgrade_is_reported_not_dispatched() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 1_000));
		let garbled = propose_call(force_set_balance(7, 1));
		let heavy = propose_call(force_set_balance(8, 1));
		let allowed = propose_call(force_set_balance(9, 1));
		// As if an upgrade removed the call's pallet ...
		Proposals::<Test>::mutate(garbled, |p| {
			p.as_mut().unwrap().subject = ProposalSubject::Call(vec![0xff, 0].try_into().unwrap())
		});
		for id in [garbled, heavy, allowed] {
			assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), id, true, 1_000));
		}
		run_to(1 + VOTING_PERIOD);
		assert_ok!(Governance::close(RuntimeOrigin::signed(CHARLIE), garbled));
		// ... lowered the weight bound ...
		MaxCallWeight::set(Weight::from_parts(1_000, 1_000_000));
		assert_ok!(Governance::close(RuntimeOrigin::signed(CHARLIE), heavy));
		// ... or narrowed the filter (here: a call the filter no longer admits).
		Proposals::<Test>::mutate(allowed, |p| {
			let call = RuntimeCall::System(frame_system::Call::kill_storage { keys: vec![] });
			p.as_mut().unwrap().subject = ProposalSubject::Call(call.encode().try_into().unwrap())
		});
		assert_ok!(Governance::close(RuntimeOrigin::signed(CHARLIE), allowed));
		assert_eq!(
			dispatched(),
			vec![
				(garbled, Err(Error::<Test>::CallUndecodable.into())),
				(heavy, Err(Error::<Test>::CallTooHeavy.into())),
				(allowed, Err(Error::<Test>::CallNotAllowed.into())),
			]
		);
		assert_eq!(Balances::free_balance(8), 0);
		assert_eq!(Balances::balance(&ALICE), INITIAL_BALANCE);
	});
}

#[test]
fn stake_added_during_the_vote_does_not_raise_the_quorum() {
	new_test_ext().execute_with(|| {
		assert_ok!(Governance::stake(RuntimeOrigin::signed(BOB), 300));
		assert_ok!(Governance::stake(RuntimeOrigin::signed(CHARLIE), 700));
		let id = propose(split(60, 20, 20));
		assert_eq!(Proposals::<Test>::get(id).unwrap().electorate, 1_000);
		// 300 of 1_000 turn out: above the 20% quorum.
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), id, true, 300));
		// A whale stakes in the last block without voting: measured now, the quorum would be
		// 20% of 100_000 and the proposal would fail.
		run_to(VOTING_PERIOD);
		assert_ok!(Governance::stake(RuntimeOrigin::signed(CHARLIE), 99_000));
		run_to(1 + VOTING_PERIOD);
		assert_ok!(Governance::close(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(
			last_event(),
			Event::Closed { proposal: id, approved: true, ayes: 300, nays: 0, turnout_quorum: 200 }
				.into()
		);
		assert_eq!(Governance::fee_split().model, Perbill::from_percent(60));
		// Late stake still votes: it can sink a proposal by voting against it.
		let next = propose(split(50, 25, 25));
		assert_eq!(Proposals::<Test>::get(next).unwrap().electorate, 100_000);
		assert_ok!(Governance::vote(RuntimeOrigin::signed(BOB), next, true, 300));
		assert_ok!(Governance::stake(RuntimeOrigin::signed(ALICE), 30_000));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(ALICE), next, false, 30_000));
		run_to(1 + 2 * VOTING_PERIOD);
		assert_ok!(Governance::close(RuntimeOrigin::signed(CHARLIE), next));
		assert_eq!(Proposals::<Test>::get(next).unwrap().status, ProposalStatus::Rejected);
	});
}

#[test]
fn migration_to_v2_records_an_electorate() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		StorageVersion::new(1).put::<Governance>();
		TotalStake::<Test>::put(1_234);
		// A version 1 proposal: the fields of today's but the electorate.
		let subject =
			ProposalSubject::<Balance, ConstU32<MAX_CALL_LEN>>::Parameter(split(60, 20, 20));
		let v1 = (
			ALICE,
			subject.clone(),
			PROPOSAL_DEPOSIT,
			11u64,
			5u128,
			3u128,
			ProposalStatus::Ongoing,
		);
		frame_support::storage::unhashed::put_raw(
			&Proposals::<Test>::hashed_key_for(4),
			&v1.encode(),
		);
		crate::migrations::MigrateToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Governance::on_chain_storage_version(), 2);
		assert_eq!(
			Proposals::<Test>::get(4),
			Some(Proposal {
				proposer: ALICE,
				subject,
				deposit: PROPOSAL_DEPOSIT,
				ends_at: 11,
				ayes: 5,
				nays: 3,
				status: ProposalStatus::Ongoing,
				electorate: 1_234,
			})
		);
		// Run again, it does nothing.
		TotalStake::<Test>::put(9);
		crate::migrations::MigrateToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Proposals::<Test>::get(4).unwrap().electorate, 1_234);
	});
}
