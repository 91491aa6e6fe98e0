use crate::{
	mock::*, Error, Event, FeeBreakdown, InferenceEscrow, InferenceRequest, RequestStatus,
	Requests, Settlement, MAX_WORKERS_PER_REQUEST,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
	BoundedVec,
};
use openledger_primitives::{FeeSplit as Split, PlatformFee};
use proptest::prelude::*;
use sp_core::H256;
use sp_runtime::{
	testing::TestSignature,
	traits::{BlakeTwo256, Hash},
	DispatchError, Perbill,
};

type Request = InferenceRequest<AccountId, Balance, u64>;

/// The worked example's prompt: 800 tokens, as the node quoted it; WORKER may answer it.
fn request(max_fee: Balance, nonce: u64) -> Request {
	InferenceRequest {
		model: MODEL,
		prompt_hash: H256::repeat_byte(7),
		tokens_in: 800,
		workers: BoundedVec::truncate_from(vec![WORKER]),
		max_output_tokens: 2_000,
		max_fee,
		nonce,
		expires_at: 10,
	}
}

fn open(who: AccountId, request: Request) -> H256 {
	assert_ok!(FeeSplit::request_inference(RuntimeOrigin::signed(who), request.clone()));
	FeeSplit::request_id(&who, &request)
}

/// Settled by WORKER, who keeps no share of the owner's part.
fn settle(
	id: &H256,
	tokens_out: u32,
	contributors: &[(Option<AccountId>, u128)],
) -> Result<Settlement<Balance>, DispatchError> {
	FeeSplit::settle(id, &WORKER, Perbill::zero(), tokens_out, contributors)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::InferenceEscrow.into(), &who)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// What the staking pot received beyond its existential deposit.
fn in_pot() -> Balance {
	free(POT) - ED
}

fn adds_up(b: &FeeBreakdown<Balance>) -> bool {
	b.platform + b.model_owner + b.worker + b.stakers + b.contributors + b.remainder == b.fee
}

fn run_to(block: u64) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		FeeSplit::on_initialize(next);
	}
}

#[test]
fn the_seed_worked_example_pays_every_party_exactly() {
	new_test_ext().execute_with(|| {
		// Somebody stakes on the model: γ goes to the registry's pot and reward pool.
		set_staked(MODEL, 400 * OPEN);
		let id = open(USER, request(2 * OPEN, 0));
		assert_eq!(held(USER), 2 * OPEN);
		assert_eq!(free(USER), INITIAL_BALANCE - 2 * OPEN);

		// Contributor A has w = 0.25 (influence 1 of 4), B 0.75. T_in = 800 is the request's.
		let settled = FeeSplit::settle(
			&id,
			&WORKER,
			Perbill::zero(),
			1_200,
			&[(Some(CONTRIBUTOR_A), 1), (Some(CONTRIBUTOR_B), 3)],
		)
		.unwrap();

		let expected = FeeBreakdown {
			fee: 1_140 * OPEN / 1_000,
			refund: 860 * OPEN / 1_000,
			platform: OPEN / 2,
			model_owner: 448 * OPEN / 1_000,
			worker: 0,
			stakers: 64 * OPEN / 1_000,
			contributors: 128 * OPEN / 1_000,
			remainder: 0,
		};
		assert_eq!(settled.breakdown, expected);
		assert_eq!(settled.per_contributor, vec![32 * OPEN / 1_000, 96 * OPEN / 1_000]);
		assert_eq!(free(USER), INITIAL_BALANCE - 1_140 * OPEN / 1_000);
		assert_eq!(held(USER), 0);
		assert_eq!(free(TREASURY), INITIAL_BALANCE + OPEN / 2);
		assert_eq!(free(OWNER), INITIAL_BALANCE + 448 * OPEN / 1_000);
		assert_eq!(free(WORKER), INITIAL_BALANCE);
		assert_eq!(in_pot(), 64 * OPEN / 1_000);
		assert_eq!(rewarded(MODEL), 64 * OPEN / 1_000);
		assert_eq!(free(CONTRIBUTOR_A), 32 * OPEN / 1_000);
		assert_eq!(free(CONTRIBUTOR_B), 96 * OPEN / 1_000);
		assert_eq!(Requests::<Test>::get(id).unwrap().status, RequestStatus::Settled);
		System::assert_last_event(
			Event::InferenceSettled { request: id, user: USER, breakdown: expected }.into(),
		);
	});
}

#[test]
fn the_quote_is_the_fee_charged() {
	new_test_ext().execute_with(|| {
		let quote = FeeSplit::quote(MODEL, 800, 1_200).unwrap();
		assert_eq!(quote.usage, 640 * OPEN / 1_000);
		assert_eq!(quote.platform, OPEN / 2);
		assert_eq!(quote.total, 1_140 * OPEN / 1_000);
		assert_eq!(FeeSplit::quote(42, 1, 1), None);

		set_platform_fee(PlatformFee::Percentage(Perbill::from_percent(10)));
		let quote = FeeSplit::quote(MODEL, 800, 1_200).unwrap();
		assert_eq!(quote.platform, 64 * OPEN / 1_000);
		assert_eq!(quote.total, 704 * OPEN / 1_000);
	});
}

#[test]
fn the_fee_is_charged_for_the_input_tokens_the_user_consented_to() {
	new_test_ext().execute_with(|| {
		// The node quoted 800 input tokens; the user allows up to 10 OPEN. Before, the worker
		// named T_in at settlement and could charge for, say, 40 000 (8.98 OPEN, within
		// max_fee). Now the request's count is charged, and nothing else can be.
		let id = open(USER, request(10 * OPEN, 0));
		assert_eq!(FeeSplit::pending(&id).unwrap().tokens_in, 800);
		let settled = settle(&id, 1_200, &[]).unwrap();
		assert_eq!(settled.breakdown.fee, FeeSplit::quote(MODEL, 800, 1_200).unwrap().total);
		assert_eq!(settled.breakdown.fee, 1_140 * OPEN / 1_000);
		assert_eq!(settled.breakdown.refund, 10 * OPEN - 1_140 * OPEN / 1_000);
		assert_eq!(free(USER), INITIAL_BALANCE - 1_140 * OPEN / 1_000);

		// The same answer to a 100-token prompt costs what 100 tokens cost.
		let mut short = request(10 * OPEN, 1);
		short.tokens_in = 100;
		let id = open(USER, short);
		let settled = settle(&id, 1_200, &[]).unwrap();
		assert_eq!(settled.breakdown.fee, FeeSplit::quote(MODEL, 100, 1_200).unwrap().total);
		assert_eq!(settled.breakdown.fee, 1_000 * OPEN / 1_000);

		// A node cannot raise the count of a request the user signed off-chain: the signature
		// covers it.
		let req = request(10 * OPEN, 2);
		let signature = TestSignature(USER, FeeSplit::signing_digest(&req).as_bytes().to_vec());
		let mut raised = req.clone();
		raised.tokens_in = 40_000;
		assert_noop!(
			FeeSplit::submit_signed_request(
				RuntimeOrigin::signed(WORKER),
				raised,
				USER,
				signature.clone()
			),
			Error::<Test>::BadSignature
		);
		assert_ok!(FeeSplit::submit_signed_request(
			RuntimeOrigin::signed(WORKER),
			req.clone(),
			USER,
			signature
		));
		let settled = settle(&FeeSplit::request_id(&USER, &req), 1_200, &[]).unwrap();
		assert_eq!(settled.breakdown.fee, 1_140 * OPEN / 1_000);
	});
}

#[test]
fn the_max_fee_must_cover_the_quoted_input() {
	new_test_ext().execute_with(|| {
		// 800 tokens at 0.2 OPEN and the 0.5 OPEN platform fee: 0.66 OPEN at least.
		assert_noop!(
			FeeSplit::request_inference(
				RuntimeOrigin::signed(USER),
				request(660 * OPEN / 1_000 - 1, 0)
			),
			Error::<Test>::MaxFeeTooLow
		);
		let id = open(USER, request(660 * OPEN / 1_000, 0));
		// Only an empty answer fits in it.
		assert_noop!(settle(&id, 1, &[]), Error::<Test>::FeeAboveMax);
		assert_eq!(settle(&id, 0, &[]).unwrap().breakdown.fee, 660 * OPEN / 1_000);
	});
}

#[test]
fn a_request_without_workers_is_refused() {
	new_test_ext().execute_with(|| {
		let mut req = request(2 * OPEN, 0);
		req.workers = BoundedVec::default();
		assert_noop!(
			FeeSplit::request_inference(RuntimeOrigin::signed(USER), req.clone()),
			Error::<Test>::NoWorkers
		);
		// Nor signed off-chain, though the signature is good.
		let signature = TestSignature(USER, FeeSplit::signing_digest(&req).as_bytes().to_vec());
		assert_eq!(
			FeeSplit::check_signed_request(&req, &USER, &signature, 0),
			Err(Error::<Test>::NoWorkers.into())
		);
		assert_noop!(
			FeeSplit::submit_signed_request(RuntimeOrigin::signed(WORKER), req, USER, signature),
			Error::<Test>::NoWorkers
		);
		assert_eq!(held(USER), 0);
	});
}

#[test]
fn only_a_worker_the_user_named_can_settle() {
	new_test_ext().execute_with(|| {
		let id = open(USER, request(2 * OPEN, 0));
		assert_eq!(FeeSplit::pending(&id).unwrap().workers, vec![WORKER]);
		assert_noop!(
			FeeSplit::settle(&id, &OTHER_WORKER, Perbill::from_percent(10), 1_200, &[]),
			Error::<Test>::WorkerNotAllowed
		);
		assert_eq!(held(USER), 2 * OPEN);

		// The user may name several, up to the bound; any one of them may settle.
		let mut req = request(2 * OPEN, 1);
		req.workers = BoundedVec::truncate_from(
			(100..100 + u64::from(MAX_WORKERS_PER_REQUEST) - 1).chain([OTHER_WORKER]).collect(),
		);
		assert_eq!(req.workers.len() as u32, MAX_WORKERS_PER_REQUEST);
		let id = open(USER, req);
		let settled =
			FeeSplit::settle(&id, &OTHER_WORKER, Perbill::from_percent(10), 1_200, &[]).unwrap();
		assert_eq!(settled.breakdown.worker, 448 * OPEN / 10_000);
		assert_eq!(free(OTHER_WORKER), INITIAL_BALANCE + 448 * OPEN / 10_000);
	});
}

#[test]
fn the_worker_share_is_exact_and_comes_out_of_the_owners_part_only() {
	new_test_ext().execute_with(|| {
		set_staked(MODEL, 400 * OPEN);
		let id = open(USER, request(2 * OPEN, 0));
		let settled = FeeSplit::settle(
			&id,
			&WORKER,
			Perbill::from_percent(10),
			1_200,
			&[(Some(CONTRIBUTOR_A), 1), (Some(CONTRIBUTOR_B), 3)],
		)
		.unwrap();
		// 10% of β·F_net = 0.448 OPEN to the worker, the rest to the owner; every other part as
		// in the worked example.
		let expected = FeeBreakdown {
			fee: 1_140 * OPEN / 1_000,
			refund: 860 * OPEN / 1_000,
			platform: OPEN / 2,
			model_owner: 4_032 * OPEN / 10_000,
			worker: 448 * OPEN / 10_000,
			stakers: 64 * OPEN / 1_000,
			contributors: 128 * OPEN / 1_000,
			remainder: 0,
		};
		assert_eq!(settled.breakdown, expected);
		assert_eq!(settled.per_contributor, vec![32 * OPEN / 1_000, 96 * OPEN / 1_000]);
		assert_eq!(free(WORKER), INITIAL_BALANCE + 448 * OPEN / 10_000);
		assert_eq!(free(OWNER), INITIAL_BALANCE + 4_032 * OPEN / 10_000);
		assert_eq!(free(TREASURY), INITIAL_BALANCE + OPEN / 2);
		assert_eq!(in_pot(), 64 * OPEN / 1_000);
		assert_eq!(free(USER), INITIAL_BALANCE - 1_140 * OPEN / 1_000);

		// To the unit: rates of 7 and 13 units per 1000 tokens, no platform fee. F_net =
		// ⌊(800·7 + 1201·13)/1000⌋ = 21, β·F_net = ⌊14.7⌋ = 14; the worker's 10% is ⌊1.4⌋ = 1
		// and the owner keeps 13: the worker's rounding stays with the owner, not the treasury.
		serve(MODEL, OWNER, 7, 13);
		set_platform_fee(PlatformFee::Flat(0));
		let id = open(USER, request(OPEN, 1));
		let b = FeeSplit::settle(&id, &WORKER, Perbill::from_percent(10), 1_201, &[])
			.unwrap()
			.breakdown;
		assert_eq!((b.fee, b.worker, b.model_owner, b.stakers), (21, 1, 13, 2));
		// δ's 4 (no contributors) and the split's rounding, 1.
		assert_eq!(b.remainder, 5);
		assert!(adds_up(&b));

		// All of it, if the owner set 100%.
		let id = open(USER, request(OPEN, 2));
		let b = FeeSplit::settle(&id, &WORKER, Perbill::one(), 1_201, &[]).unwrap().breakdown;
		assert_eq!((b.worker, b.model_owner), (14, 0));
	});
}

#[test]
fn a_withdrawn_contributions_share_goes_to_the_treasury() {
	new_test_ext().execute_with(|| {
		set_staked(MODEL, 400 * OPEN);
		// Influences 1, 2, 1 of δ·F_net = 0.128 OPEN: 0.032, 0.064, 0.032. The middle one was
		// withdrawn (or slashed) since training.
		let id = open(USER, request(2 * OPEN, 0));
		let settled =
			settle(&id, 1_200, &[(Some(CONTRIBUTOR_A), 1), (None, 2), (Some(CONTRIBUTOR_B), 1)])
				.unwrap();
		assert_eq!(settled.per_contributor, vec![32 * OPEN / 1_000, 0, 32 * OPEN / 1_000]);
		let b = settled.breakdown;
		assert_eq!(b.contributors, 64 * OPEN / 1_000);
		assert_eq!(b.remainder, 64 * OPEN / 1_000);
		assert!(adds_up(&b));
		assert_eq!(free(TREASURY), INITIAL_BALANCE + OPEN / 2 + 64 * OPEN / 1_000);
		assert_eq!(free(OWNER), INITIAL_BALANCE + 448 * OPEN / 1_000);
		assert_eq!(in_pot(), 64 * OPEN / 1_000);
		let (a, b) = (free(CONTRIBUTOR_A), free(CONTRIBUTOR_B));
		assert_eq!((a, b), (32 * OPEN / 1_000, 32 * OPEN / 1_000));

		// What the others get is what they would have got had it stayed: the withdrawn
		// influence is not shared among them.
		let id = open(USER, request(2 * OPEN, 1));
		let settled = settle(
			&id,
			1_200,
			&[(Some(CONTRIBUTOR_A), 1), (Some(OWNER), 2), (Some(CONTRIBUTOR_B), 1)],
		)
		.unwrap();
		assert_eq!(
			settled.per_contributor,
			vec![32 * OPEN / 1_000, 64 * OPEN / 1_000, 32 * OPEN / 1_000]
		);
		assert_eq!(free(CONTRIBUTOR_A) - a, 32 * OPEN / 1_000);
		assert_eq!(free(CONTRIBUTOR_B) - b, 32 * OPEN / 1_000);
	});
}

#[test]
fn with_nobody_staking_the_stakers_share_goes_to_the_treasury() {
	new_test_ext().execute_with(|| {
		// Stake on another model does not count; nor does stake that was all withdrawn.
		set_staked(MODEL + 1, 400 * OPEN);
		set_staked(MODEL, 0);
		let id = open(USER, request(2 * OPEN, 0));
		let settled = settle(&id, 1_200, &[(Some(CONTRIBUTOR_A), 1)]).unwrap();
		let b = settled.breakdown;
		assert_eq!(b.stakers, 0);
		assert_eq!(b.remainder, 64 * OPEN / 1_000);
		assert!(adds_up(&b));
		assert_eq!(free(TREASURY), INITIAL_BALANCE + OPEN / 2 + 64 * OPEN / 1_000);
		assert_eq!(in_pot(), 0);
		assert_eq!(rewarded(MODEL), 0);
		assert_eq!(rewarded(MODEL + 1), 0);
	});
}

#[test]
fn the_pot_receives_exactly_the_stakers_share_and_the_pool_is_credited_it() {
	new_test_ext().execute_with(|| {
		set_staked(MODEL, 1);
		let id = open(USER, request(2 * OPEN, 0));
		let b = settle(&id, 1_200, &[]).unwrap().breakdown;
		// γ·F_net = 0.1 · 0.64 OPEN, however many stake and however much.
		assert_eq!(b.stakers, 64 * OPEN / 1_000);
		assert_eq!(in_pot(), 64 * OPEN / 1_000);
		assert_eq!(rewarded(MODEL), 64 * OPEN / 1_000);

		// A share below the existential deposit still reaches the pot, which exists: 1 output
		// token, γ·F_net = 0.1 · (0.16 + 0.0004) OPEN.
		let id = open(USER, request(OPEN, 1));
		let b = settle(&id, 1, &[]).unwrap().breakdown;
		assert_eq!(b.stakers, 16_040 * OPEN / 1_000_000);
		assert_eq!(in_pot(), 64 * OPEN / 1_000 + 16_040 * OPEN / 1_000_000);
		assert_eq!(rewarded(MODEL), in_pot());

		let mut tiny = request(OPEN, 2);
		tiny.tokens_in = 0;
		let id = open(USER, tiny);
		let b = settle(&id, 1, &[]).unwrap().breakdown;
		assert_eq!(b.stakers, 40 * OPEN / 1_000_000);
		assert!(b.stakers < ED);
		assert_eq!(rewarded(MODEL), in_pot());
		assert_eq!(in_pot(), 64 * OPEN / 1_000 + 16_040 * OPEN / 1_000_000 + b.stakers);
	});
}

#[test]
fn a_reward_pool_that_refuses_the_share_leaves_no_trace() {
	new_test_ext().execute_with(|| {
		set_staked(MODEL, 400 * OPEN);
		set_reward_fails(true);
		let id = open(USER, request(2 * OPEN, 0));
		// The owner's, the worker's and the pot's shares would have moved before the pool
		// refused: all of it is undone.
		assert_noop!(
			FeeSplit::settle(
				&id,
				&WORKER,
				Perbill::from_percent(10),
				1_200,
				&[(Some(CONTRIBUTOR_A), 1)]
			),
			DispatchError::Other("nobody stakes on the model")
		);
		assert_eq!(held(USER), 2 * OPEN);
		assert!(FeeSplit::pending(&id).is_some());
	});
}

#[test]
fn shares_nobody_can_take_go_to_the_treasury() {
	new_test_ext().execute_with(|| {
		// No stakers, no contributors with positive influence.
		let id = open(USER, request(2 * OPEN, 0));
		let settled = settle(&id, 1_200, &[]).unwrap();
		assert_eq!(settled.breakdown.stakers, 0);
		assert_eq!(settled.breakdown.contributors, 0);
		assert_eq!(settled.breakdown.remainder, 192 * OPEN / 1_000);
		assert_eq!(free(TREASURY), INITIAL_BALANCE + OPEN / 2 + 192 * OPEN / 1_000);
		assert_eq!(free(OWNER), INITIAL_BALANCE + 448 * OPEN / 1_000);
	});
}

#[test]
fn a_share_below_the_existential_deposit_for_a_new_account_goes_to_the_treasury() {
	new_test_ext().execute_with(|| {
		// A tiny answer: no input, 1 output token at 0.4 OPEN/1000 → usage 0.0004 OPEN;
		// δ·usage = 0.00008 OPEN, less than the 0.001 OPEN a new account needs.
		let mut tiny = request(OPEN, 0);
		tiny.tokens_in = 0;
		tiny.workers = BoundedVec::truncate_from(vec![WORKER, 77]);
		let id = open(USER, tiny);
		// A new worker account cannot take its 10% of β·usage = 0.000028 OPEN either.
		let settled =
			FeeSplit::settle(&id, &77, Perbill::from_percent(10), 1, &[(Some(CONTRIBUTOR_A), 1)])
				.unwrap();
		assert_eq!(settled.per_contributor, vec![0]);
		assert_eq!(free(CONTRIBUTOR_A), 0);
		assert_eq!(free(77), 0);
		let b = settled.breakdown;
		assert!(adds_up(&b));
		assert_eq!(b.worker, 0);
		// δ's 0.00008 OPEN, γ's 0.00004 OPEN (no stakers) and the worker's 0.000028 OPEN.
		assert_eq!(b.remainder, 148 * OPEN / 1_000_000);
		// The owner exists, so a share below the ED still reaches them; and only their part
		// less the worker's.
		assert_eq!(b.model_owner, 252 * OPEN / 1_000_000);
	});
}

#[test]
fn an_unsettled_request_is_refunded_in_full_after_expiry() {
	new_test_ext().execute_with(|| {
		let id = open(USER, request(2 * OPEN, 0));
		run_to(10);
		// Block 10 is its last: still settleable, still held.
		assert!(FeeSplit::pending(&id).is_some());
		assert_eq!(held(USER), 2 * OPEN);
		run_to(11);
		assert_eq!(held(USER), 0);
		assert_eq!(free(USER), INITIAL_BALANCE);
		assert!(Requests::<Test>::get(id).is_none());
		assert!(FeeSplit::pending(&id).is_none());
		System::assert_last_event(
			Event::InferenceExpired { request: id, user: USER, refunded: 2 * OPEN }.into(),
		);
		assert_noop!(settle(&id, 1, &[]), Error::<Test>::UnknownRequest);
	});
}

#[test]
fn a_settled_request_is_forgotten_at_expiry_without_paying_twice() {
	new_test_ext().execute_with(|| {
		let id = open(USER, request(2 * OPEN, 0));
		assert_ok!(settle(&id, 1_200, &[]));
		assert_noop!(settle(&id, 1_200, &[]), Error::<Test>::AlreadySettled);
		let after_settlement = free(USER);
		run_to(11);
		assert_eq!(free(USER), after_settlement);
		assert!(Requests::<Test>::get(id).is_none());
	});
}

#[test]
fn settlement_never_charges_more_than_the_user_allowed() {
	new_test_ext().execute_with(|| {
		let id = open(USER, request(OPEN, 0));
		assert_noop!(settle(&id, 1_200, &[]), Error::<Test>::FeeAboveMax);
		assert_noop!(settle(&id, 2_001, &[]), Error::<Test>::TooManyOutputTokens);
		run_to(11);
		assert_noop!(settle(&id, 1, &[]), Error::<Test>::UnknownRequest);
		assert_noop!(settle(&H256::repeat_byte(1), 1, &[]), Error::<Test>::UnknownRequest);
	});
}

#[test]
fn settlement_fails_whole_when_the_model_stops_being_served() {
	new_test_ext().execute_with(|| {
		let id = open(USER, request(2 * OPEN, 0));
		unserve(MODEL);
		assert_noop!(settle(&id, 1, &[]), Error::<Test>::ModelNotServed);
		assert_eq!(held(USER), 2 * OPEN);
	});
}

#[test]
fn requests_are_checked_before_anything_is_held() {
	new_test_ext().execute_with(|| {
		let user = RuntimeOrigin::signed(USER);
		let mut bad = request(2 * OPEN, 0);
		bad.model = 9;
		assert_noop!(FeeSplit::request_inference(user.clone(), bad), Error::<Test>::ModelNotServed);
		let mut bad = request(2 * OPEN, 0);
		bad.expires_at = 1;
		assert_noop!(
			FeeSplit::request_inference(user.clone(), bad.clone()),
			Error::<Test>::Expired
		);
		bad.expires_at = 102;
		assert_noop!(FeeSplit::request_inference(user.clone(), bad), Error::<Test>::ExpiryTooFar);
		let mut bad = request(2 * OPEN, 0);
		bad.max_output_tokens = 0;
		assert_noop!(FeeSplit::request_inference(user.clone(), bad), Error::<Test>::NoOutputTokens);
		assert_noop!(
			FeeSplit::request_inference(user.clone(), request(OPEN / 4, 0)),
			Error::<Test>::MaxFeeTooLow
		);
		let mut bad = request(2 * OPEN, 0);
		bad.tokens_in = u32::MAX;
		serve(MODEL, OWNER, u128::MAX / 2, 0);
		assert_noop!(FeeSplit::request_inference(user.clone(), bad), Error::<Test>::FeeOverflow);
		serve(MODEL, OWNER, OPEN / 5, 2 * OPEN / 5);
		assert_noop!(
			FeeSplit::request_inference(user.clone(), request(INITIAL_BALANCE, 0)),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			FeeSplit::request_inference(RuntimeOrigin::signed(CONTRIBUTOR_A), request(OPEN, 0)),
			Error::<Test>::InsufficientBalance
		);
		open(USER, request(2 * OPEN, 0));
		assert_noop!(
			FeeSplit::request_inference(user.clone(), request(2 * OPEN, 0)),
			Error::<Test>::DuplicateRequest
		);
		// Four may expire in one block in the mock.
		for nonce in 1..4 {
			open(USER, request(2 * OPEN, nonce));
		}
		assert_noop!(
			FeeSplit::request_inference(user, request(2 * OPEN, 9)),
			Error::<Test>::TooManyExpiring
		);
	});
}

#[test]
fn an_off_chain_signed_request_is_held_from_its_signer_once() {
	new_test_ext().execute_with(|| {
		let req = request(2 * OPEN, 5);
		let digest = FeeSplit::signing_digest(&req);
		assert_eq!(
			digest,
			BlakeTwo256::hash_of(&(crate::SIGNING_CONTEXT, System::block_hash(0), &req))
		);
		let signature = TestSignature(USER, digest.as_bytes().to_vec());

		// The worker brings it on-chain; the user pays.
		assert_ok!(FeeSplit::submit_signed_request(
			RuntimeOrigin::signed(WORKER),
			req.clone(),
			USER,
			signature.clone()
		));
		let id = FeeSplit::request_id(&USER, &req);
		assert_eq!(held(USER), 2 * OPEN);
		assert_eq!(held(WORKER), 0);
		let record = Requests::<Test>::get(id).unwrap();
		assert!(record.signed_off_chain);
		assert_eq!(record.user, USER);

		// Replayed: before and after settlement, and by the user themselves.
		assert_noop!(
			FeeSplit::submit_signed_request(
				RuntimeOrigin::signed(WORKER),
				req.clone(),
				USER,
				signature.clone()
			),
			Error::<Test>::DuplicateRequest
		);
		assert_noop!(
			FeeSplit::request_inference(RuntimeOrigin::signed(USER), req.clone()),
			Error::<Test>::DuplicateRequest
		);
		assert_ok!(settle(&id, 1_200, &[]));
		assert_noop!(
			FeeSplit::submit_signed_request(
				RuntimeOrigin::signed(WORKER),
				req.clone(),
				USER,
				signature.clone()
			),
			Error::<Test>::DuplicateRequest
		);
		// After expiry the record is gone, but so is the request's validity.
		run_to(11);
		assert_noop!(
			FeeSplit::submit_signed_request(RuntimeOrigin::signed(WORKER), req, USER, signature),
			Error::<Test>::Expired
		);
	});
}

#[test]
fn a_signature_for_anything_else_is_refused() {
	new_test_ext().execute_with(|| {
		let req = request(2 * OPEN, 5);
		let payload = FeeSplit::signing_digest(&req).as_bytes().to_vec();
		// Signed by someone else.
		assert_noop!(
			FeeSplit::submit_signed_request(
				RuntimeOrigin::signed(WORKER),
				req.clone(),
				USER,
				TestSignature(OWNER, payload)
			),
			Error::<Test>::BadSignature
		);
		// Over another request (a higher max fee than the user signed).
		let signature = TestSignature(USER, FeeSplit::signing_digest(&req).as_bytes().to_vec());
		let mut raised = req.clone();
		raised.max_fee = 3 * OPEN;
		assert_noop!(
			FeeSplit::submit_signed_request(
				RuntimeOrigin::signed(WORKER),
				raised,
				USER,
				signature.clone()
			),
			Error::<Test>::BadSignature
		);
		// Over another request (a worker the user did not name added).
		let mut widened = req;
		widened.workers = BoundedVec::truncate_from(vec![WORKER, OTHER_WORKER]);
		assert_noop!(
			FeeSplit::submit_signed_request(
				RuntimeOrigin::signed(OTHER_WORKER),
				widened,
				USER,
				signature
			),
			Error::<Test>::BadSignature
		);
		// Over the digest of the raw request, without the context and genesis hash.
		let bare = request(2 * OPEN, 6);
		assert_noop!(
			FeeSplit::submit_signed_request(
				RuntimeOrigin::signed(WORKER),
				bare.clone(),
				USER,
				TestSignature(USER, BlakeTwo256::hash_of(&bare).as_bytes().to_vec())
			),
			Error::<Test>::BadSignature
		);
	});
}

#[test]
fn a_wallet_wrapped_signature_is_accepted() {
	new_test_ext().execute_with(|| {
		let req = request(2 * OPEN, 5);
		let digest = FeeSplit::signing_digest(&req);
		let wrapped = [&b"<Bytes>"[..], digest.as_bytes(), &b"</Bytes>"[..]].concat();
		assert_ok!(FeeSplit::submit_signed_request(
			RuntimeOrigin::signed(WORKER),
			req,
			USER,
			TestSignature(USER, wrapped)
		));
		assert_eq!(held(USER), 2 * OPEN);
	});
}

#[test]
fn a_split_that_does_not_add_up_is_refused() {
	new_test_ext().execute_with(|| {
		let id = open(USER, request(2 * OPEN, 0));
		set_split(Split {
			model: Perbill::from_percent(70),
			stakers: Perbill::from_percent(10),
			contributors: Perbill::from_percent(10),
		});
		assert_noop!(settle(&id, 1, &[]), Error::<Test>::InvalidFeeSplit);
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(200))]

	/// Over random rates, token counts, splits, worker shares, stake and influences (some of
	/// withdrawn contributions): the user pays exactly the quoted fee for the request's input
	/// count, the breakdown adds up to it, the worker and the owner share β·F_net exactly, the
	/// pot gets what the pool was credited, every balance change adds up to zero and the total
	/// issuance does not move. Nothing minted, nothing lost.
	#[test]
	fn settlement_conserves_value(
		rate_in in 0u128..OPEN,
		rate_out in 0u128..(10 * OPEN),
		tokens_in in 0u32..100_000,
		tokens_out in 1u32..2_000,
		model_part in 0u32..=1_000_000_000,
		stakers_part in 0u32..=1_000_000_000,
		flat in proptest::option::of(0u128..OPEN),
		eta in 0u32..=1_000_000_000,
		worker_share in 0u32..=1_000_000_000,
		staked in prop_oneof![Just(0u128), 1u128..(1_000 * OPEN)],
		influences in proptest::collection::vec((any::<bool>(), 1u128..1_000_000_000_000), 0..3),
	) {
		new_test_ext().execute_with(|| {
			serve(MODEL, OWNER, rate_in, rate_out);
			let stakers_part = stakers_part.min(1_000_000_000 - model_part);
			let split = Split {
				model: Perbill::from_parts(model_part),
				stakers: Perbill::from_parts(stakers_part),
				contributors: Perbill::from_parts(1_000_000_000 - model_part - stakers_part),
			};
			set_split(split);
			set_platform_fee(match flat {
				Some(amount) => PlatformFee::Flat(amount),
				None => PlatformFee::Percentage(Perbill::from_parts(eta)),
			});
			set_staked(MODEL, staked);
			let contributors: Vec<(Option<AccountId>, u128)> = [CONTRIBUTOR_A, CONTRIBUTOR_B, OWNER]
				.into_iter()
				.zip(influences)
				.map(|(who, (present, influence))| (present.then_some(who), influence))
				.collect();
			let worker_share = Perbill::from_parts(worker_share);

			let everyone = [USER, OWNER, WORKER, POT, CONTRIBUTOR_A, CONTRIBUTOR_B, TREASURY];
			let total = |who: AccountId| Balances::total_balance(&who);
			let before: Vec<Balance> = everyone.iter().map(|w| total(*w)).collect();
			let issuance = Balances::total_issuance();

			let quote = FeeSplit::quote(MODEL, tokens_in, tokens_out).unwrap();
			let mut req = request(quote.total.max(1) + 1, 0);
			req.tokens_in = tokens_in;
			let id = open(USER, req);
			let settled =
				FeeSplit::settle(&id, &WORKER, worker_share, tokens_out, &contributors).unwrap();
			let b = settled.breakdown;

			prop_assert_eq!(b.fee, quote.total);
			prop_assert!(adds_up(&b));
			// Both exist, so both are paid, and only out of β·F_net.
			let beta = split.model.mul_floor(quote.usage);
			prop_assert_eq!(b.worker, worker_share.mul_floor(beta));
			prop_assert_eq!(b.worker + b.model_owner, beta);
			// The pot exists, so it gets all of γ·F_net when anyone stakes, nothing otherwise.
			let gamma = split.stakers.mul_floor(quote.usage);
			prop_assert_eq!(b.stakers, if staked > 0 { gamma } else { 0 });
			prop_assert_eq!(rewarded(MODEL), b.stakers);
			prop_assert_eq!(total(POT), ED + b.stakers);
			prop_assert_eq!(settled.per_contributor.len(), contributors.len());
			prop_assert_eq!(settled.per_contributor.iter().sum::<Balance>(), b.contributors);
			for ((who, _), paid) in contributors.iter().zip(&settled.per_contributor) {
				if who.is_none() {
					prop_assert_eq!(*paid, 0);
				}
			}
			prop_assert_eq!(held(USER), 0);
			prop_assert_eq!(total(USER), before[0] - b.fee);
			let after: Vec<Balance> = everyone.iter().map(|w| total(*w)).collect();
			let gained: Balance = after.iter().zip(&before).skip(1).map(|(a, b)| a - b).sum();
			prop_assert_eq!(gained, b.fee);
			prop_assert_eq!(Balances::total_issuance(), issuance);
			Ok(())
		})?;
	}
}

#[test]
fn a_node_checks_a_signed_request_without_changing_anything() {
	new_test_ext().execute_with(|| {
		let req = request(2 * OPEN, 9);
		let digest = FeeSplit::signing_digest(&req);
		let signature = TestSignature(USER, digest.as_bytes().to_vec());
		let storage_before = sp_io::storage::root(sp_runtime::StateVersion::V1);

		assert_eq!(
			FeeSplit::check_signed_request(&req, &USER, &signature, 0),
			Ok(FeeSplit::request_id(&USER, &req))
		);
		let forged = TestSignature(WORKER, digest.as_bytes().to_vec());
		assert_eq!(
			FeeSplit::check_signed_request(&req, &USER, &forged, 0),
			Err(Error::<Test>::BadSignature.into())
		);
		// What the node has already answered for this user counts against their balance.
		let everything = free(USER);
		assert_eq!(
			FeeSplit::check_signed_request(&req, &USER, &signature, everything - OPEN),
			Err(Error::<Test>::InsufficientBalance.into())
		);
		assert_eq!(storage_before, sp_io::storage::root(sp_runtime::StateVersion::V1));
		assert_eq!(held(USER), 0);

		// Once it is in escrow, it would be a duplicate.
		assert_ok!(FeeSplit::submit_signed_request(
			RuntimeOrigin::signed(WORKER),
			req.clone(),
			USER,
			signature.clone()
		));
		assert_eq!(
			FeeSplit::check_signed_request(&req, &USER, &signature, 0),
			Err(Error::<Test>::DuplicateRequest.into())
		);
	});
}
