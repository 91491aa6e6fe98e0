//! The OPEN token: its units and the genesis allocation of the OpenLedger whitepaper's tokenomics
//! table (§5.1, Table 2).

use sp_runtime::Permill;

/// Balance of an account, in the smallest unit (10^-18 OPEN).
pub type Balance = u128;

/// Ticker shown by wallets (chain property `tokenSymbol`).
pub const TOKEN_SYMBOL: &str = "OPEN";
/// Decimal places (chain property `tokenDecimals`).
pub const TOKEN_DECIMALS: u8 = 18;

/// One OPEN.
pub const OPEN: Balance = 1_000_000_000_000_000_000;
/// 10^-3 OPEN.
pub const MILLI_OPEN: Balance = OPEN / 1_000;
/// 10^-6 OPEN.
pub const MICRO_OPEN: Balance = MILLI_OPEN / 1_000;

/// The whole supply, minted once at genesis and never again.
pub const TOTAL_SUPPLY: Balance = 1_000_000_000 * OPEN;

/// A category of the genesis allocation (OpenLedger whitepaper §5.1, Table 2, "Tokenomics of OPEN
/// Token").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocationCategory {
	Community,
	Investors,
	Team,
	Liquidity,
	Ecosystem,
}

impl AllocationCategory {
	pub const ALL: [AllocationCategory; 5] = [
		AllocationCategory::Community,
		AllocationCategory::Investors,
		AllocationCategory::Team,
		AllocationCategory::Liquidity,
		AllocationCategory::Ecosystem,
	];

	/// Share of the total supply: 51.71%, 18.29%, 15%, 5%, 10%.
	pub const fn share(self) -> Permill {
		match self {
			AllocationCategory::Community => Permill::from_parts(517_100),
			AllocationCategory::Investors => Permill::from_parts(182_900),
			AllocationCategory::Team => Permill::from_parts(150_000),
			AllocationCategory::Liquidity => Permill::from_parts(50_000),
			AllocationCategory::Ecosystem => Permill::from_parts(100_000),
		}
	}

	/// The amount of OPEN of this category at genesis. Every share is a whole number of
	/// ten-thousandths of the supply, so the product is exact.
	pub fn amount(self) -> Balance {
		self.share().mul_floor(TOTAL_SUPPLY)
	}

	/// Seed of the keyless account that holds this category until governance distributes it.
	pub const fn pallet_id(self) -> [u8; 8] {
		match self {
			AllocationCategory::Community => *b"ol/commu",
			AllocationCategory::Investors => *b"ol/invst",
			AllocationCategory::Team => *b"ol/team_",
			AllocationCategory::Liquidity => *b"ol/liqdt",
			AllocationCategory::Ecosystem => *b"ol/ecosy",
		}
	}

	pub const fn name(self) -> &'static str {
		match self {
			AllocationCategory::Community => "Community",
			AllocationCategory::Investors => "Investors",
			AllocationCategory::Team => "Team",
			AllocationCategory::Liquidity => "Liquidity",
			AllocationCategory::Ecosystem => "Ecosystem",
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn shares_are_the_seed_table_and_sum_to_the_whole() {
		let percent_hundredths: alloc::vec::Vec<u32> =
			AllocationCategory::ALL.iter().map(|c| c.share().deconstruct() / 100).collect();
		assert_eq!(percent_hundredths, [5171, 1829, 1500, 500, 1000]);
		let total: u32 = AllocationCategory::ALL.iter().map(|c| c.share().deconstruct()).sum();
		assert_eq!(total, 1_000_000);
	}

	#[test]
	fn amounts_sum_to_the_total_supply_exactly() {
		let sum: Balance = AllocationCategory::ALL.iter().map(|c| c.amount()).sum();
		assert_eq!(sum, TOTAL_SUPPLY);
		assert_eq!(AllocationCategory::Community.amount(), 517_100_000 * OPEN);
		assert_eq!(AllocationCategory::Investors.amount(), 182_900_000 * OPEN);
		assert_eq!(AllocationCategory::Team.amount(), 150_000_000 * OPEN);
		assert_eq!(AllocationCategory::Liquidity.amount(), 50_000_000 * OPEN);
		assert_eq!(AllocationCategory::Ecosystem.amount(), 100_000_000 * OPEN);
	}
}
