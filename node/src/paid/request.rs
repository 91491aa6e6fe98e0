//! What a paid request carries: the id of a request held in escrow, or a request the user signed
//! off-chain with its signature, and the prompt it was made for.

use crate::serving::error::{ServingError, ServingResult};
use codec::Decode;
use openledger_runtime::{AccountId, Balance, BlockNumber};
use serde::Deserialize;
use serde_json::Value;
use sp_core::H256;
use sp_runtime::MultiSignature;

/// What `inference_answerRequest` takes: `request` (an id in escrow) or `signedRequest`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AnswerParams {
	/// The request's id in escrow.
	#[serde(default)]
	pub request: Option<H256>,
	/// A request the user signed off-chain, for this node to bring on-chain.
	#[serde(default)]
	pub signed_request: Option<SignedRequest>,
	/// The prompt, whose blake2-256 the request carries; answered as the user's chat message.
	pub prompt: String,
	#[serde(default)]
	pub temperature: f32,
	pub seed: Option<u64>,
}

/// A request the user signed off-chain: the fields of `feeSplit.InferenceRequest`, the user,
/// and their signature over the request's signing digest (bare or wallet-wrapped).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SignedRequest {
	pub request: RequestFields,
	/// SS58 address.
	pub user: AccountId,
	/// A 64-byte sr25519 signature, or a SCALE-encoded `MultiSignature`.
	pub signature: sp_core::Bytes,
}

/// `feeSplit.InferenceRequest` in JSON; `maxFee` in the smallest unit, as a string or number;
/// `workers` as SS58 addresses.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequestFields {
	pub model: u32,
	pub prompt_hash: H256,
	pub tokens_in: u32,
	pub workers: Vec<AccountId>,
	pub max_output_tokens: u32,
	#[serde(deserialize_with = "balance")]
	pub max_fee: Balance,
	pub nonce: u64,
	pub expires_at: BlockNumber,
}

pub type InferenceRequest = pallet_fee_split::InferenceRequest<AccountId, Balance, BlockNumber>;

impl TryFrom<&RequestFields> for InferenceRequest {
	type Error = ServingError;

	fn try_from(r: &RequestFields) -> ServingResult<Self> {
		let workers = r.workers.clone().try_into().map_err(|_| {
			ServingError::refused(format!(
				"`workers`: at most {} workers",
				pallet_fee_split::MAX_WORKERS_PER_REQUEST
			))
		})?;
		Ok(Self {
			model: r.model,
			prompt_hash: r.prompt_hash,
			tokens_in: r.tokens_in,
			workers,
			max_output_tokens: r.max_output_tokens,
			max_fee: r.max_fee,
			nonce: r.nonce,
			expires_at: r.expires_at,
		})
	}
}

fn balance<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Balance, D::Error> {
	use serde::de::Error as _;
	match Value::deserialize(d)? {
		Value::String(s) => s.parse().map_err(D::Error::custom),
		Value::Number(n) => n.as_u64().map(Balance::from).ok_or_else(|| {
			D::Error::custom("a balance above 2^64 must be given as a string of digits")
		}),
		other => Err(D::Error::custom(format!("a balance, not {other}"))),
	}
}

impl SignedRequest {
	pub fn signature(&self) -> ServingResult<MultiSignature> {
		let bytes = &self.signature.0;
		if let Ok(raw) = <[u8; 64]>::try_from(bytes.as_slice()) {
			return Ok(MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw(raw)));
		}
		MultiSignature::decode(&mut &bytes[..]).map_err(|_| {
			ServingError::refused(
				"`signature`: neither 64 sr25519 bytes nor a SCALE MultiSignature",
			)
		})
	}
}

/// The expiry of a SCALE-encoded signed request (`PreparedSettlement::signed_request`).
pub fn signed_request_expiry(bytes: &[u8]) -> Option<BlockNumber> {
	<(InferenceRequest, AccountId, MultiSignature)>::decode(&mut &bytes[..])
		.ok()
		.map(|(request, _, _)| request.expires_at)
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	#[test]
	fn a_signed_request_reads_as_the_chain_encodes_it() {
		let json = serde_json::json!({
			"request": {
				"model": 3, "promptHash": format!("{:?}", H256::repeat_byte(1)), "tokensIn": 12,
				"workers": ["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"], "maxOutputTokens": 16,
				"maxFee": "1000000000000000000000", "nonce": 5, "expiresAt": 90,
			},
			"user": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
			"signature": format!("0x{}", "11".repeat(64)),
		});
		let signed: SignedRequest = serde_json::from_value(json).unwrap();
		assert_eq!(signed.request.max_fee, 1_000 * 10u128.pow(18));
		let signature = signed.signature().unwrap();
		assert!(matches!(signature, MultiSignature::Sr25519(_)));
		// What the worker decodes: (request, signer, signature), and the expiry from it.
		let request = InferenceRequest::try_from(&signed.request).unwrap();
		assert_eq!((request.tokens_in, request.workers.to_vec()), (12, vec![signed.user.clone()]));
		let encoded = (request, signed.user.clone(), signature).encode();
		assert_eq!(signed_request_expiry(&encoded), Some(90));
		assert_eq!(signed_request_expiry(&encoded[1..]), None);
		// A SCALE MultiSignature is taken too; anything else is refused.
		let scale = MultiSignature::Ed25519(sp_core::ed25519::Signature::from_raw([2; 64]));
		let signed = SignedRequest { signature: scale.encode().into(), ..signed };
		assert_eq!(signed.signature().unwrap(), scale);
		let signed = SignedRequest { signature: vec![1, 2, 3].into(), ..signed };
		assert!(signed.signature().is_err());
		// Large balances only as strings.
		let too_big = serde_json::json!({ "model": 0, "promptHash": format!("{:?}", H256::zero()),
			"tokensIn": 1, "workers": [], "maxOutputTokens": 1, "maxFee": 1e30, "nonce": 0,
			"expiresAt": 1 });
		assert!(serde_json::from_value::<RequestFields>(too_big).is_err());
		// More workers than a request may name.
		let mut many = signed.request.clone();
		many.workers = vec![signed.user.clone(); 9];
		assert!(InferenceRequest::try_from(&many).is_err());
	}
}
