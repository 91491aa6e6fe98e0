//! ModelFactory: LoRA fine-tuning through candle's autograd, held-out evaluation, the provenance
//! manifest, and a job that runs them end to end.

pub mod checkpoint;
pub mod evaluate;
pub mod job;
pub mod manifest;
pub mod optimizer;
pub mod train;
