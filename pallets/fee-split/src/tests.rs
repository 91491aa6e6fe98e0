use crate::{
	mock::*, Error, Event, FeeBreakdown, InferenceEscrow, InferenceRequest, RequestStatus, Requests,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
};
use openledger_primitives::{FeeSplit as Split, PlatformFee};
use proptest::prelude::*;
use sp_core::H256;
use sp_runtime::{
	testing::TestSignature,
	traits::{BlakeTwo256, Hash},
	Perbill,
};

fn request(max_fee: Balance, nonce: u64) -> InferenceRequest<Balance, u64> {
	InferenceRequest {
		model: MODEL,
		prompt_hash: H256::repeat_byte(7),
		max_output_tokens: 2_000,
		max_fee,
		nonce,
		expires_at: 10,
	}
}

fn open(who: AccountId, request: InferenceRequest<Balance, u64>) -> H256 {
	assert_ok!(FeeSplit::request_inference(RuntimeOrigin::signed(who), request.clone()));
	FeeSplit::request_id(&who, &request)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::InferenceEscrow.into(), &who)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
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
		// Stakers: A has 3/4 of the stake, B 1/4.
		set_stakes(MODEL, vec![(STAKER_A, 300 * OPEN), (STAKER_B, 100 * OPEN)]);
		let id = open(USER, request(2 * OPEN, 0));
		assert_eq!(held(USER), 2 * OPEN);
		assert_eq!(free(USER), INITIAL_BALANCE - 2 * OPEN);

		// Contributor A has w = 0.25 (influence 1 of 4), B 0.75.
		let settled =
			FeeSplit::settle(&id, 800, 1_200, &[(CONTRIBUTOR_A, 1), (CONTRIBUTOR_B, 3)]).unwrap();

		let expected = FeeBreakdown {
			fee: 1_140 * OPEN / 1_000,
			refund: 860 * OPEN / 1_000,
			platform: OPEN / 2,
			model_owner: 448 * OPEN / 1_000,
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
		assert_eq!(free(STAKER_A), 48 * OPEN / 1_000);
		assert_eq!(free(STAKER_B), 16 * OPEN / 1_000);
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
fn shares_nobody_can_take_go_to_the_treasury() {
	new_test_ext().execute_with(|| {
		// No stakers, no contributors with positive influence.
		let id = open(USER, request(2 * OPEN, 0));
		let settled = FeeSplit::settle(&id, 800, 1_200, &[]).unwrap();
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
		// A tiny answer: 1 output token at 0.4 OPEN/1000 → usage 0.0004 OPEN; δ·usage = 0.00008
		// OPEN, less than the 0.001 OPEN a new account needs.
		let id = open(USER, request(OPEN, 0));
		let settled = FeeSplit::settle(&id, 0, 1, &[(CONTRIBUTOR_A, 1)]).unwrap();
		assert_eq!(settled.per_contributor, vec![0]);
		assert_eq!(free(CONTRIBUTOR_A), 0);
		let b = settled.breakdown;
		assert_eq!(b.platform + b.model_owner + b.stakers + b.contributors + b.remainder, b.fee);
		// δ's 0.00008 OPEN and γ's 0.00004 OPEN (no stakers).
		assert_eq!(b.remainder, 120 * OPEN / 1_000_000);
		// The owner exists, so a share below the ED still reaches them.
		assert_eq!(b.model_owner, 280 * OPEN / 1_000_000);
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
		assert_noop!(FeeSplit::settle(&id, 1, 1, &[]), Error::<Test>::UnknownRequest);
	});
}

#[test]
fn a_settled_request_is_forgotten_at_expiry_without_paying_twice() {
	new_test_ext().execute_with(|| {
		let id = open(USER, request(2 * OPEN, 0));
		assert_ok!(FeeSplit::settle(&id, 800, 1_200, &[]));
		assert_noop!(FeeSplit::settle(&id, 800, 1_200, &[]), Error::<Test>::AlreadySettled);
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
		assert_noop!(FeeSplit::settle(&id, 800, 1_200, &[]), Error::<Test>::FeeAboveMax);
		assert_noop!(FeeSplit::settle(&id, 0, 2_001, &[]), Error::<Test>::TooManyOutputTokens);
		run_to(11);
		assert_noop!(FeeSplit::settle(&id, 1, 1, &[]), Error::<Test>::UnknownRequest);
		assert_noop!(
			FeeSplit::settle(&H256::repeat_byte(1), 1, 1, &[]),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn settlement_fails_whole_when_the_model_stops_being_served() {
	new_test_ext().execute_with(|| {
		let id = open(USER, request(2 * OPEN, 0));
		unserve(MODEL);
		assert_noop!(FeeSplit::settle(&id, 1, 1, &[]), Error::<Test>::ModelNotServed);
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
		assert_ok!(FeeSplit::settle(&id, 800, 1_200, &[]));
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
		let mut raised = req;
		raised.max_fee = 3 * OPEN;
		assert_noop!(
			FeeSplit::submit_signed_request(RuntimeOrigin::signed(WORKER), raised, USER, signature),
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
		assert_noop!(FeeSplit::settle(&id, 1, 1, &[]), Error::<Test>::InvalidFeeSplit);
	});
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(200))]

	/// Over random rates, token counts, splits, stakes and influences: the user pays exactly the
	/// quoted fee, the breakdown adds up to it, every balance change adds up to zero and the
	/// total issuance does not move. Nothing minted, nothing lost.
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
		stakes in proptest::collection::vec(1u128..(1_000 * OPEN), 0..2),
		influences in proptest::collection::vec(1u128..1_000_000_000_000, 0..2),
	) {
		new_test_ext().execute_with(|| {
			serve(MODEL, OWNER, rate_in, rate_out);
			let stakers_part = stakers_part.min(1_000_000_000 - model_part);
			set_split(Split {
				model: Perbill::from_parts(model_part),
				stakers: Perbill::from_parts(stakers_part),
				contributors: Perbill::from_parts(1_000_000_000 - model_part - stakers_part),
			});
			set_platform_fee(match flat {
				Some(amount) => PlatformFee::Flat(amount),
				None => PlatformFee::Percentage(Perbill::from_parts(eta)),
			});
			let stakers = [STAKER_A, STAKER_B];
			set_stakes(MODEL, stakers.iter().copied().zip(stakes.iter().copied()).collect());
			let contributors: Vec<(AccountId, u128)> =
				[CONTRIBUTOR_A, CONTRIBUTOR_B].into_iter().zip(influences).collect();

			let everyone = [USER, OWNER, STAKER_A, STAKER_B, CONTRIBUTOR_A, CONTRIBUTOR_B, TREASURY];
			let total = |who: AccountId| Balances::total_balance(&who);
			let before: Vec<Balance> = everyone.iter().map(|w| total(*w)).collect();
			let issuance = Balances::total_issuance();

			let quote = FeeSplit::quote(MODEL, tokens_in, tokens_out).unwrap();
			let id = open(USER, request(quote.total.max(1) + 1, 0));
			let settled = FeeSplit::settle(&id, tokens_in, tokens_out, &contributors).unwrap();
			let b = settled.breakdown;

			prop_assert_eq!(b.fee, quote.total);
			prop_assert_eq!(b.platform + b.model_owner + b.stakers + b.contributors + b.remainder, b.fee);
			prop_assert_eq!(settled.per_contributor.iter().sum::<Balance>(), b.contributors);
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
