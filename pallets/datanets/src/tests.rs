use crate::{mock::*, *};
// The pallet, not its storage map of the same name.
use crate::mock::Datanets;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_core::H256;
use sp_runtime::{Perbill, TokenError};

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn create(owner: AccountId, min_stake: Balance, curators: Vec<AccountId>) -> DatanetId {
	let id = NextDatanetId::<Test>::get();
	assert_ok!(Datanets::create_datanet(
		RuntimeOrigin::signed(owner),
		b"sentiment".to_vec(),
		b"reviews".to_vec(),
		b"movie review snippets".to_vec(),
		b"jsonl:text,label".to_vec(),
		min_stake,
		curators,
	));
	id
}

fn contribute(who: AccountId, datanet: DatanetId, content: u8, stake: Balance) -> ContributionId {
	let id = NextContributionId::<Test>::get();
	assert_ok!(Datanets::contribute(
		RuntimeOrigin::signed(who),
		datanet,
		hash(content),
		100,
		b"lang=en".to_vec(),
		stake,
	));
	id
}

fn held(who: AccountId, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Datanets(reason), &who)
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

#[test]
fn create_datanet_holds_deposit_and_records_rules() {
	new_test_ext().execute_with(|| {
		let id = create(ALICE, 10, vec![BOB]);
		assert_eq!(id, 0);
		let net = Datanets::datanet(id).unwrap();
		assert_eq!(net.owner, ALICE);
		assert_eq!(net.name.to_vec(), b"sentiment".to_vec());
		assert_eq!(net.schema.to_vec(), b"jsonl:text,label".to_vec());
		assert_eq!(net.rules.min_stake, 10);
		assert_eq!(net.rules.curators.to_vec(), vec![BOB]);
		assert_eq!(net.deposit, DATANET_DEPOSIT);
		assert_eq!(held(ALICE, HoldReason::DatanetDeposit), DATANET_DEPOSIT);
		assert_eq!(last_event(), Event::DatanetCreated { datanet: 0, owner: ALICE }.into());
		assert_eq!(create(BOB, 0, vec![]), 1);
	});
}

#[test]
fn create_datanet_rejects_bad_input() {
	new_test_ext().execute_with(|| {
		let o = || RuntimeOrigin::signed(ALICE);
		assert_noop!(
			Datanets::create_datanet(o(), vec![], vec![], vec![], vec![], 0, vec![]),
			Error::<Test>::EmptyName
		);
		assert_noop!(
			Datanets::create_datanet(o(), vec![b'n'; 17], vec![], vec![], vec![], 0, vec![]),
			Error::<Test>::TooLong
		);
		assert_noop!(
			Datanets::create_datanet(o(), b"n".to_vec(), vec![], vec![b'd'; 65], vec![], 0, vec![]),
			Error::<Test>::TooLong
		);
		assert_noop!(
			Datanets::create_datanet(o(), b"n".to_vec(), vec![], vec![], vec![], 0, vec![1, 2, 3]),
			Error::<Test>::TooManyCurators
		);
		assert_noop!(
			Datanets::create_datanet(o(), b"n".to_vec(), vec![], vec![], vec![], 0, vec![2, 2]),
			Error::<Test>::DuplicateCurator
		);
		// An account that cannot cover the deposit.
		assert_noop!(
			Datanets::create_datanet(
				RuntimeOrigin::signed(42),
				b"n".to_vec(),
				vec![],
				vec![],
				vec![],
				0,
				vec![]
			),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn update_rules_is_owner_only() {
	new_test_ext().execute_with(|| {
		let id = create(ALICE, 10, vec![]);
		assert_noop!(
			Datanets::update_rules(RuntimeOrigin::signed(BOB), id, 0, vec![]),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Datanets::update_rules(RuntimeOrigin::signed(ALICE), 7, 0, vec![]),
			Error::<Test>::UnknownDatanet
		);
		assert_noop!(
			Datanets::update_rules(RuntimeOrigin::signed(ALICE), id, 0, vec![BOB, BOB]),
			Error::<Test>::DuplicateCurator
		);
		assert_ok!(Datanets::update_rules(RuntimeOrigin::signed(ALICE), id, 5, vec![CHARLIE]));
		let net = Datanets::datanet(id).unwrap();
		assert_eq!(net.rules.min_stake, 5);
		assert!(net.is_curator(&CHARLIE) && net.is_curator(&ALICE) && !net.is_curator(&BOB));
		assert_eq!(
			last_event(),
			Event::RulesUpdated { datanet: id, min_stake: 5, curators: 1 }.into()
		);
	});
}

#[test]
fn contribute_records_provenance_and_holds_stake() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 10, vec![]);
		let id = contribute(BOB, net, 1, 25);
		let c = Contributions::<Test>::get(id).unwrap();
		assert_eq!(c.datanet, net);
		assert_eq!(c.contributor, BOB);
		assert_eq!(c.content_hash, hash(1));
		assert_eq!(c.size, 100);
		assert_eq!(c.metadata.to_vec(), b"lang=en".to_vec());
		assert_eq!(c.stake, 25);
		assert_eq!(c.status, ContributionStatus::Pending);
		assert_eq!(c.submitted_at, 1);
		assert_eq!(c.timestamp_ms, 1_700_000_000_000);
		assert_eq!(held(BOB, HoldReason::ContributionStake), 25);
		assert_eq!(Balances::balance(&BOB), INITIAL_BALANCE - 25);
		assert_eq!(ContentIndex::<Test>::get(net, hash(1)), Some(id));
		let stats = Datanets::datanet(net).unwrap().stats;
		assert_eq!((stats.contributions, stats.pending, stats.accepted), (1, 1, 0));
		assert_eq!(
			last_event(),
			Event::Contributed {
				datanet: net,
				contribution: id,
				contributor: BOB,
				content_hash: hash(1),
				stake: 25
			}
			.into()
		);
		// Ids are global across Datanets and listed per Datanet and per contributor.
		let other = create(CHARLIE, 0, vec![]);
		let second = contribute(BOB, other, 1, 0);
		assert_eq!(second, id + 1);
		assert_eq!(
			Datanets::datanet_contributions(net, 0, 10)
				.into_iter()
				.map(|(i, _)| i)
				.collect::<Vec<_>>(),
			vec![id]
		);
		assert_eq!(
			Datanets::contributor_contributions(&BOB, 0, 10)
				.into_iter()
				.map(|(i, _)| i)
				.collect::<Vec<_>>(),
			vec![id, second]
		);
	});
}

#[test]
fn contribute_rejects_bad_input() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 10, vec![]);
		let o = || RuntimeOrigin::signed(BOB);
		assert_noop!(
			Datanets::contribute(o(), 9, hash(1), 100, vec![], 10),
			Error::<Test>::UnknownDatanet
		);
		assert_noop!(
			Datanets::contribute(o(), net, hash(1), 100, vec![], 9),
			Error::<Test>::StakeTooLow
		);
		assert_noop!(
			Datanets::contribute(o(), net, hash(1), 0, vec![], 10),
			Error::<Test>::BadContentSize
		);
		assert_noop!(
			Datanets::contribute(o(), net, hash(1), 1025, vec![], 10),
			Error::<Test>::BadContentSize
		);
		assert_noop!(
			Datanets::contribute(o(), net, hash(1), 100, vec![0; 33], 10),
			Error::<Test>::TooLong
		);
		assert_noop!(
			Datanets::contribute(o(), net, hash(1), 100, vec![], INITIAL_BALANCE * 2),
			Error::<Test>::InsufficientBalance
		);
		contribute(BOB, net, 1, 10);
		assert_noop!(
			Datanets::contribute(RuntimeOrigin::signed(CHARLIE), net, hash(1), 100, vec![], 10),
			Error::<Test>::DuplicateContent
		);
		for n in 2..=5 {
			contribute(CHARLIE, net, n, 10);
		}
		assert_noop!(
			Datanets::contribute(o(), net, hash(6), 100, vec![], 10),
			Error::<Test>::DatanetFull
		);
	});
}

#[test]
fn accept_counts_contribution_and_keeps_stake() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 0, vec![DAVE]);
		let id = contribute(BOB, net, 1, 40);
		assert_noop!(
			Datanets::accept(RuntimeOrigin::signed(CHARLIE), id, Perbill::one()),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			Datanets::accept(RuntimeOrigin::signed(DAVE), 77, Perbill::one()),
			Error::<Test>::UnknownContribution
		);
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(DAVE), id, Perbill::from_percent(80)));
		assert_eq!(
			last_event(),
			Event::Accepted { contribution: id, curator: DAVE, quality: Perbill::from_percent(80) }
				.into()
		);
		let c = Contributions::<Test>::get(id).unwrap();
		assert_eq!(c.status, ContributionStatus::Accepted);
		assert_eq!(c.curator, Some(DAVE));
		assert!(Datanets::is_accepted(id));
		assert_eq!(held(BOB, HoldReason::ContributionStake), 40);
		let stats = Datanets::datanet(net).unwrap().stats;
		assert_eq!((stats.pending, stats.accepted, stats.accepted_stake), (0, 1, 40));
		assert_eq!(Datanets::credibility(net), Some(Perbill::from_percent(80)));
		assert_noop!(
			Datanets::accept(RuntimeOrigin::signed(ALICE), id, Perbill::one()),
			Error::<Test>::InvalidStatus
		);
	});
}

#[test]
fn credibility_is_the_stake_weighted_quality_of_eq_4() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 0, vec![]);
		assert_eq!(Datanets::credibility(net), Some(Perbill::zero()));
		assert_eq!(Datanets::credibility(5), None);
		// Weights 1/4 and 3/4: C = 0.25·0.9 + 0.75·0.5 = 0.6.
		let a = contribute(BOB, net, 1, 100);
		let b = contribute(CHARLIE, net, 2, 300);
		let pending = contribute(DAVE, net, 3, 1_000);
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), a, Perbill::from_percent(90)));
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), b, Perbill::from_percent(50)));
		assert_eq!(Datanets::credibility(net), Some(Perbill::from_percent(60)));
		// Pending contributions do not count; rejecting one changes nothing.
		assert_ok!(Datanets::reject(RuntimeOrigin::signed(ALICE), pending));
		assert_eq!(Datanets::credibility(net), Some(Perbill::from_percent(60)));
		// Exact rounding down: weights 1/3, 2/3 with qualities 1 and 0 give 333_333_333 ppb.
		let net2 = create(ALICE, 0, vec![]);
		let x = contribute(BOB, net2, 4, 1);
		let y = contribute(CHARLIE, net2, 5, 2);
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), x, Perbill::one()));
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), y, Perbill::zero()));
		assert_eq!(Datanets::credibility(net2), Some(Perbill::from_parts(333_333_333)));
		// No stake at all: equal weights.
		let net3 = create(ALICE, 0, vec![]);
		let p = contribute(BOB, net3, 6, 0);
		let q = contribute(CHARLIE, net3, 7, 0);
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), p, Perbill::from_percent(20)));
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), q, Perbill::from_percent(60)));
		assert_eq!(Datanets::credibility(net3), Some(Perbill::from_percent(40)));
	});
}

#[test]
fn set_quality_rescores_accepted_only() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 0, vec![]);
		let a = contribute(BOB, net, 1, 10);
		let b = contribute(CHARLIE, net, 2, 10);
		assert_noop!(
			Datanets::set_quality(RuntimeOrigin::signed(ALICE), a, Perbill::one()),
			Error::<Test>::InvalidStatus
		);
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), a, Perbill::from_percent(10)));
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), b, Perbill::from_percent(30)));
		assert_noop!(
			Datanets::set_quality(RuntimeOrigin::signed(BOB), a, Perbill::one()),
			Error::<Test>::NotCurator
		);
		assert_ok!(Datanets::set_quality(
			RuntimeOrigin::signed(ALICE),
			a,
			Perbill::from_percent(70)
		));
		assert_eq!(Contributions::<Test>::get(a).unwrap().quality, Perbill::from_percent(70));
		assert_eq!(Datanets::credibility(net), Some(Perbill::from_percent(50)));
		assert_eq!(
			last_event(),
			Event::QualityUpdated {
				contribution: a,
				curator: ALICE,
				quality: Perbill::from_percent(70)
			}
			.into()
		);
	});
}

#[test]
fn reject_releases_stake() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 5, vec![]);
		let id = contribute(BOB, net, 1, 50);
		assert_noop!(Datanets::reject(RuntimeOrigin::signed(BOB), id), Error::<Test>::NotCurator);
		assert_ok!(Datanets::reject(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(held(BOB, HoldReason::ContributionStake), 0);
		assert_eq!(Balances::balance(&BOB), INITIAL_BALANCE);
		assert_eq!(Contributions::<Test>::get(id).unwrap().status, ContributionStatus::Rejected);
		assert_eq!(Datanets::datanet(net).unwrap().stats.pending, 0);
		assert_eq!(last_event(), Event::Rejected { contribution: id, curator: ALICE }.into());
		assert_noop!(
			Datanets::reject(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::InvalidStatus
		);
	});
}

#[test]
fn slash_sends_stake_to_treasury_and_uncounts() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 0, vec![]);
		let pending = contribute(BOB, net, 1, 50);
		let accepted = contribute(CHARLIE, net, 2, 70);
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), accepted, Perbill::one()));
		let issuance = Balances::total_issuance();

		assert_noop!(
			Datanets::slash(RuntimeOrigin::signed(BOB), pending),
			Error::<Test>::NotCurator
		);
		assert_ok!(Datanets::slash(RuntimeOrigin::signed(ALICE), pending));
		assert_eq!(
			last_event(),
			Event::Slashed { contribution: pending, curator: ALICE, amount: 50 }.into()
		);
		assert_ok!(Datanets::slash(RuntimeOrigin::signed(ALICE), accepted));
		assert_eq!(Balances::balance(&TREASURY), INITIAL_BALANCE + 120);
		assert_eq!(Balances::total_balance(&BOB), INITIAL_BALANCE - 50);
		assert_eq!(Balances::total_balance(&CHARLIE), INITIAL_BALANCE - 70);
		// Nothing minted, nothing lost.
		assert_eq!(Balances::total_issuance(), issuance);
		let stats = Datanets::datanet(net).unwrap().stats;
		assert_eq!((stats.pending, stats.accepted, stats.accepted_stake), (0, 0, 0));
		assert_eq!(Datanets::credibility(net), Some(Perbill::zero()));
		assert_noop!(
			Datanets::slash(RuntimeOrigin::signed(ALICE), accepted),
			Error::<Test>::InvalidStatus
		);
	});
}

#[test]
fn withdraw_releases_stake_and_keeps_provenance() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 0, vec![]);
		let a = contribute(BOB, net, 1, 30);
		let b = contribute(BOB, net, 2, 20);
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(ALICE), a, Perbill::one()));
		assert_noop!(
			Datanets::withdraw(RuntimeOrigin::signed(CHARLIE), a),
			Error::<Test>::NotContributor
		);
		assert_noop!(
			Datanets::withdraw(RuntimeOrigin::signed(BOB), 55),
			Error::<Test>::UnknownContribution
		);
		assert_ok!(Datanets::withdraw(RuntimeOrigin::signed(BOB), a));
		assert_ok!(Datanets::withdraw(RuntimeOrigin::signed(BOB), b));
		assert_eq!(last_event(), Event::Withdrawn { contribution: b, contributor: BOB }.into());
		assert_eq!(held(BOB, HoldReason::ContributionStake), 0);
		assert_eq!(Balances::balance(&BOB), INITIAL_BALANCE);
		let record = Contributions::<Test>::get(a).unwrap();
		assert_eq!((record.status, record.content_hash), (ContributionStatus::Withdrawn, hash(1)));
		let stats = Datanets::datanet(net).unwrap().stats;
		assert_eq!((stats.contributions, stats.pending, stats.accepted), (2, 0, 0));
		assert_noop!(
			Datanets::withdraw(RuntimeOrigin::signed(BOB), a),
			Error::<Test>::InvalidStatus
		);
	});
}

#[test]
fn stake_cannot_be_spent_while_held() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 0, vec![]);
		contribute(BOB, net, 1, INITIAL_BALANCE - 10);
		assert_noop!(
			<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
				&BOB,
				&CHARLIE,
				100,
				frame_support::traits::tokens::Preservation::Expendable
			),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn pages_are_in_submission_order_and_capped() {
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 0, vec![]);
		let ids: Vec<_> = (1..=5).map(|n| contribute(BOB, net, n, 0)).collect();
		let page = |from, limit| {
			Datanets::datanet_contributions(net, from, limit)
				.into_iter()
				.map(|(i, _)| i)
				.collect::<Vec<_>>()
		};
		assert_eq!(page(0, 2), ids[..2].to_vec());
		assert_eq!(page(ids[2], 10), ids[2..].to_vec());
		assert_eq!(page(0, 0), Vec::<ContributionId>::new());
	});
}

#[test]
fn stats_arithmetic_refuses_overflow() {
	let mut stats = DatanetStats::default();
	assert_eq!(stats.try_add_accepted(u128::MAX, Perbill::one()), None);
	assert_eq!(stats, DatanetStats::default());
	assert_eq!(stats.try_add_accepted(u128::MAX / 2_000_000_000, Perbill::one()), Some(()));
	assert_eq!(stats.credibility(), Perbill::one());
}

#[test]
fn attribution_sees_only_accepted_contributions_with_their_contributor() {
	use openledger_primitives::ContributionInspect;
	new_test_ext().execute_with(|| {
		let net = create(ALICE, 0, vec![DAVE]);
		let accepted = contribute(BOB, net, 1, 40);
		let rejected = contribute(CHARLIE, net, 2, 40);
		let pending = contribute(CHARLIE, net, 3, 40);
		assert_ok!(Datanets::accept(RuntimeOrigin::signed(DAVE), accepted, Perbill::one()));
		assert_ok!(Datanets::reject(RuntimeOrigin::signed(DAVE), rejected));
		assert_eq!(<Datanets as ContributionInspect<_>>::accepted(accepted), Some((net, BOB)));
		assert_eq!(<Datanets as ContributionInspect<_>>::accepted(rejected), None);
		assert_eq!(<Datanets as ContributionInspect<_>>::accepted(pending), None);
		assert_eq!(<Datanets as ContributionInspect<_>>::accepted(999), None);
	});
}
