//! The fee arithmetic of the OpenLedger whitepaper §2.2.4 (step 3), exact in the token's smallest
//! unit.
//!
//! Every function rounds down; what rounding leaves over is returned to the caller, which pays
//! it to the treasury, so that the parts of a fee always add up to the fee.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use openledger_primitives::{FeeSplit, PlatformFee};
use scale_info::TypeInfo;
use sp_core::U256;
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};

/// Rates are quoted per this many tokens.
pub const TOKENS_PER_RATE: u32 = 1_000;

/// The price of an inference before it is split.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct FeeQuote<Balance> {
	/// (T_in/1000)·R_in + (T_out/1000)·R_out: the net fee F_net that is split.
	pub usage: Balance,
	/// F_platform, to the treasury.
	pub platform: Balance,
	/// Fee_inference = usage + platform: what the user pays.
	pub total: Balance,
}

/// The net fee's three parts, before they are shared among stakers and contributors.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct NetSplit {
	pub model: u128,
	pub stakers: u128,
	pub contributors: u128,
	/// F_net less the three floors.
	pub remainder: u128,
}

/// (T_in·R_in + T_out·R_out) / 1000, rounded down once at the end; `None` if it does not fit
/// in `u128`.
pub fn usage_fee(tokens_in: u32, tokens_out: u32, rate_in: u128, rate_out: u128) -> Option<u128> {
	let input = U256::from(tokens_in).checked_mul(U256::from(rate_in))?;
	let output = U256::from(tokens_out).checked_mul(U256::from(rate_out))?;
	let usage = input.checked_add(output)?.checked_div(U256::from(TOKENS_PER_RATE))?;
	u128::try_from(usage).ok()
}

/// The full price: the usage fee plus the platform fee, flat or η·usage.
pub fn quote(usage: u128, platform_fee: PlatformFee<u128>) -> Option<FeeQuote<u128>> {
	let platform = match platform_fee {
		PlatformFee::Flat(amount) => amount,
		PlatformFee::Percentage(eta) => eta.mul_floor(usage),
	};
	Some(FeeQuote { usage, platform, total: usage.checked_add(platform)? })
}

/// β·F_net, γ·F_net and δ·F_net, each rounded down, and what is left.
pub fn split_net(net: u128, split: FeeSplit) -> NetSplit {
	let model = split.model.mul_floor(net);
	let stakers = split.stakers.mul_floor(net);
	let contributors = split.contributors.mul_floor(net);
	let remainder = net.saturating_sub(model).saturating_sub(stakers).saturating_sub(contributors);
	NetSplit { model, stakers, contributors, remainder }
}

/// `amount` shared pro rata to `weights`: share_i = ⌊amount·w_i / Σw⌋. Nothing is shared when
/// every weight is zero. Never gives out more than `amount`.
pub fn pro_rata(amount: u128, weights: &[u128]) -> Vec<u128> {
	let total = weights.iter().fold(0u128, |sum, w| sum.saturating_add(*w));
	weights
		.iter()
		.map(|w| {
			if total == 0 {
				0
			} else {
				multiply_by_rational_with_rounding(amount, *w, total, Rounding::Down).unwrap_or(0)
			}
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;
	use sp_runtime::Perbill;

	/// 1 OPEN in the smallest unit (18 decimals).
	const OPEN: u128 = 1_000_000_000_000_000_000;

	#[test]
	fn the_seed_worked_example() {
		// T_in = 800 at 0.2 OPEN, T_out = 1200 at 0.4 OPEN, flat platform fee 0.5 OPEN.
		let usage = usage_fee(800, 1200, OPEN / 5, 2 * OPEN / 5).unwrap();
		assert_eq!(usage, 64 * OPEN / 100);
		let quote = quote(usage, PlatformFee::Flat(OPEN / 2)).unwrap();
		assert_eq!(quote.total, 114 * OPEN / 100);
		let net = split_net(quote.usage, FeeSplit::default());
		assert_eq!(net.model, 448 * OPEN / 1000);
		assert_eq!(net.stakers, 64 * OPEN / 1000);
		assert_eq!(net.contributors, 128 * OPEN / 1000);
		assert_eq!(net.remainder, 0);
		// A contributor with w = 0.25 among others with 0.75.
		let shares = pro_rata(net.contributors, &[25, 50, 25]);
		assert_eq!(shares, vec![32 * OPEN / 1000, 64 * OPEN / 1000, 32 * OPEN / 1000]);
	}

	#[test]
	fn percentage_platform_fee_is_a_share_of_usage() {
		let quote = quote(1_000, PlatformFee::Percentage(Perbill::from_percent(5))).unwrap();
		assert_eq!(quote, FeeQuote { usage: 1_000, platform: 50, total: 1_050 });
	}

	#[test]
	fn usage_rounds_down_once() {
		// 1 token at rate 999 and 1 at rate 1: 1000/1000 = 1, not 0 + 0.
		assert_eq!(usage_fee(1, 1, 999, 1), Some(1));
		assert_eq!(usage_fee(1, 0, 999, 1), Some(0));
	}

	#[test]
	fn overflow_is_none_not_a_panic() {
		assert_eq!(usage_fee(u32::MAX, u32::MAX, u128::MAX, u128::MAX), None);
		assert_eq!(quote(u128::MAX, PlatformFee::Flat(1)), None);
		assert_eq!(pro_rata(u128::MAX, &[u128::MAX, u128::MAX]).len(), 2);
	}

	#[test]
	fn nothing_is_shared_over_zero_weights() {
		assert_eq!(pro_rata(100, &[0, 0]), vec![0, 0]);
		assert_eq!(pro_rata(100, &[]), Vec::<u128>::new());
	}

	proptest! {
		/// The parts of the net fee and of every pro-rata share never exceed the whole, and the
		/// rounding loss is less than one unit per recipient.
		#[test]
		fn splitting_conserves_value(
			net in 0u128..(u128::MAX / 4),
			model in 0u32..=1_000_000_000,
			stakers_cut in 0u32..=1_000_000_000,
			weights in proptest::collection::vec(0u128..u64::MAX as u128, 0..64),
		) {
			let stakers = stakers_cut.min(1_000_000_000 - model);
			let split = FeeSplit {
				model: Perbill::from_parts(model),
				stakers: Perbill::from_parts(stakers),
				contributors: Perbill::from_parts(1_000_000_000 - model - stakers),
			};
			prop_assert!(split.is_complete());
			let parts = split_net(net, split);
			prop_assert_eq!(parts.model + parts.stakers + parts.contributors + parts.remainder, net);
			prop_assert!(parts.remainder < 3);

			let shares = pro_rata(parts.contributors, &weights);
			let paid: u128 = shares.iter().sum();
			prop_assert!(paid <= parts.contributors);
			if weights.iter().any(|w| *w > 0) {
				prop_assert!(parts.contributors - paid < weights.len() as u128);
			}
		}
	}
}
