//! Paid inference on the serving node, from a request held in escrow to its settlement.
//!
//! 1. A user puts a request in escrow (`feeSplit.requestInference`: model, blake2-256 of the
//!    prompt, most output tokens, `max_fee` held) and sends the prompt to this node with
//!    `inference_answerRequest` (or its streaming form, `inference_subscribeAnswerRequest`).
//!    Or the user signs the request off-chain (`feeSplit` runtime API `signingDigest`) and sends
//!    it with the prompt: the node asks the runtime whether `submitSignedRequest` would take it
//!    now (signature, expiry, model, the user's balance less what this node has answered for
//!    them and not yet brought on-chain), answers at once, and its off-chain worker puts the
//!    request in escrow just before settling it.
//! 2. The node checks the request on-chain (pending, not expired, the prompt's hash), finds the
//!    adapter of the model's deployed version among its adapters (by the adapter hash the version
//!    records), caps the answer so that its fee stays within `max_fee`, and answers.
//! 3. It writes the answer to its settlement store, computes the DataInf attribution of the answer
//!    over the adapter's training contributions with the native engine, and writes the
//!    [`PreparedSettlement`]. Both survive a restart: an answer whose attribution did not finish is
//!    attributed when the node comes back.
//! 4. The off-chain worker (`pallet-attribution-worker`) fetches the prepared settlements from the
//!    loopback endpoint this module serves and submits them signed with the worker key; settled,
//!    refunded and expired ones are dropped from the store when the endpoint is next asked.

//!
//! The modules, in the order a request meets them: [`request`] (what it carries), [`rpc`] (the
//! checks against the chain and the answer), [`admission`] (the reservation, atomic and
//! durable, and the exposure the node accepts), [`store`] (reservations, answers and
//! settlements on disk, crash-safe), [`attribution_queue`] (DataInf, one answer at a time),
//! [`feed`] (the signed feed the off-chain worker reads), and [`payments_rpc`] (quotes, records
//! and earnings read from the chain).

pub mod admission;
pub mod attribution_queue;
pub mod feed;
pub mod payments_rpc;
pub mod request;
pub mod rpc;
pub mod store;
