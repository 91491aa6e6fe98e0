//! The base model: the batched llama forward pass with per-segment LoRA, its paged KV cache, how
//! a checkpoint and its tokenizer are loaded, and the differentiable form training uses.

pub mod baseline;
pub mod chat;
pub mod default_model;
pub mod kv_cache;
pub mod llama;
pub mod loader;
pub mod tokenizer;
pub mod trainable;
