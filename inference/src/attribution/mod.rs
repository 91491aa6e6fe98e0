//! Proof of Attribution: DataInf influence of training contributions on an output, and the
//! explainer that answers "which data made this answer" for a served adapter.

pub mod datainf;
pub mod explainer;
