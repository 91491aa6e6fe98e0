//! OpenLoRA, the node's native inference engine: one base model, any number of LoRA adapters,
//! served together.
//!
//! - [`config`]: the model's shape, from GGUF metadata or a Hugging Face `config.json`.
//! - [`llama`]: the batched llama forward pass with per-segment LoRA (SGMV) over quantized or
//!   dense base weights.
//! - [`kv_cache`]: the paged KV cache and attention over its blocks.
//! - [`adapter`]: PEFT adapters (`adapter_config.json` + `adapter_model.safetensors`), checked.
//! - [`adapter_store`]: adapters on disk, hot ones in a byte-bounded LRU cache.
//! - [`sampling`]: greedy, temperature, top-k, top-p, seeds.
//! - [`engine`]: continuous heterogeneous batching, admission, preemption, streaming.
//! - [`router`]: several engines and the seed's scheduling rule, with migration.
//! - [`service`]: the engines on their own thread behind a cloneable async handle.
//! - [`train`]: LoRA fine-tuning (ModelFactory) through candle's autograd.
//! - [`evaluate`]: held-out loss, perplexity, ROUGE-L, BLEU.
//! - [`manifest`]: an adapter's provenance, as a model version registers it on-chain.
//! - [`datainf`]: Proof of Attribution: DataInf influence over per-example LoRA gradients.
//! - [`factory`]: a ModelFactory job end to end (train, evaluate, gradients, manifest).
//! - [`attribution`]: the contributions behind a served adapter's output.
//! - [`loader`]: a base model and its tokenizer from a GGUF file or a checkpoint directory.
//! - [`gguf_tokenizer`]: the tokenizer of a GGUF checkpoint, rebuilt from its metadata.
//! - [`base`]: candle's own quantized llama and the plain single-request loop, the baseline of
//!   the benchmarks.
//! - [`models`]: where the default base model lives and how it is checked.

pub mod adapter;
pub mod adapter_store;
pub mod attribution;
pub mod base;
pub mod config;
pub mod datainf;
pub mod engine;
pub mod error;
pub mod evaluate;
pub mod factory;
pub mod gguf_tokenizer;
pub mod kv_cache;
pub mod llama;
pub mod loader;
pub mod manifest;
pub mod models;
pub mod router;
pub mod sampling;
pub mod service;
pub mod train;

pub use error::{Error, Result};
