//! The attribution of answered paid requests: one task takes the answers in order, has the
//! engine's attribution queue compute each one's DataInf influences, and writes its prepared
//! settlement. Answers are on disk before they are queued, so the queue is only an order: a
//! restart queues again what was not attributed (and it is bounded by the reservations).

use crate::paid::store::{Answered, SettlementStore};
use futures::future::BoxFuture;
use openledger_inference::serving::service::InferenceService;
use openledger_primitives::PreparedSettlement;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Most contributions a settlement names (the runtime's `MaxContributionsPerOutput`).
pub const MAX_CONTRIBUTIONS: usize = 64;
/// Influence weights go on-chain in this fixed point (only their ratios matter; see
/// `docs/formulas.md`).
pub const INFLUENCE_SCALE: f64 = 1e12;

/// Where answers go to be attributed.
#[derive(Clone)]
pub struct AttributionQueue {
	answers: mpsc::UnboundedSender<Answered>,
}

impl AttributionQueue {
	/// Starts the task (through `spawn`), first with the answers a previous run left
	/// unattributed.
	pub fn start(
		service: InferenceService,
		store: Arc<SettlementStore>,
		spawn: impl FnOnce(BoxFuture<'static, ()>),
	) -> Self {
		let (answers, mut inbox) = mpsc::unbounded_channel::<Answered>();
		for left in store.answers() {
			let _ = answers.send(left);
		}
		spawn(Box::pin(async move {
			while let Some(answer) = inbox.recv().await {
				attribute(&service, &store, answer).await;
			}
		}));
		Self { answers }
	}

	/// Queues an answer (already on disk) for attribution.
	pub fn push(&self, answer: Answered) {
		if self.answers.send(answer).is_err() {
			// The task is gone (the node is stopping): the answer is attributed at the next start.
			log::warn!(target: "attribution", "the attribution task has stopped");
		}
	}
}

/// Influences in the chain's fixed point: positive weights only, largest first, at most
/// [`MAX_CONTRIBUTIONS`].
pub fn influences_of(
	contributions: &[openledger_inference::attribution::explainer::Contribution],
) -> Vec<(u64, i128)> {
	contributions
		.iter()
		.filter(|c| c.weight > 0.0 && c.weight.is_finite())
		.map(|c| (c.id, (c.weight * INFLUENCE_SCALE).round() as i128))
		.filter(|(_, w)| *w > 0)
		.take(MAX_CONTRIBUTIONS)
		.collect()
}

/// Attributes an answer and stores its settlement. A failed attribution still settles (the fee
/// is charged, the contributors' share goes to the treasury): the user was answered.
async fn attribute(service: &InferenceService, store: &SettlementStore, answer: Answered) {
	let influences = match service
		.explain_for_settlement(
			&answer.adapter,
			answer.prompt.clone(),
			answer.output.clone(),
			MAX_CONTRIBUTIONS,
		)
		.await
	{
		Ok(attribution) => influences_of(&attribution.contributions),
		Err(e) => {
			log::warn!(target: "attribution", "attributing {:?}: {e}; settled without contributors", answer.request);
			Vec::new()
		}
	};
	let settlement = PreparedSettlement {
		request: answer.request,
		version: answer.version,
		tokens_out: answer.tokens_out,
		output_hash: answer.output_hash,
		influences,
		signed_request: answer.signed_request,
	};
	match store.put(&settlement) {
		Ok(()) => log::info!(
			target: "attribution",
			"prepared the settlement of {:?}: {} contribution(s)",
			answer.request,
			settlement.influences.len()
		),
		Err(e) => {
			log::error!(target: "attribution", "storing the settlement of {:?}: {e}", answer.request)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use openledger_inference::attribution::explainer::Contribution;

	#[test]
	fn only_positive_finite_weights_go_on_chain_at_most_the_chains_limit() {
		let c = |id, weight: f64| Contribution { id, contributor: None, influence: weight, weight };
		let mut list = vec![c(1, 0.75), c(2, 0.0), c(3, -0.1), c(4, f64::NAN), c(5, 0.25)];
		assert_eq!(influences_of(&list), vec![(1, 750_000_000_000), (5, 250_000_000_000)]);
		list = (0..100).map(|i| c(i, 0.01)).collect();
		assert_eq!(influences_of(&list).len(), MAX_CONTRIBUTIONS);
	}
}
