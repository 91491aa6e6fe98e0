use crate::{
	mock::*, AttributedContribution, ContributionEarnings, ContributorEarnings, Earnings, Error,
	Event, Records, Settlement, Workers,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use openledger_primitives::{FeeBreakdown, InferenceEscrow, RequestId};
use pallet_fee_split::InferenceRequest;
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};

fn register(worker: AccountId, models: Vec<u32>) {
	assert_ok!(Attribution::register_worker(
		RuntimeOrigin::signed(worker),
		MIN_WORKER_STAKE,
		models
	));
}

fn request_for(model: u32, nonce: u64) -> RequestId {
	let request = InferenceRequest {
		model,
		prompt_hash: H256::repeat_byte(3),
		max_output_tokens: 2_000,
		max_fee: 2 * OPEN,
		nonce,
		expires_at: 20,
	};
	assert_ok!(FeeSplit::request_inference(RuntimeOrigin::signed(USER), request.clone()));
	FeeSplit::request_id(&USER, &request)
}

fn settle(
	worker: AccountId,
	request: RequestId,
	influences: Vec<(u64, i128)>,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Attribution::settle(
		RuntimeOrigin::signed(worker),
		request,
		800,
		1_200,
		H256::repeat_byte(9),
		influences,
		1,
	)
}

fn batch_item(request: RequestId, influences: Vec<(u64, i128)>) -> Settlement {
	Settlement {
		request,
		tokens_in: 800,
		tokens_out: 1_200,
		output_hash: H256::repeat_byte(9),
		influences,
		stakers_witness: 1,
	}
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

#[test]
fn a_worker_settles_the_worked_example_and_leaves_a_record() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		add_stake(MODEL, STAKER, 10 * OPEN);
		let request = request_for(MODEL, 0);
		// Contribution 10 (A) has w = 0.25, 11 (B) 0.75. An unknown contribution anywhere in the
		// list refuses the whole settlement, even with a negative influence.
		assert_noop!(
			settle(WORKER, request, vec![(10, 1_000), (11, 3_000), (12, -5)]),
			Error::<Test>::UnknownContribution
		);
		assert_ok!(settle(WORKER, request, vec![(10, 1_000), (11, 3_000)]));

		let breakdown = FeeBreakdown {
			fee: 1_140 * OPEN / 1_000,
			refund: 860 * OPEN / 1_000,
			platform: OPEN / 2,
			model_owner: 448 * OPEN / 1_000,
			stakers: 64 * OPEN / 1_000,
			contributors: 128 * OPEN / 1_000,
			remainder: 0,
		};
		let record = Records::<Test>::get(request).unwrap();
		assert_eq!(record.model, MODEL);
		assert_eq!(record.version, 0);
		assert_eq!(record.user, USER);
		assert_eq!(record.worker, WORKER);
		assert_eq!((record.tokens_in, record.tokens_out), (800, 1_200));
		assert_eq!(record.output_hash, H256::repeat_byte(9));
		assert_eq!(record.breakdown, breakdown);
		assert_eq!(
			record.contributions.to_vec(),
			vec![
				AttributedContribution {
					contribution: 10,
					contributor: CONTRIBUTOR_A,
					influence: 1_000,
					weight: Perbill::from_percent(25),
					paid: 32 * OPEN / 1_000,
				},
				AttributedContribution {
					contribution: 11,
					contributor: CONTRIBUTOR_B,
					influence: 3_000,
					weight: Perbill::from_percent(75),
					paid: 96 * OPEN / 1_000,
				},
			]
		);
		assert_eq!(free(USER), INITIAL_BALANCE - 1_140 * OPEN / 1_000);
		assert_eq!(free(OWNER), INITIAL_BALANCE + 448 * OPEN / 1_000);
		assert_eq!(free(STAKER), 64 * OPEN / 1_000);
		assert_eq!(free(CONTRIBUTOR_A), 32 * OPEN / 1_000);
		assert_eq!(free(CONTRIBUTOR_B), 96 * OPEN / 1_000);
		assert_eq!(free(TREASURY), INITIAL_BALANCE + OPEN / 2);
		System::assert_last_event(
			Event::InferenceAttributed {
				request,
				model: MODEL,
				version: 0,
				worker: WORKER,
				output_hash: H256::repeat_byte(9),
				fee: 1_140 * OPEN / 1_000,
				contributions: 2,
			}
			.into(),
		);

		// Queries: by request, by model, by contributor, by contribution.
		assert_eq!(Attribution::model_records(MODEL, 0, 10), vec![(request, record.clone())]);
		assert_eq!(
			Attribution::contributor_records(&CONTRIBUTOR_A, 0, 10),
			vec![(request, record)]
		);
		assert_eq!(
			ContributorEarnings::<Test>::get(CONTRIBUTOR_B),
			Earnings { total: 96 * OPEN / 1_000, outputs: 1 }
		);
		assert_eq!(
			ContributionEarnings::<Test>::get(10),
			Earnings { total: 32 * OPEN / 1_000, outputs: 1 }
		);
	});
}

#[test]
fn only_positive_influence_is_kept_and_paid() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = request_for(MODEL, 0);
		assert_ok!(settle(WORKER, request, vec![(10, 0), (11, -7)]));
		let record = Records::<Test>::get(request).unwrap();
		assert!(record.contributions.is_empty());
		assert_eq!(record.breakdown.contributors, 0);
		// δ and γ (no stakers) went to the treasury.
		assert_eq!(record.breakdown.remainder, 192 * OPEN / 1_000);
		assert_eq!(free(CONTRIBUTOR_B), 0);
		assert_eq!(ContributorEarnings::<Test>::get(CONTRIBUTOR_B), Earnings::default());
	});
}

#[test]
fn earnings_add_up_over_answers_and_count_an_account_once_per_answer() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL, OTHER_MODEL]);
		accept(13, 0, CONTRIBUTOR_A);
		let first = request_for(MODEL, 0);
		let second = request_for(OTHER_MODEL, 1);
		// A has two contributions behind the first answer.
		assert_ok!(settle(WORKER, first, vec![(10, 1), (13, 1), (11, 2)]));
		assert_ok!(settle(WORKER, second, vec![(20, 5)]));
		let earnings = ContributorEarnings::<Test>::get(CONTRIBUTOR_A);
		assert_eq!(earnings.outputs, 2);
		assert_eq!(earnings.total, 32 * OPEN / 1_000 + 32 * OPEN / 1_000 + 128 * OPEN / 1_000);
		assert_eq!(free(CONTRIBUTOR_A), earnings.total);
		let records = Attribution::contributor_records(&CONTRIBUTOR_A, 0, 10);
		assert_eq!(records.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![first, second]);
		assert_eq!(Attribution::contributor_records(&CONTRIBUTOR_A, 1, 10).len(), 1);
		assert_eq!(Attribution::model_records(OTHER_MODEL, 0, 10).len(), 1);
		assert_eq!(Attribution::model_records(MODEL, 1, 10).len(), 0);
	});
}

#[test]
fn only_a_registered_worker_serving_the_model_settles_once() {
	new_test_ext().execute_with(|| {
		let request = request_for(MODEL, 0);
		assert_noop!(settle(WORKER, request, vec![]), Error::<Test>::NotWorker);
		register(OTHER_WORKER, vec![OTHER_MODEL]);
		assert_noop!(settle(OTHER_WORKER, request, vec![]), Error::<Test>::NotServingModel);
		register(WORKER, vec![MODEL]);
		assert_noop!(settle(WORKER, H256::repeat_byte(1), vec![]), Error::<Test>::UnknownRequest);
		assert_ok!(settle(WORKER, request, vec![]));
		assert_noop!(settle(WORKER, request, vec![]), Error::<Test>::AlreadySettled);
	});
}

#[test]
fn a_settlement_with_bad_contributions_is_refused_whole() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = request_for(MODEL, 0);
		assert_noop!(settle(WORKER, request, vec![(99, 1)]), Error::<Test>::UnknownContribution);
		// 20 is in Datanet 1, which MODEL does not train on.
		assert_noop!(settle(WORKER, request, vec![(20, 1)]), Error::<Test>::ContributionNotInModel);
		assert_noop!(
			settle(WORKER, request, vec![(10, 1), (10, 2)]),
			Error::<Test>::DuplicateContribution
		);
		assert_noop!(
			settle(WORKER, request, vec![(10, 1), (11, 1), (10, 1), (11, 1), (10, 1)]),
			Error::<Test>::TooManyContributions
		);
		// Over the user's max output tokens or max fee: refused by the escrow.
		assert_noop!(
			Attribution::settle(
				RuntimeOrigin::signed(WORKER),
				request,
				0,
				2_001,
				H256::zero(),
				vec![],
				0
			),
			pallet_fee_split::Error::<Test>::TooManyOutputTokens
		);
		assert_noop!(
			Attribution::settle(
				RuntimeOrigin::signed(WORKER),
				request,
				100_000,
				0,
				H256::zero(),
				vec![],
				0
			),
			pallet_fee_split::Error::<Test>::FeeAboveMax
		);
		add_stake(MODEL, STAKER, OPEN);
		assert_noop!(
			Attribution::settle(
				RuntimeOrigin::signed(WORKER),
				request,
				1,
				1,
				H256::zero(),
				vec![],
				0
			),
			Error::<Test>::StakersWitnessTooLow
		);
		// Nothing moved.
		assert_eq!(free(USER), INITIAL_BALANCE - 2 * OPEN);
	});
}

#[test]
fn workers_register_with_stake_for_served_models() {
	new_test_ext().execute_with(|| {
		let worker = RuntimeOrigin::signed(WORKER);
		assert_noop!(
			Attribution::register_worker(worker.clone(), MIN_WORKER_STAKE - 1, vec![MODEL]),
			Error::<Test>::StakeTooLow
		);
		assert_noop!(
			Attribution::register_worker(worker.clone(), MIN_WORKER_STAKE, vec![7]),
			Error::<Test>::ModelNotServed
		);
		assert_noop!(
			Attribution::register_worker(worker.clone(), MIN_WORKER_STAKE, vec![MODEL, MODEL]),
			Error::<Test>::DuplicateModel
		);
		assert_noop!(
			Attribution::register_worker(worker.clone(), MIN_WORKER_STAKE, vec![0, 1, 2]),
			Error::<Test>::TooManyModels
		);
		assert_noop!(
			Attribution::register_worker(worker.clone(), INITIAL_BALANCE, vec![MODEL]),
			Error::<Test>::InsufficientBalance
		);
		register(WORKER, vec![MODEL]);
		assert_eq!(
			Balances::balance_on_hold(&crate::HoldReason::WorkerStake.into(), &WORKER),
			MIN_WORKER_STAKE
		);
		assert_noop!(
			Attribution::register_worker(worker.clone(), MIN_WORKER_STAKE, vec![MODEL]),
			Error::<Test>::AlreadyRegistered
		);
		assert_ok!(Attribution::set_worker_models(worker.clone(), vec![MODEL, OTHER_MODEL]));
		assert_eq!(Workers::<Test>::get(WORKER).unwrap().models.to_vec(), vec![MODEL, OTHER_MODEL]);
		assert_noop!(
			Attribution::set_worker_models(RuntimeOrigin::signed(USER), vec![MODEL]),
			Error::<Test>::NotWorker
		);
	});
}

#[test]
fn governance_slashes_a_cheating_worker_who_cannot_escape_by_leaving() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = request_for(MODEL, 0);
		assert_ok!(Attribution::unregister_worker(RuntimeOrigin::signed(WORKER)));
		assert_noop!(settle(WORKER, request, vec![]), Error::<Test>::Unbonding);
		assert_noop!(
			Attribution::withdraw_worker(RuntimeOrigin::signed(WORKER)),
			Error::<Test>::StillUnbonding
		);
		assert_noop!(
			Attribution::slash_worker(RuntimeOrigin::signed(USER), WORKER, OPEN),
			DispatchError::BadOrigin
		);
		assert_ok!(Attribution::slash_worker(RuntimeOrigin::root(), WORKER, 40 * OPEN));
		System::assert_last_event(
			Event::WorkerSlashed { worker: WORKER, amount: 40 * OPEN }.into(),
		);
		assert_eq!(free(TREASURY), INITIAL_BALANCE + 40 * OPEN);
		// More than the stake slashes what there is.
		assert_ok!(Attribution::slash_worker(RuntimeOrigin::root(), WORKER, 1_000 * OPEN));
		System::assert_last_event(
			Event::WorkerSlashed { worker: WORKER, amount: 60 * OPEN }.into(),
		);
		assert_eq!(Workers::<Test>::get(WORKER).unwrap().stake, 0);

		System::set_block_number(1 + UNBONDING);
		assert_ok!(Attribution::withdraw_worker(RuntimeOrigin::signed(WORKER)));
		assert!(Workers::<Test>::get(WORKER).is_none());
		assert_eq!(free(WORKER), INITIAL_BALANCE - MIN_WORKER_STAKE);
	});
}

#[test]
fn an_underbonded_worker_settles_again_after_topping_up() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = request_for(MODEL, 0);
		assert_ok!(Attribution::slash_worker(RuntimeOrigin::root(), WORKER, OPEN));
		assert_noop!(settle(WORKER, request, vec![]), Error::<Test>::StakeTooLow);
		assert_ok!(Attribution::bond_extra(RuntimeOrigin::signed(WORKER), OPEN));
		assert_ok!(settle(WORKER, request, vec![]));
		let worker = Workers::<Test>::get(WORKER).unwrap();
		assert_eq!(worker.stake, MIN_WORKER_STAKE);
	});
}

#[test]
fn a_model_that_stops_being_served_cannot_be_settled_and_refunds_at_expiry() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = request_for(MODEL, 0);
		unserve(MODEL);
		assert_noop!(settle(WORKER, request, vec![]), Error::<Test>::ModelNotServed);
	});
}

#[test]
fn a_batch_settles_each_answer_as_settle_would() {
	// The same two answers, settled one by one and in a batch, leave the same records and pay
	// the same amounts.
	let settle_two = |batched: bool| {
		new_test_ext().execute_with(|| {
			register(WORKER, vec![MODEL]);
			add_stake(MODEL, STAKER, 10 * OPEN);
			let first = request_for(MODEL, 0);
			let second = request_for(MODEL, 1);
			if batched {
				assert_ok!(Attribution::settle_batch(
					RuntimeOrigin::signed(WORKER),
					vec![
						batch_item(first, vec![(10, 3), (11, 1)]),
						batch_item(second, vec![(11, 5)])
					],
				));
				System::assert_last_event(
					Event::BatchSettled { worker: WORKER, settled: 2, failed: 0 }.into(),
				);
			} else {
				assert_ok!(settle(WORKER, first, vec![(10, 3), (11, 1)]));
				assert_ok!(settle(WORKER, second, vec![(11, 5)]));
			}
			let records = [Records::<Test>::get(first), Records::<Test>::get(second)];
			let balances = [USER, OWNER, STAKER, CONTRIBUTOR_A, CONTRIBUTOR_B, TREASURY].map(free);
			(records, balances, ContributorEarnings::<Test>::get(CONTRIBUTOR_B))
		})
	};
	let (one_by_one, batched) = (settle_two(false), settle_two(true));
	assert!(one_by_one.0.iter().all(Option::is_some));
	assert_eq!(one_by_one, batched);
	assert_eq!(batched.2.outputs, 2);
}

#[test]
fn a_refused_settlement_leaves_no_trace_and_the_rest_of_the_batch_stands() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let good = request_for(MODEL, 0);
		let bad = request_for(MODEL, 1);
		let user_before = free(USER);
		assert_ok!(Attribution::settle_batch(
			RuntimeOrigin::signed(WORKER),
			// 20 is in Datanet 1, which MODEL does not train on; 99 does not exist.
			vec![
				batch_item(bad, vec![(10, 1), (20, 1)]),
				batch_item(good, vec![(10, 1)]),
				batch_item(H256::repeat_byte(1), vec![(99, 1)]),
			],
		));
		assert!(Records::<Test>::get(good).is_some());
		assert!(Records::<Test>::get(bad).is_none());
		// Only the good answer was charged (the rest of its 2 OPEN max fee came back); the bad
		// one's max fee is still held.
		assert!(<FeeSplit as InferenceEscrow<_, _>>::pending(&bad).is_some());
		let fee = Records::<Test>::get(good).map(|r| r.breakdown.fee).unwrap_or_default();
		assert!(fee > 0);
		assert_eq!(free(USER), user_before + 2 * OPEN - fee);
		assert_eq!(ContributionEarnings::<Test>::get(10).outputs, 1);
		System::assert_has_event(
			Event::SettlementFailed {
				request: bad,
				error: Error::<Test>::ContributionNotInModel.into(),
			}
			.into(),
		);
		System::assert_has_event(
			Event::SettlementFailed {
				request: H256::repeat_byte(1),
				error: Error::<Test>::UnknownRequest.into(),
			}
			.into(),
		);
		System::assert_last_event(
			Event::BatchSettled { worker: WORKER, settled: 1, failed: 2 }.into(),
		);
		// A settled request in a later batch fails alone: no double settlement.
		assert_ok!(Attribution::settle_batch(
			RuntimeOrigin::signed(WORKER),
			vec![batch_item(good, vec![(10, 1)])],
		));
		System::assert_has_event(
			Event::SettlementFailed { request: good, error: Error::<Test>::AlreadySettled.into() }
				.into(),
		);
		assert_eq!(ContributionEarnings::<Test>::get(10).outputs, 1);
	});
}

#[test]
fn a_batch_is_neither_empty_nor_over_the_limit_and_costs_its_settlements() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		assert_noop!(
			Attribution::settle_batch(RuntimeOrigin::signed(WORKER), vec![]),
			Error::<Test>::EmptyBatch
		);
		let four: Vec<_> = (0..4).map(|n| batch_item(request_for(MODEL, n), vec![])).collect();
		assert_noop!(
			Attribution::settle_batch(RuntimeOrigin::signed(WORKER), four.clone()),
			Error::<Test>::TooManySettlements
		);
		let one = Attribution::settlement_weight(&four[0]);
		assert_eq!(Attribution::settle_batch_weight(&four[..3]), one.saturating_mul(3));
		assert!(one.ref_time() > 0);
	});
}
