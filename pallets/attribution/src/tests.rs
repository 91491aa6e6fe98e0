use crate::{
	mock::*, ApprovedWorkerCount, ApprovedWorkers, AttributedContribution, ContributionEarnings,
	ContributorEarnings, Dispute, Disputes, Earnings, Error, Event, GenesisConfig, HoldReason,
	OpenChallenges, Receipt, Records, ServingPolicy, Settlement, Workers,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::DispatchResultWithPostInfo,
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		Hooks,
	},
};
use openledger_primitives::{receipt_digest, FeeBreakdown, InferenceEscrow, RequestId};
use pallet_fee_split::InferenceRequest;
use sp_core::H256;
use sp_runtime::{
	testing::TestSignature,
	traits::{BlakeTwo256, Hash},
	DispatchError, Perbill,
};

const MILLI: Balance = OPEN / 1_000;
/// The worked example's fee: 800 tokens in, 1200 out, at 0.2 and 0.4 OPEN per 1000, plus the
/// 0.5 OPEN platform fee.
const FEE: Balance = 1_140 * MILLI;
/// What a worker shown wrong is slashed when its stake covers it.
const SLASH: Balance = FEE + DISPUTE_PENALTY;
const TOKENS_IN: u32 = 800;
const TOKENS_OUT: u32 = 1_200;
const PROMPT: &[u8] = b"Who made this answer?";
const ANSWER: &[u8] = b"The data it was trained on.";

fn prompt_hash() -> H256 {
	BlakeTwo256::hash(PROMPT)
}

fn output_hash() -> H256 {
	BlakeTwo256::hash(ANSWER)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn total(who: AccountId) -> Balance {
	Balances::total_balance(&who)
}

fn stake_of(who: AccountId) -> Balance {
	Workers::<Test>::get(who).map(|w| w.stake).unwrap_or_default()
}

fn bond_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &who)
}

/// `worker` approved by OWNER for `models` and registered with the least stake.
fn register(worker: AccountId, models: Vec<u32>) {
	for model in &models {
		assert_ok!(Attribution::approve_worker(RuntimeOrigin::signed(OWNER), *model, worker));
	}
	assert_ok!(Attribution::register_worker(
		RuntimeOrigin::signed(worker),
		MIN_WORKER_STAKE,
		models
	));
}

/// USER's request for `model` with the worked example's prompt, naming `workers`.
fn consent(
	model: u32,
	nonce: u64,
	workers: &[AccountId],
) -> InferenceRequest<AccountId, Balance, u64> {
	InferenceRequest {
		model,
		prompt_hash: prompt_hash(),
		tokens_in: TOKENS_IN,
		workers: workers.to_vec().try_into().unwrap(),
		max_output_tokens: 2_000,
		max_fee: 2 * OPEN,
		nonce,
		expires_at: 20,
	}
}

/// Held in escrow for USER.
fn open(request: InferenceRequest<AccountId, Balance, u64>) -> RequestId {
	assert_ok!(FeeSplit::request_inference(RuntimeOrigin::signed(USER), request.clone()));
	FeeSplit::request_id(&USER, &request)
}

/// USER's request for `model`, naming WORKER only.
fn request_for(model: u32, nonce: u64) -> RequestId {
	open(consent(model, nonce, &[WORKER]))
}

/// The version deployed now of the request's model: what an honest worker answers with.
fn served_version(request: RequestId) -> u32 {
	<FeeSplit as openledger_primitives::InferenceEscrow<_, _>>::pending(&request)
		.and_then(|p| <TestModels as openledger_primitives::ModelInspect<_, _>>::served(p.model))
		.map_or(0, |m| m.version)
}

fn settle(
	worker: AccountId,
	request: RequestId,
	influences: Vec<(u64, i128)>,
) -> DispatchResultWithPostInfo {
	Attribution::settle(
		RuntimeOrigin::signed(worker),
		request,
		served_version(request),
		TOKENS_OUT,
		output_hash(),
		influences,
	)
}

fn batch_item(request: RequestId, influences: Vec<(u64, i128)>) -> Settlement {
	Settlement {
		request,
		version: served_version(request),
		tokens_out: TOKENS_OUT,
		output_hash: output_hash(),
		influences,
	}
}

/// WORKER registered for MODEL has settled USER's worked example at block 1 (A 25%, B 75%,
/// nobody staking): USER paid FEE.
fn settled() -> RequestId {
	register(WORKER, vec![MODEL]);
	let request = request_for(MODEL, 0);
	assert_ok!(settle(WORKER, request, vec![(10, 1_000), (11, 3_000)]));
	request
}

/// The receipt that agrees with the settlement of `request`.
fn receipt_of(request: RequestId) -> Receipt {
	let record = Records::<Test>::get(request).unwrap();
	Receipt {
		request,
		model: record.model,
		version: record.version,
		adapter_hash: adapter(record.model, record.version),
		tokens_in: record.tokens_in,
		tokens_out: record.tokens_out,
		output_hash: record.output_hash,
	}
}

fn genesis() -> [u8; 32] {
	System::block_hash(0).0
}

/// `signer`'s signature of `receipt` on this chain.
fn sign(signer: AccountId, receipt: &Receipt) -> TestSignature {
	TestSignature(signer, receipt_digest(&genesis(), receipt).to_vec())
}

/// `receipt` signed by WORKER, disputed by USER.
fn dispute(receipt: Receipt) -> frame_support::dispatch::DispatchResult {
	let signature = sign(WORKER, &receipt);
	Attribution::dispute_receipt(RuntimeOrigin::signed(USER), receipt, signature)
}

fn challenge(request: RequestId) -> frame_support::dispatch::DispatchResult {
	Attribution::challenge_unanswered(RuntimeOrigin::signed(USER), request)
}

fn answer(
	worker: AccountId,
	request: RequestId,
	prompt: &[u8],
	answer: &[u8],
) -> frame_support::dispatch::DispatchResult {
	Attribution::answer_challenge(
		RuntimeOrigin::signed(worker),
		request,
		prompt.to_vec().try_into().unwrap(),
		answer.to_vec().try_into().unwrap(),
	)
}

fn resolve(request: RequestId) -> frame_support::dispatch::DispatchResult {
	Attribution::resolve_challenge(RuntimeOrigin::signed(OTHER_USER), request)
}

/// The worker was slashed SLASH and the user refunded FEE in full, the penalty to the treasury;
/// owner and contributors keep what they were paid.
fn assert_upheld(request: RequestId) {
	assert_eq!(
		Disputes::<Test>::get(request),
		Some(Dispute::Upheld { slashed: SLASH, refunded: FEE })
	);
	System::assert_last_event(
		Event::DisputeUpheld { request, worker: WORKER, slashed: SLASH, refunded: FEE }.into(),
	);
	assert_eq!(total(USER), INITIAL_BALANCE);
	assert_eq!(free(USER), INITIAL_BALANCE);
	assert_eq!(stake_of(WORKER), MIN_WORKER_STAKE - SLASH);
	assert_eq!(
		Balances::balance_on_hold(&HoldReason::WorkerStake.into(), &WORKER),
		MIN_WORKER_STAKE - SLASH
	);
	assert_eq!(total(WORKER), INITIAL_BALANCE - SLASH);
	// F_platform, γ (nobody stakes) and the penalty.
	assert_eq!(total(TREASURY), INITIAL_BALANCE + OPEN / 2 + 64 * MILLI + DISPUTE_PENALTY);
	assert_eq!(total(OWNER), INITIAL_BALANCE + 448 * MILLI);
	assert_eq!(total(CONTRIBUTOR_A) + total(CONTRIBUTOR_B), 128 * MILLI);
}

#[test]
fn a_worker_settles_the_worked_example_and_leaves_a_record() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		set_staked(MODEL, true);
		let request = request_for(MODEL, 0);
		// Contribution 10 (A) has w = 0.25, 11 (B) 0.75. A contribution outside the served
		// version's training set anywhere in the list refuses the whole settlement, even with a
		// negative influence.
		assert_noop!(
			settle(WORKER, request, vec![(10, 1_000), (11, 3_000), (12, -5)]),
			Error::<Test>::ContributionNotInVersion
		);
		assert_ok!(settle(WORKER, request, vec![(10, 1_000), (11, 3_000)]));

		let breakdown = FeeBreakdown {
			fee: FEE,
			refund: 860 * MILLI,
			platform: OPEN / 2,
			model_owner: 448 * MILLI,
			worker: 0,
			stakers: 64 * MILLI,
			contributors: 128 * MILLI,
			remainder: 0,
		};
		let record = Records::<Test>::get(request).unwrap();
		assert_eq!(record.model, MODEL);
		assert_eq!(record.version, 0);
		assert_eq!(record.request, request);
		assert_eq!(record.prompt_hash, prompt_hash());
		assert_eq!(record.user, USER);
		assert_eq!(record.worker, WORKER);
		assert_eq!((record.tokens_in, record.tokens_out), (TOKENS_IN, TOKENS_OUT));
		assert_eq!(record.output_hash, output_hash());
		assert_eq!(record.breakdown, breakdown);
		assert_eq!(record.settled_at, 1);
		assert_eq!(
			record.contributions.to_vec(),
			vec![
				AttributedContribution {
					contribution: 10,
					contributor: Some(CONTRIBUTOR_A),
					influence: 1_000,
					weight: Perbill::from_percent(25),
					paid: 32 * MILLI,
				},
				AttributedContribution {
					contribution: 11,
					contributor: Some(CONTRIBUTOR_B),
					influence: 3_000,
					weight: Perbill::from_percent(75),
					paid: 96 * MILLI,
				},
			]
		);
		assert_eq!(free(USER), INITIAL_BALANCE - FEE);
		assert_eq!(free(OWNER), INITIAL_BALANCE + 448 * MILLI);
		// γ into the registry's pot, credited to the model's stakers.
		assert_eq!(free(POT), ED + 64 * MILLI);
		assert_eq!(rewarded(MODEL), 64 * MILLI);
		assert_eq!(free(CONTRIBUTOR_A), 32 * MILLI);
		assert_eq!(free(CONTRIBUTOR_B), 96 * MILLI);
		assert_eq!(free(TREASURY), INITIAL_BALANCE + OPEN / 2);
		System::assert_last_event(
			Event::InferenceAttributed {
				request,
				model: MODEL,
				version: 0,
				worker: WORKER,
				output_hash: output_hash(),
				fee: FEE,
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
			Earnings { total: 96 * MILLI, outputs: 1 }
		);
		assert_eq!(
			ContributionEarnings::<Test>::get(10),
			Earnings { total: 32 * MILLI, outputs: 1 }
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
		assert_eq!(record.breakdown.remainder, 192 * MILLI);
		assert_eq!(free(CONTRIBUTOR_B), 0);
		assert_eq!(free(POT), ED);
		assert_eq!(ContributorEarnings::<Test>::get(CONTRIBUTOR_B), Earnings::default());
	});
}

#[test]
fn earnings_add_up_over_answers_and_count_an_account_once_per_answer() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL, OTHER_MODEL]);
		accept(13, 0, CONTRIBUTOR_A);
		train(MODEL, 0, &[13]);
		let first = request_for(MODEL, 0);
		let second = request_for(OTHER_MODEL, 1);
		// A has two contributions behind the first answer.
		assert_ok!(settle(WORKER, first, vec![(10, 1), (13, 1), (11, 2)]));
		assert_ok!(settle(WORKER, second, vec![(20, 5)]));
		let earnings = ContributorEarnings::<Test>::get(CONTRIBUTOR_A);
		assert_eq!(earnings.outputs, 2);
		assert_eq!(earnings.total, 32 * MILLI + 32 * MILLI + 128 * MILLI);
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
		let request = open(consent(MODEL, 0, &[WORKER, OTHER_WORKER]));
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
		// 99 does not exist; 20 is OTHER_MODEL's; 12 is accepted but in no training set.
		for outsider in [99, 20, 12] {
			assert_noop!(
				settle(WORKER, request, vec![(10, 1), (outsider, 1)]),
				Error::<Test>::ContributionNotInVersion
			);
		}
		assert_noop!(
			settle(WORKER, request, vec![(10, 1), (10, 2)]),
			Error::<Test>::DuplicateContribution
		);
		assert_noop!(
			settle(WORKER, request, vec![(10, 1), (11, 1), (10, 1), (11, 1), (10, 1)]),
			Error::<Test>::TooManyContributions
		);
		// Over the user's max output tokens: refused by the escrow.
		assert_noop!(
			Attribution::settle(
				RuntimeOrigin::signed(WORKER),
				request,
				served_version(request),
				2_001,
				H256::zero(),
				vec![]
			),
			pallet_fee_split::Error::<Test>::TooManyOutputTokens
		);
		// Nothing moved.
		assert_eq!(free(USER), INITIAL_BALANCE - 2 * OPEN);
	});
}

#[test]
fn a_settlement_over_the_users_max_fee_is_refused() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		// Just enough for the prompt's 800 tokens and the platform fee: not one output token more.
		let tight = InferenceRequest { max_fee: 660 * MILLI, ..consent(MODEL, 0, &[WORKER]) };
		let request = open(tight);
		assert_noop!(
			Attribution::settle(
				RuntimeOrigin::signed(WORKER),
				request,
				served_version(request),
				1,
				H256::zero(),
				vec![]
			),
			pallet_fee_split::Error::<Test>::FeeAboveMax
		);
		assert_ok!(Attribution::settle(
			RuntimeOrigin::signed(WORKER),
			request,
			served_version(request),
			0,
			H256::zero(),
			vec![]
		));
		assert_eq!(Records::<Test>::get(request).unwrap().breakdown.fee, 660 * MILLI);
	});
}

#[test]
fn workers_register_with_stake_for_served_models() {
	new_test_ext().execute_with(|| {
		for model in [MODEL, OTHER_MODEL] {
			assert_ok!(Attribution::approve_worker(RuntimeOrigin::signed(OWNER), model, WORKER));
		}
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
		assert_ok!(Attribution::register_worker(worker.clone(), MIN_WORKER_STAKE, vec![MODEL]));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::WorkerStake.into(), &WORKER),
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
		assert_noop!(
			Attribution::withdraw_worker(RuntimeOrigin::signed(WORKER)),
			Error::<Test>::NotUnbonding
		);
		assert_ok!(Attribution::unregister_worker(RuntimeOrigin::signed(WORKER)));
		assert_noop!(
			Attribution::unregister_worker(RuntimeOrigin::signed(WORKER)),
			Error::<Test>::Unbonding
		);
		assert_noop!(settle(WORKER, request, vec![]), Error::<Test>::Unbonding);
		assert_noop!(
			Attribution::set_worker_models(RuntimeOrigin::signed(WORKER), vec![]),
			Error::<Test>::Unbonding
		);
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

		System::set_block_number(UNBONDING);
		assert_noop!(
			Attribution::withdraw_worker(RuntimeOrigin::signed(WORKER)),
			Error::<Test>::StillUnbonding
		);
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
		assert_noop!(
			Attribution::bond_extra(RuntimeOrigin::signed(WORKER), 0),
			Error::<Test>::ZeroAmount
		);
		assert_ok!(Attribution::bond_extra(RuntimeOrigin::signed(WORKER), OPEN));
		assert_ok!(settle(WORKER, request, vec![]));
		let worker = Workers::<Test>::get(WORKER).unwrap();
		assert_eq!(worker.stake, MIN_WORKER_STAKE);
	});
}

#[test]
fn a_model_that_stops_being_served_cannot_be_settled() {
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
			set_staked(MODEL, true);
			assert_ok!(Attribution::set_serving_policy(
				RuntimeOrigin::signed(OWNER),
				MODEL,
				ServingPolicy { open_to_stake: None, worker_share: Perbill::from_percent(10) }
			));
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
			let balances =
				[USER, OWNER, WORKER, POT, CONTRIBUTOR_A, CONTRIBUTOR_B, TREASURY].map(total);
			(records, balances, ContributorEarnings::<Test>::get(CONTRIBUTOR_B), rewarded(MODEL))
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
			// 20 is not in the training set of MODEL's version 0; the third request does not
			// exist.
			vec![
				batch_item(bad, vec![(10, 1), (20, 1)]),
				batch_item(good, vec![(10, 1)]),
				batch_item(H256::repeat_byte(1), vec![(10, 1)]),
			],
		));
		assert!(Records::<Test>::get(good).is_some());
		assert!(Records::<Test>::get(bad).is_none());
		// Only the good answer was charged (the rest of its 2 OPEN max fee came back); the bad
		// one's max fee is still held.
		assert!(<FeeSplit as InferenceEscrow<_, _>>::pending(&bad).is_some());
		let fee = Records::<Test>::get(good).map(|r| r.breakdown.fee).unwrap_or_default();
		assert_eq!(fee, FEE);
		assert_eq!(free(USER), user_before + 2 * OPEN - fee);
		assert_eq!(ContributionEarnings::<Test>::get(10).outputs, 1);
		System::assert_has_event(
			Event::SettlementFailed {
				request: bad,
				error: Error::<Test>::ContributionNotInVersion.into(),
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

const _: () = assert!(UNBONDING > DISPUTE_WINDOW + RESPONSE_PERIOD);

#[test]
fn the_unbonding_period_outlasts_every_dispute() {
	new_test_ext().execute_with(|| {
		<Attribution as Hooks<u64>>::integrity_test();
	});
}

// Who may settle what.

#[test]
fn a_worker_the_user_did_not_name_cannot_settle() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		register(OTHER_WORKER, vec![MODEL]);
		// USER chose WORKER: OTHER_WORKER, registered and approved for the model, may not settle.
		let request = request_for(MODEL, 0);
		assert_noop!(settle(OTHER_WORKER, request, vec![]), Error::<Test>::NotChosenByUser);
		assert_ok!(Attribution::settle_batch(
			RuntimeOrigin::signed(OTHER_WORKER),
			vec![batch_item(request, vec![])],
		));
		System::assert_has_event(
			Event::SettlementFailed { request, error: Error::<Test>::NotChosenByUser.into() }
				.into(),
		);
		assert!(Records::<Test>::get(request).is_none());
		// The escrow refuses it too, whoever calls it.
		assert_noop!(
			<FeeSplit as InferenceEscrow<_, _>>::settle(
				&request,
				&OTHER_WORKER,
				Perbill::zero(),
				0,
				&[]
			),
			pallet_fee_split::Error::<Test>::WorkerNotAllowed
		);
		// A request naming both may be settled by either.
		let both = open(consent(MODEL, 1, &[WORKER, OTHER_WORKER]));
		assert_ok!(settle(OTHER_WORKER, both, vec![]));
		assert_ok!(settle(WORKER, request, vec![]));
		assert_eq!(Records::<Test>::get(both).unwrap().worker, OTHER_WORKER);
	});
}

#[test]
fn a_worker_serves_only_models_whose_owner_approved_it() {
	new_test_ext().execute_with(|| {
		let outsider = RuntimeOrigin::signed(OUTSIDER);
		assert_noop!(
			Attribution::register_worker(outsider.clone(), MIN_WORKER_STAKE, vec![MODEL]),
			Error::<Test>::NotApprovedForModel
		);
		assert_ok!(Attribution::register_worker(outsider.clone(), MIN_WORKER_STAKE, vec![]));
		assert_noop!(
			Attribution::set_worker_models(outsider.clone(), vec![MODEL]),
			Error::<Test>::NotApprovedForModel
		);
		// Only the owner approves, and only served models.
		assert_noop!(
			Attribution::approve_worker(RuntimeOrigin::signed(OUTSIDER), MODEL, OUTSIDER),
			Error::<Test>::NotModelOwner
		);
		assert_noop!(
			Attribution::approve_worker(RuntimeOrigin::signed(OWNER), 7, OUTSIDER),
			Error::<Test>::ModelNotServed
		);
		assert_ok!(Attribution::approve_worker(RuntimeOrigin::signed(OWNER), MODEL, OUTSIDER));
		System::assert_last_event(Event::WorkerApproved { model: MODEL, worker: OUTSIDER }.into());
		assert_ok!(Attribution::set_worker_models(outsider.clone(), vec![MODEL]));

		let first = open(consent(MODEL, 0, &[OUTSIDER]));
		let second = open(consent(MODEL, 1, &[OUTSIDER]));
		assert_ok!(settle(OUTSIDER, first, vec![]));
		// Revoking takes effect at once, though the worker still lists the model.
		assert_noop!(
			Attribution::revoke_worker(RuntimeOrigin::signed(OUTSIDER), MODEL, OUTSIDER),
			Error::<Test>::NotModelOwner
		);
		assert_ok!(Attribution::revoke_worker(RuntimeOrigin::signed(OWNER), MODEL, OUTSIDER));
		System::assert_last_event(Event::WorkerRevoked { model: MODEL, worker: OUTSIDER }.into());
		assert_eq!(Workers::<Test>::get(OUTSIDER).unwrap().models.to_vec(), vec![MODEL]);
		assert_noop!(settle(OUTSIDER, second, vec![]), Error::<Test>::NotApprovedForModel);
		assert_noop!(
			Attribution::revoke_worker(RuntimeOrigin::signed(OWNER), MODEL, OUTSIDER),
			Error::<Test>::NotApproved
		);
		assert_eq!(ApprovedWorkerCount::<Test>::get(MODEL), 0);

		// The owner serves its own model without approving itself.
		assert_ok!(Attribution::register_worker(
			RuntimeOrigin::signed(OWNER),
			MIN_WORKER_STAKE,
			vec![MODEL]
		));
		let own = open(consent(MODEL, 2, &[OWNER]));
		assert_ok!(settle(OWNER, own, vec![]));
	});
}

#[test]
fn a_model_owner_approves_at_most_so_many_workers() {
	new_test_ext().execute_with(|| {
		let owner = RuntimeOrigin::signed(OWNER);
		for worker in 100..100 + u64::from(MAX_APPROVED_WORKERS) {
			assert_ok!(Attribution::approve_worker(owner.clone(), MODEL, worker));
		}
		// Approving one again counts once.
		assert_ok!(Attribution::approve_worker(owner.clone(), MODEL, 100));
		assert_eq!(ApprovedWorkerCount::<Test>::get(MODEL), MAX_APPROVED_WORKERS);
		assert_noop!(
			Attribution::approve_worker(owner.clone(), MODEL, WORKER),
			Error::<Test>::TooManyApprovedWorkers
		);
		// Each model has its own list; a revocation makes room.
		assert_ok!(Attribution::approve_worker(owner.clone(), OTHER_MODEL, WORKER));
		assert_ok!(Attribution::revoke_worker(owner.clone(), MODEL, 100));
		assert_ok!(Attribution::approve_worker(owner, MODEL, WORKER));
		assert_eq!(ApprovedWorkerCount::<Test>::get(MODEL), MAX_APPROVED_WORKERS);
	});
}

#[test]
fn a_model_open_to_stake_takes_a_worker_with_that_stake_only() {
	new_test_ext().execute_with(|| {
		let policy =
			ServingPolicy { open_to_stake: Some(150 * OPEN), worker_share: Perbill::zero() };
		assert_noop!(
			Attribution::set_serving_policy(RuntimeOrigin::signed(OUTSIDER), MODEL, policy),
			Error::<Test>::NotModelOwner
		);
		assert_noop!(
			Attribution::set_serving_policy(RuntimeOrigin::signed(OWNER), 7, policy),
			Error::<Test>::ModelNotServed
		);
		assert_ok!(Attribution::set_serving_policy(RuntimeOrigin::signed(OWNER), MODEL, policy));
		System::assert_last_event(Event::ServingPolicySet { model: MODEL, policy }.into());
		// Below the stake the model is open to: not in.
		assert_noop!(
			Attribution::register_worker(
				RuntimeOrigin::signed(OUTSIDER),
				150 * OPEN - 1,
				vec![MODEL]
			),
			Error::<Test>::NotApprovedForModel
		);
		assert_ok!(Attribution::register_worker(
			RuntimeOrigin::signed(OUTSIDER),
			150 * OPEN,
			vec![MODEL]
		));
		let first = open(consent(MODEL, 0, &[OUTSIDER]));
		let second = open(consent(MODEL, 1, &[OUTSIDER]));
		assert_ok!(settle(OUTSIDER, first, vec![]));
		// Slashed below it, it settles nothing more of the model, though over MinWorkerStake.
		assert_ok!(Attribution::slash_worker(RuntimeOrigin::root(), OUTSIDER, 1));
		assert!(stake_of(OUTSIDER) >= MIN_WORKER_STAKE);
		assert_noop!(settle(OUTSIDER, second, vec![]), Error::<Test>::NotApprovedForModel);
		assert_ok!(Attribution::bond_extra(RuntimeOrigin::signed(OUTSIDER), 1));
		assert_ok!(settle(OUTSIDER, second, vec![]));
		// Closed again: only approved workers.
		assert_ok!(Attribution::set_serving_policy(
			RuntimeOrigin::signed(OWNER),
			MODEL,
			ServingPolicy::default()
		));
		let third = open(consent(MODEL, 2, &[OUTSIDER]));
		assert_noop!(settle(OUTSIDER, third, vec![]), Error::<Test>::NotApprovedForModel);
	});
}

#[test]
fn the_fee_follows_the_input_token_count_the_user_signed() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let short = request_for(MODEL, 0);
		let long = open(InferenceRequest { tokens_in: 4_000, ..consent(MODEL, 1, &[WORKER]) });
		assert_ok!(settle(WORKER, short, vec![]));
		assert_ok!(settle(WORKER, long, vec![]));
		let short = Records::<Test>::get(short).unwrap();
		let long = Records::<Test>::get(long).unwrap();
		assert_eq!((short.tokens_in, long.tokens_in), (TOKENS_IN, 4_000));
		// 0.2 OPEN per 1000 input tokens: 0.16 and 0.8 OPEN, whatever the worker would say.
		assert_eq!(short.breakdown.fee, FEE);
		assert_eq!(long.breakdown.fee, FEE - 160 * MILLI + 800 * MILLI);
		assert_eq!(FeeSplit::quote(MODEL, 4_000, TOKENS_OUT).unwrap().total, long.breakdown.fee);
		assert_eq!(free(USER), INITIAL_BALANCE - short.breakdown.fee - long.breakdown.fee);
	});
}

// What the data is paid.

#[test]
fn a_contribution_not_in_the_served_versions_training_set_is_refused() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		// 12 is accepted in a Datanet MODEL trains on, but version 0 was not trained on it.
		let request = request_for(MODEL, 0);
		assert_noop!(
			settle(WORKER, request, vec![(12, 1_000)]),
			Error::<Test>::ContributionNotInVersion
		);
		// Version 1 is trained on 11 and 12: now 12 is in, and 10 (version 0's only) out.
		train(MODEL, 1, &[11, 12]);
		deploy_version(MODEL, 1);
		assert_noop!(
			settle(WORKER, request, vec![(10, 1), (12, 1)]),
			Error::<Test>::ContributionNotInVersion
		);
		assert_ok!(settle(WORKER, request, vec![(11, 1), (12, 1)]));
		let record = Records::<Test>::get(request).unwrap();
		assert_eq!(record.version, 1);
		assert_eq!(record.contributions.len(), 2);
	});
}

#[test]
fn a_settlement_of_a_version_no_longer_deployed_is_refused_so_no_receipt_can_differ() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = request_for(MODEL, 0);
		// The worker answered with version 0; the owner deploys version 1 before it settles
		// (an owner front-running the settlement would otherwise make the record name version 1
		// while the worker's receipt names 0, and get the honest worker slashed).
		train(MODEL, 1, &[10, 11]);
		deploy_version(MODEL, 1);
		assert_noop!(
			Attribution::settle(
				RuntimeOrigin::signed(WORKER),
				request,
				0,
				TOKENS_OUT,
				output_hash(),
				vec![(10, 1)]
			),
			Error::<Test>::VersionNotServed
		);
		// Nothing was charged: the request is refunded at expiry.
		assert!(
			<FeeSplit as openledger_primitives::InferenceEscrow<_, _>>::pending(&request).is_some()
		);
	});
}

#[test]
fn a_withdrawn_contributions_share_goes_to_the_treasury() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let request = request_for(MODEL, 0);
		withdraw(11);
		assert_ok!(settle(WORKER, request, vec![(10, 1_000), (11, 3_000)]));
		let record = Records::<Test>::get(request).unwrap();
		assert_eq!(
			record.contributions.to_vec(),
			vec![
				AttributedContribution {
					contribution: 10,
					contributor: Some(CONTRIBUTOR_A),
					influence: 1_000,
					weight: Perbill::from_percent(25),
					paid: 32 * MILLI,
				},
				AttributedContribution {
					contribution: 11,
					contributor: None,
					influence: 3_000,
					weight: Perbill::from_percent(75),
					paid: 0,
				},
			]
		);
		assert_eq!(record.breakdown.contributors, 32 * MILLI);
		// γ (nobody stakes) and B's 0.096 OPEN.
		assert_eq!(record.breakdown.remainder, 64 * MILLI + 96 * MILLI);
		assert_eq!(free(TREASURY), INITIAL_BALANCE + OPEN / 2 + 64 * MILLI + 96 * MILLI);
		assert_eq!(free(CONTRIBUTOR_A), 32 * MILLI);
		assert_eq!(free(CONTRIBUTOR_B), 0);
		assert_eq!(free(USER), INITIAL_BALANCE - FEE);
		assert_eq!(ContributionEarnings::<Test>::get(11), Earnings { total: 0, outputs: 1 });
		assert_eq!(ContributorEarnings::<Test>::get(CONTRIBUTOR_B), Earnings::default());
		assert!(Attribution::contributor_records(&CONTRIBUTOR_B, 0, 10).is_empty());
	});
}

#[test]
fn the_worker_gets_the_share_the_owner_set_to_the_unit() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let share = Perbill::from_parts(333_333_333);
		assert_ok!(Attribution::set_serving_policy(
			RuntimeOrigin::signed(OWNER),
			MODEL,
			ServingPolicy { open_to_stake: None, worker_share: share }
		));
		let request = request_for(MODEL, 0);
		assert_ok!(settle(WORKER, request, vec![(10, 1_000), (11, 3_000)]));
		// β·F_net = 0.448 OPEN; 0.333333333 of it is 0.149333333184 OPEN.
		let to_worker: Balance = 149_333_333_184_000_000;
		assert_eq!(share.mul_floor(448 * MILLI), to_worker);
		let breakdown = Records::<Test>::get(request).unwrap().breakdown;
		assert_eq!(breakdown.worker, to_worker);
		assert_eq!(breakdown.model_owner, 448 * MILLI - to_worker);
		assert_eq!(
			breakdown.platform
				+ breakdown.model_owner
				+ breakdown.worker
				+ breakdown.stakers
				+ breakdown.contributors
				+ breakdown.remainder,
			FEE
		);
		assert_eq!(total(WORKER), INITIAL_BALANCE + to_worker);
		assert_eq!(free(WORKER), INITIAL_BALANCE - MIN_WORKER_STAKE + to_worker);
		assert_eq!(total(OWNER), INITIAL_BALANCE + 298_666_666_816_000_000);
		assert_eq!(free(USER), INITIAL_BALANCE - FEE);
	});
}

// Receipts.

#[test]
fn a_receipt_that_differs_from_the_settlement_slashes_the_worker_and_refunds_the_user() {
	let differing: [fn(&mut Receipt); 3] = [
		|r| r.output_hash = H256::repeat_byte(0xee),
		|r| r.tokens_out -= 1,
		|r| r.adapter_hash = adapter(MODEL, 1),
	];
	for change in differing {
		new_test_ext().execute_with(|| {
			let request = settled();
			System::set_block_number(5);
			let mut receipt = receipt_of(request);
			change(&mut receipt);
			// Anyone may bring the proof; the refund goes to the user who paid.
			let signature = sign(WORKER, &receipt);
			assert_ok!(Attribution::dispute_receipt(
				RuntimeOrigin::signed(OTHER_USER),
				receipt,
				signature
			));
			assert_upheld(request);
			assert_eq!(total(OTHER_USER), INITIAL_BALANCE);
		});
	}
}

#[test]
fn a_receipt_of_other_token_counts_model_or_version_is_proof_too() {
	let differing: [fn(&mut Receipt); 3] = [
		|r| r.tokens_in += 1,
		|r| r.model = OTHER_MODEL,
		|r| {
			r.version = 1;
			r.adapter_hash = adapter(MODEL, 1);
		},
	];
	for change in differing {
		new_test_ext().execute_with(|| {
			let request = settled();
			let mut receipt = receipt_of(request);
			change(&mut receipt);
			assert_ok!(dispute(receipt));
			assert_upheld(request);
		});
	}
}

#[test]
fn a_receipt_that_matches_the_settlement_is_refused() {
	new_test_ext().execute_with(|| {
		let request = settled();
		assert_noop!(dispute(receipt_of(request)), Error::<Test>::ReceiptMatchesSettlement);
		assert_eq!(stake_of(WORKER), MIN_WORKER_STAKE);
	});
}

#[test]
fn a_receipt_not_signed_by_the_settling_worker_is_refused() {
	new_test_ext().execute_with(|| {
		let request = settled();
		let mut receipt = receipt_of(request);
		receipt.tokens_out = 1;
		// Signed by the user, or another worker.
		for signer in [USER, OTHER_WORKER] {
			let signature = sign(signer, &receipt);
			assert_noop!(
				Attribution::dispute_receipt(
					RuntimeOrigin::signed(USER),
					receipt.clone(),
					signature
				),
				Error::<Test>::BadReceiptSignature
			);
		}
		// The worker's signature of another receipt, of bare bytes, or for another chain.
		let other = Receipt { tokens_out: 2, ..receipt.clone() };
		let other_chain = TestSignature(WORKER, receipt_digest(&[7; 32], &receipt).to_vec());
		let bare = TestSignature(WORKER, codec::Encode::encode(&receipt));
		for signature in [sign(WORKER, &other), other_chain, bare] {
			assert_noop!(
				Attribution::dispute_receipt(
					RuntimeOrigin::signed(USER),
					receipt.clone(),
					signature
				),
				Error::<Test>::BadReceiptSignature
			);
		}
		// The digest the runtime API hands out is the one checked.
		assert_eq!(Attribution::receipt_digest_of(&receipt), receipt_digest(&genesis(), &receipt));
		// Of a request never settled.
		let unsettled = Receipt { request: H256::repeat_byte(4), ..receipt.clone() };
		assert_noop!(dispute(unsettled), Error::<Test>::UnknownRecord);
		assert_eq!(stake_of(WORKER), MIN_WORKER_STAKE);
	});
}

#[test]
fn a_receipt_is_proof_for_the_dispute_window_only() {
	new_test_ext().execute_with(|| {
		let request = settled();
		let mut receipt = receipt_of(request);
		receipt.output_hash = H256::repeat_byte(0xee);
		System::set_block_number(2 + DISPUTE_WINDOW);
		assert_noop!(dispute(receipt.clone()), Error::<Test>::DisputeWindowClosed);
		// Up to settled_at + DisputeWindow, inclusive.
		System::set_block_number(1 + DISPUTE_WINDOW);
		assert_ok!(dispute(receipt));
		assert_upheld(request);
	});
}

#[test]
fn a_settlement_is_disputed_once() {
	new_test_ext().execute_with(|| {
		let request = settled();
		let mut receipt = receipt_of(request);
		receipt.output_hash = H256::repeat_byte(0xee);
		assert_ok!(dispute(receipt.clone()));
		assert_noop!(dispute(receipt), Error::<Test>::AlreadyDisputed);
		let other = Receipt { tokens_out: 1, ..receipt_of(request) };
		assert_noop!(dispute(other), Error::<Test>::AlreadyDisputed);
		assert_noop!(challenge(request), Error::<Test>::AlreadyDisputed);
		assert_upheld(request);
	});
}

#[test]
fn a_leaving_worker_stays_disputable() {
	new_test_ext().execute_with(|| {
		let request = settled();
		assert_ok!(Attribution::unregister_worker(RuntimeOrigin::signed(WORKER)));
		System::set_block_number(1 + DISPUTE_WINDOW);
		let receipt = Receipt { tokens_out: 1, ..receipt_of(request) };
		assert_ok!(dispute(receipt));
		assert_upheld(request);
		System::set_block_number(1 + UNBONDING);
		assert_ok!(Attribution::withdraw_worker(RuntimeOrigin::signed(WORKER)));
		assert_eq!(free(WORKER), INITIAL_BALANCE - SLASH);
	});
}

#[test]
fn a_worker_with_too_little_stake_is_slashed_what_it_has() {
	// Stake left after a governance slash, and what the user gets back of FEE.
	for (left, refunded) in [(FEE / 2, FEE / 2), (5 * OPEN, FEE), (0, 0)] {
		new_test_ext().execute_with(|| {
			let request = settled();
			assert_ok!(Attribution::slash_worker(
				RuntimeOrigin::root(),
				WORKER,
				MIN_WORKER_STAKE - left
			));
			let treasury = total(TREASURY);
			assert_ok!(dispute(Receipt { tokens_out: 1, ..receipt_of(request) }));
			assert_eq!(
				Disputes::<Test>::get(request),
				Some(Dispute::Upheld { slashed: left, refunded })
			);
			System::assert_last_event(
				Event::DisputeUpheld { request, worker: WORKER, slashed: left, refunded }.into(),
			);
			assert_eq!(stake_of(WORKER), 0);
			assert_eq!(total(USER), INITIAL_BALANCE - FEE + refunded);
			assert_eq!(total(TREASURY), treasury + left - refunded);
		});
	}
}

// Challenges of settlements never answered.

#[test]
fn only_the_user_challenges_a_settlement_and_a_bond_is_held() {
	new_test_ext().execute_with(|| {
		let request = settled();
		assert_noop!(challenge(H256::repeat_byte(4)), Error::<Test>::UnknownRecord);
		assert_noop!(
			Attribution::challenge_unanswered(RuntimeOrigin::signed(OTHER_USER), request),
			Error::<Test>::NotRequester
		);
		assert_noop!(
			Attribution::challenge_unanswered(RuntimeOrigin::signed(WORKER), request),
			Error::<Test>::NotRequester
		);
		System::set_block_number(3);
		assert_ok!(challenge(request));
		System::assert_last_event(
			Event::SettlementChallenged { request, worker: WORKER, deadline: 3 + RESPONSE_PERIOD }
				.into(),
		);
		assert_eq!(
			Disputes::<Test>::get(request),
			Some(Dispute::Challenged {
				by: USER,
				bond: CHALLENGE_BOND,
				deadline: 3 + RESPONSE_PERIOD
			})
		);
		assert_eq!(bond_held(USER), CHALLENGE_BOND);
		assert_eq!(free(USER), INITIAL_BALANCE - FEE - CHALLENGE_BOND);
		// Indexed for the worker's node to find.
		assert_eq!(OpenChallenges::<Test>::get(WORKER, request), Some(3 + RESPONSE_PERIOD));
		assert_noop!(challenge(request), Error::<Test>::AlreadyDisputed);
	});
}

#[test]
fn a_challenge_needs_the_bond_and_the_dispute_window() {
	new_test_ext().execute_with(|| {
		let request = settled();
		let _ = Balances::set_balance(&USER, CHALLENGE_BOND);
		assert_noop!(challenge(request), Error::<Test>::InsufficientBond);
		let _ = Balances::set_balance(&USER, INITIAL_BALANCE);
		System::set_block_number(2 + DISPUTE_WINDOW);
		assert_noop!(challenge(request), Error::<Test>::DisputeWindowClosed);
		System::set_block_number(1 + DISPUTE_WINDOW);
		assert_ok!(challenge(request));
	});
}

#[test]
fn a_worker_that_reveals_the_prompt_and_the_answer_takes_the_bond() {
	new_test_ext().execute_with(|| {
		let request = settled();
		register(OTHER_WORKER, vec![MODEL]);
		assert_noop!(answer(WORKER, request, PROMPT, ANSWER), Error::<Test>::NoOpenChallenge);
		assert_ok!(challenge(request));
		assert_noop!(
			answer(OTHER_WORKER, request, PROMPT, ANSWER),
			Error::<Test>::NotSettlingWorker
		);
		assert_noop!(
			answer(WORKER, H256::repeat_byte(4), PROMPT, ANSWER),
			Error::<Test>::UnknownRecord
		);
		assert_noop!(
			answer(WORKER, request, b"another prompt", ANSWER),
			Error::<Test>::PromptMismatch
		);
		assert_noop!(
			answer(WORKER, request, PROMPT, b"another answer"),
			Error::<Test>::AnswerMismatch
		);
		// Its last block.
		System::set_block_number(1 + RESPONSE_PERIOD);
		assert_ok!(answer(WORKER, request, PROMPT, ANSWER));
		System::assert_last_event(Event::ChallengeAnswered { request, worker: WORKER }.into());
		assert_eq!(OpenChallenges::<Test>::get(WORKER, request), None);
		assert_eq!(
			Disputes::<Test>::get(request),
			Some(Dispute::Answered { at: 1 + RESPONSE_PERIOD })
		);
		// The bond is the worker's; nobody was slashed or refunded.
		assert_eq!(bond_held(USER), 0);
		assert_eq!(total(USER), INITIAL_BALANCE - FEE - CHALLENGE_BOND);
		assert_eq!(stake_of(WORKER), MIN_WORKER_STAKE);
		assert_eq!(total(WORKER), INITIAL_BALANCE + CHALLENGE_BOND);
		assert_eq!(free(WORKER), INITIAL_BALANCE - MIN_WORKER_STAKE + CHALLENGE_BOND);
		assert_eq!(total(TREASURY), INITIAL_BALANCE + OPEN / 2 + 64 * MILLI);
		// Decided: not answered again, not resolved, not challenged again.
		assert_noop!(answer(WORKER, request, PROMPT, ANSWER), Error::<Test>::NoOpenChallenge);
		assert_noop!(resolve(request), Error::<Test>::NoOpenChallenge);
		assert_noop!(challenge(request), Error::<Test>::AlreadyDisputed);
		// A receipt that differs still proves the settlement wrong.
		assert_ok!(dispute(Receipt { tokens_out: 1, ..receipt_of(request) }));
		assert_eq!(
			Disputes::<Test>::get(request),
			Some(Dispute::Upheld { slashed: SLASH, refunded: FEE })
		);
		assert_eq!(total(USER), INITIAL_BALANCE - CHALLENGE_BOND);
	});
}

#[test]
fn a_challenge_is_answered_by_its_deadline_or_not_at_all() {
	new_test_ext().execute_with(|| {
		let request = settled();
		assert_ok!(challenge(request));
		System::set_block_number(2 + RESPONSE_PERIOD);
		assert_noop!(answer(WORKER, request, PROMPT, ANSWER), Error::<Test>::ChallengeExpired);
	});
}

#[test]
fn a_challenge_left_unanswered_slashes_the_worker_and_refunds_fee_and_bond() {
	new_test_ext().execute_with(|| {
		let request = settled();
		assert_noop!(resolve(request), Error::<Test>::NoOpenChallenge);
		assert_noop!(resolve(H256::repeat_byte(4)), Error::<Test>::UnknownRecord);
		assert_ok!(challenge(request));
		assert_noop!(resolve(request), Error::<Test>::ChallengeOngoing);
		// Not at the deadline either: it is the worker's last block.
		System::set_block_number(1 + RESPONSE_PERIOD);
		assert_noop!(resolve(request), Error::<Test>::ChallengeOngoing);
		System::set_block_number(2 + RESPONSE_PERIOD);
		assert_ok!(resolve(request));
		assert_eq!(OpenChallenges::<Test>::get(WORKER, request), None);
		assert_eq!(bond_held(USER), 0);
		assert_upheld(request);
		assert_noop!(resolve(request), Error::<Test>::NoOpenChallenge);
	});
}

#[test]
fn a_receipt_overtakes_a_challenge_under_way_and_returns_the_bond() {
	new_test_ext().execute_with(|| {
		let request = settled();
		assert_ok!(challenge(request));
		assert_eq!(bond_held(USER), CHALLENGE_BOND);
		assert_ok!(dispute(Receipt {
			output_hash: H256::repeat_byte(0xee),
			..receipt_of(request)
		}));
		assert_eq!(bond_held(USER), 0);
		assert_eq!(OpenChallenges::<Test>::get(WORKER, request), None);
		assert_upheld(request);
		assert_noop!(answer(WORKER, request, PROMPT, ANSWER), Error::<Test>::NoOpenChallenge);
		System::set_block_number(2 + RESPONSE_PERIOD);
		assert_noop!(resolve(request), Error::<Test>::NoOpenChallenge);
	});
}

#[test]
fn a_refused_receipt_leaves_a_challenge_under_way_as_it_was() {
	new_test_ext().execute_with(|| {
		let request = settled();
		assert_ok!(challenge(request));
		assert_noop!(dispute(receipt_of(request)), Error::<Test>::ReceiptMatchesSettlement);
		assert_eq!(bond_held(USER), CHALLENGE_BOND);
		assert!(matches!(Disputes::<Test>::get(request), Some(Dispute::Challenged { .. })));
		assert!(OpenChallenges::<Test>::contains_key(WORKER, request));
	});
}

// Genesis.

#[test]
fn a_development_chain_starts_with_its_worker_and_shorter_dispute_periods() {
	let genesis = GenesisConfig::<Test> {
		workers: vec![(WORKER, MIN_WORKER_STAKE, vec![MODEL])],
		approved: vec![(MODEL, WORKER)],
		dispute_periods: Some((3, 2)),
	};
	ext_with(genesis).execute_with(|| {
		assert!(ApprovedWorkers::<Test>::contains_key(MODEL, WORKER));
		assert_eq!(stake_of(WORKER), MIN_WORKER_STAKE);
		assert_eq!((Attribution::dispute_window(), Attribution::response_period()), (3, 2));
		let first = request_for(MODEL, 0);
		let second = request_for(MODEL, 1);
		assert_ok!(settle(WORKER, first, vec![]));
		assert_ok!(settle(WORKER, second, vec![]));
		assert_ok!(challenge(first));
		assert_eq!(OpenChallenges::<Test>::get(WORKER, first), Some(3));
		// Settled at block 1: disputable up to block 4.
		System::set_block_number(5);
		assert_noop!(challenge(second), Error::<Test>::DisputeWindowClosed);
		assert_ok!(resolve(first));
		assert!(matches!(Disputes::<Test>::get(first), Some(Dispute::Upheld { .. })));
	});
}

#[test]
#[should_panic(expected = "dispute periods may only be shortened")]
fn genesis_dispute_periods_only_shorten_the_constants() {
	let _ = ext_with(GenesisConfig::<Test> {
		dispute_periods: Some((DISPUTE_WINDOW, RESPONSE_PERIOD + 1)),
		..Default::default()
	});
}

#[test]
#[should_panic(expected = "genesis worker")]
fn a_genesis_worker_needs_its_models_approval() {
	let _ = ext_with(GenesisConfig::<Test> {
		workers: vec![(OUTSIDER, MIN_WORKER_STAKE, vec![MODEL])],
		..Default::default()
	});
}

#[test]
fn a_worker_with_a_challenge_under_way_withdraws_only_once_it_is_decided() {
	new_test_ext().execute_with(|| {
		register(WORKER, vec![MODEL]);
		let answered = request_for(MODEL, 0);
		let unanswered = request_for(MODEL, 1);
		assert_ok!(settle(WORKER, answered, vec![(10, 1_000), (11, 3_000)]));
		assert_ok!(settle(WORKER, unanswered, vec![(10, 1_000), (11, 3_000)]));
		assert_ok!(Attribution::unregister_worker(RuntimeOrigin::signed(WORKER)));
		// Both challenged on the dispute window's last block, while the worker unbonds.
		let challenged_at = 1 + DISPUTE_WINDOW;
		System::set_block_number(challenged_at);
		assert_ok!(challenge(answered));
		assert_ok!(challenge(unanswered));
		System::set_block_number(challenged_at + RESPONSE_PERIOD);
		assert_ok!(answer(WORKER, answered, PROMPT, ANSWER));
		assert_eq!(OpenChallenges::<Test>::get(WORKER, answered), None);

		// Unbonded, but a challenge is still open (past its deadline, not yet resolved).
		System::set_block_number(1 + UNBONDING);
		assert!(1 + UNBONDING > challenged_at + RESPONSE_PERIOD);
		assert!(OpenChallenges::<Test>::contains_key(WORKER, unanswered));
		assert_noop!(
			Attribution::withdraw_worker(RuntimeOrigin::signed(WORKER)),
			Error::<Test>::ChallengeOngoing
		);
		assert!(Workers::<Test>::contains_key(WORKER));

		// Once it is decided, the stake that is left comes back.
		assert_ok!(resolve(unanswered));
		assert_eq!(OpenChallenges::<Test>::iter_prefix(WORKER).count(), 0);
		assert_ok!(Attribution::withdraw_worker(RuntimeOrigin::signed(WORKER)));
		assert!(Workers::<Test>::get(WORKER).is_none());
		assert_eq!(free(WORKER), INITIAL_BALANCE + CHALLENGE_BOND - SLASH);
		assert_eq!(total(WORKER), INITIAL_BALANCE + CHALLENGE_BOND - SLASH);
	});
}
