//! The engine's one error type: every refusal says what was wrong, in words a user can act on.

/// Why something was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
	/// The base model could not be loaded or run.
	Model(String),
	/// An adapter is missing, corrupt, or does not fit the base model.
	Adapter(String),
	/// A request is malformed or impossible (prompt over the context, absurd max_tokens,
	/// unknown adapter, bad sampling parameters).
	Request(String),
	/// The engine cannot take more work now (queue full); try again later.
	Busy(String),
	/// The engine has stopped.
	Stopped,
}

impl std::fmt::Display for Error {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Model(why) => write!(f, "model: {why}"),
			Self::Adapter(why) => write!(f, "adapter: {why}"),
			Self::Request(why) => write!(f, "request: {why}"),
			Self::Busy(why) => write!(f, "busy: {why}"),
			Self::Stopped => write!(f, "the inference engine has stopped"),
		}
	}
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Wraps a candle error with what was being done.
pub(crate) fn model_err(context: &str) -> impl FnOnce(candle_core::Error) -> Error + '_ {
	move |e| Error::Model(format!("{context}: {e}"))
}
