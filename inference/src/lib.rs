//! OpenLoRA, the node's native inference engine: one base model, any number of LoRA adapters,
//! served together; ModelFactory's fine-tuning; and DataInf attribution.
//!
//! Grouped by concern, each group depending only on those listed before it:
//! - [`error`], [`config`] (the model's shape), [`rng`] (a seedable stream): shared by all.
//! - [`lora`]: PEFT adapters, the adapter store, the LoRA parameters being trained.
//! - [`model`]: the llama forward pass with per-segment LoRA (SGMV), the paged KV cache, loading a
//!   base model and its tokenizer, the differentiable model, candle's baseline.
//! - [`attribution`]: Proof of Attribution (OpenLedger whitepaper §2.2): DataInf influence over
//!   per-example LoRA gradients, and the explainer of a served adapter's output.
//! - [`serving`]: continuous batching, the scheduler across engines, sampling, the async service.
//! - [`training`]: ModelFactory (OpenLedger whitepaper §3.1): the training loop, the optimizer,
//!   checkpoints, held-out evaluation, the provenance manifest, a job end to end.

pub mod attribution;
pub mod config;
pub mod error;
pub mod hash;
pub mod lora;
pub mod model;
pub mod rng;
pub mod serving;
pub mod training;

pub use error::{Error, Result};
