//! LoRA adapters: the PEFT format on disk, the byte-bounded store the engine loads them from, and
//! the parameters ModelFactory trains.

pub mod adapter;
pub mod params;
pub mod store;
