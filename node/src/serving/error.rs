//! The serving side's one error type: the inference JSON-RPC, paid answers, ModelFactory jobs and
//! the OpenAI-compatible API all refuse with a [`ServingError`], mapped once to a JSON-RPC error
//! code ([`ServingError::rpc_code`]) and once to an HTTP status ([`ServingError::http_status`]),
//! so that the same refusal reads the same on every path (busy is 429 and 5203 everywhere).

use jsonrpsee::types::{error::INVALID_PARAMS_CODE, ErrorObject, ErrorObjectOwned};
use openledger_inference::Error as EngineError;

/// JSON-RPC code: inference is not enabled on this node.
pub const NOT_ENABLED: i32 = 5200;
/// JSON-RPC code: the model failed while answering.
pub const MODEL_ERROR: i32 = 5201;
/// JSON-RPC code: an adapter file is missing, corrupt or does not fit the base model.
pub const ADAPTER_ERROR: i32 = 5202;
/// JSON-RPC code: the engine or a queue is full; try again later.
pub const BUSY: i32 = 5203;
/// JSON-RPC code: the engine has stopped.
pub const STOPPED: i32 = 5204;
/// JSON-RPC code: a paid request the chain would not pay for (or that this node will not answer).
pub const REQUEST_REFUSED: i32 = 5300;
/// JSON-RPC code: the chain could not be read.
pub const CHAIN_ERROR: i32 = 5101;

/// Why a serving request was refused or failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServingError {
	/// Malformed or impossible: bad parameters, a prompt over the context, absurd `max_tokens`.
	InvalidRequest(String),
	/// An unknown model, adapter or route.
	NotFound(String),
	/// An adapter that cannot be used.
	Adapter(String),
	/// The model failed.
	Model(String),
	/// Too much work already; try again later.
	Busy(String),
	/// The engine has stopped.
	Stopped,
	/// This node serves no inference.
	NotEnabled,
	/// A paid request refused: not in escrow, already answered, unfunded, expiring, …
	PaymentRefused(String),
	/// Reading the chain failed.
	Chain(String),
	/// This node failed (its disk, a task): nothing the caller did.
	Internal(String),
}

impl std::fmt::Display for ServingError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::InvalidRequest(m) | Self::PaymentRefused(m) => f.write_str(m),
			Self::NotFound(m) => write!(f, "not found: {m}"),
			Self::Adapter(m) => write!(f, "adapter: {m}"),
			Self::Model(m) => write!(f, "model: {m}"),
			Self::Busy(m) => write!(f, "busy: {m}"),
			Self::Stopped => f.write_str("the inference engine has stopped"),
			Self::NotEnabled => f.write_str(
				"inference is not enabled on this node (no base model, or --no-inference)",
			),
			Self::Chain(m) => write!(f, "reading the chain: {m}"),
			Self::Internal(m) => write!(f, "internal error: {m}"),
		}
	}
}

impl std::error::Error for ServingError {}

impl From<EngineError> for ServingError {
	fn from(e: EngineError) -> Self {
		match e {
			// The engine says "unknown adapter" for a model name it does not serve.
			EngineError::Request(m) if m.starts_with("unknown adapter") => Self::NotFound(m),
			EngineError::Request(m) => Self::InvalidRequest(format!("request: {m}")),
			EngineError::Adapter(m) => Self::Adapter(m),
			EngineError::Model(m) => Self::Model(m),
			EngineError::Busy(m) => Self::Busy(m),
			EngineError::Stopped => Self::Stopped,
		}
	}
}

impl ServingError {
	/// The JSON-RPC error code.
	pub fn rpc_code(&self) -> i32 {
		match self {
			// JSON-RPC has no "not found": an unknown name is a bad parameter.
			Self::InvalidRequest(_) | Self::NotFound(_) => INVALID_PARAMS_CODE,
			Self::Adapter(_) => ADAPTER_ERROR,
			Self::Model(_) => MODEL_ERROR,
			Self::Busy(_) => BUSY,
			Self::Stopped => STOPPED,
			Self::NotEnabled => NOT_ENABLED,
			Self::PaymentRefused(_) => REQUEST_REFUSED,
			Self::Chain(_) => CHAIN_ERROR,
			Self::Internal(_) => jsonrpsee::types::error::INTERNAL_ERROR_CODE,
		}
	}

	/// The HTTP status.
	pub fn http_status(&self) -> hyper::StatusCode {
		use hyper::StatusCode as S;
		match self {
			Self::InvalidRequest(_) | Self::Adapter(_) => S::BAD_REQUEST,
			Self::NotFound(_) => S::NOT_FOUND,
			Self::Busy(_) => S::TOO_MANY_REQUESTS,
			Self::PaymentRefused(_) => S::PAYMENT_REQUIRED,
			Self::NotEnabled | Self::Stopped => S::SERVICE_UNAVAILABLE,
			Self::Model(_) | Self::Chain(_) | Self::Internal(_) => S::INTERNAL_SERVER_ERROR,
		}
	}

	/// OpenAI's error `type` for this status.
	pub fn openai_type(&self) -> &'static str {
		match self {
			Self::InvalidRequest(_) | Self::Adapter(_) => "invalid_request_error",
			Self::NotFound(_) => "not_found_error",
			Self::Busy(_) => "rate_limit_error",
			Self::PaymentRefused(_) => "payment_error",
			Self::NotEnabled
			| Self::Stopped
			| Self::Model(_)
			| Self::Chain(_)
			| Self::Internal(_) => "server_error",
		}
	}

	/// A paid refusal.
	pub fn refused(message: impl Into<String>) -> Self {
		Self::PaymentRefused(message.into())
	}

	/// A bad request.
	pub fn invalid(message: impl Into<String>) -> Self {
		Self::InvalidRequest(message.into())
	}
}

impl From<ServingError> for ErrorObjectOwned {
	fn from(e: ServingError) -> Self {
		ErrorObject::owned(e.rpc_code(), e.to_string(), None::<()>)
	}
}

impl From<sp_api::ApiError> for ServingError {
	fn from(e: sp_api::ApiError) -> Self {
		Self::Chain(e.to_string())
	}
}

/// A JSON-RPC result whose error is a [`ServingError`].
pub type ServingResult<T> = Result<T, ServingError>;

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn one_refusal_reads_the_same_on_every_path() {
		let busy = ServingError::from(EngineError::Busy("queue full".into()));
		assert_eq!((busy.rpc_code(), busy.http_status().as_u16()), (BUSY, 429));
		let unknown = ServingError::from(EngineError::Request("unknown adapter `x`".into()));
		assert_eq!(
			(unknown.rpc_code(), unknown.http_status().as_u16()),
			(INVALID_PARAMS_CODE, 404)
		);
		let bad = ServingError::from(EngineError::Request("max_tokens too large".into()));
		assert_eq!((bad.rpc_code(), bad.http_status().as_u16()), (INVALID_PARAMS_CODE, 400));
		let paid = ServingError::refused("not in escrow");
		assert_eq!((paid.rpc_code(), paid.http_status().as_u16()), (REQUEST_REFUSED, 402));
		assert_eq!(ErrorObjectOwned::from(paid).message(), "not in escrow");
		let off = ServingError::NotEnabled;
		assert_eq!((off.rpc_code(), off.http_status().as_u16()), (NOT_ENABLED, 503));
	}
}
