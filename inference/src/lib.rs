//! OpenLoRA, the node's native inference engine (in progress): one base model, any number of LoRA
//! adapters.
//!
//! - [`gguf_tokenizer`]: the tokenizer of a GGUF checkpoint, rebuilt from its metadata.
//! - [`base`]: the base model (llama architecture, GGUF) and the plain single-request decoding
//!   loop, the baseline of the engine's benchmarks.
//! - [`models`]: where the default base model lives and how it is checked.

pub mod base;
pub mod gguf_tokenizer;
pub mod models;
