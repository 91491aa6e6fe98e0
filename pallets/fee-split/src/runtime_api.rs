//! The runtime API through which clients price an inference before asking for it, and learn
//! exactly what to sign for an off-chain request.

use crate::{FeeQuote, InferenceRequest, RequestRecord};
use codec::Codec;
use openledger_primitives::{ModelId, RequestId};

sp_api::decl_runtime_apis! {
	/// Fees and inference requests.
	pub trait FeeSplitApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// The fee of an answer of `model` with these token counts at today's rates and
		/// platform fee; `None` if the model is not deployed or the fee would overflow.
		fn quote(model: ModelId, tokens_in: u32, tokens_out: u32) -> Option<FeeQuote<Balance>>;
		/// A request in escrow (pending, or settled and not yet expired).
		fn request(id: RequestId) -> Option<RequestRecord<AccountId, Balance, BlockNumber>>;
		/// The id `request` gets when `user` signs it.
		fn request_id(user: AccountId, request: InferenceRequest<AccountId, Balance, BlockNumber>) -> RequestId;
		/// The 32 bytes a user signs to request an inference off-chain (bare, or wrapped in
		/// `<Bytes>`…`</Bytes>` as browser wallets do).
		fn signing_digest(request: InferenceRequest<AccountId, Balance, BlockNumber>) -> RequestId;
		/// Whether `feeSplit.submitSignedRequest` would take `signer`'s off-chain `request` with
		/// this SCALE-encoded signature now, were `also_held` more held from the signer first;
		/// its id if so. Changes nothing.
		fn check_signed_request(
			request: InferenceRequest<AccountId, Balance, BlockNumber>,
			signer: AccountId,
			signature: alloc::vec::Vec<u8>,
			also_held: Balance,
		) -> Result<RequestId, sp_runtime::DispatchError>;
	}
}
