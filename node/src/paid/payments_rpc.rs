//! JSON-RPC over paid inference: `fees_quote` prices an answer before a client asks for it, and
//! the `attribution_*` methods answer "which data made this answer" and "what has my data
//! earned". They read the runtime APIs of the fee and attribution pallets at the best block (or
//! the block given) and return typed JSON: accounts in SS58, balances as decimal strings (they
//! do not fit a JavaScript number), hashes in hex.

use std::sync::Arc;

use crate::serving::error::ServingError;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use openledger_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Runtime};
use pallet_attribution::{runtime_api::AttributionApi, Earnings, RecordOf, WorkerOf};
use pallet_fee_split::{runtime_api::FeeSplitApi, FeeBreakdown, FeeQuote};
use serde::Serialize;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::Ss58Codec, H256};
use sp_runtime::traits::Block as BlockT;

type Hash = <Block as BlockT>::Hash;

#[rpc(server)]
pub trait InferencePaymentsApi {
	/// The fee of an answer of `model` with these token counts: `{usage, platform, total}`,
	/// or null if the model is not deployed.
	#[method(name = "fees_quote")]
	fn quote(
		&self,
		model: u32,
		tokens_in: u32,
		tokens_out: u32,
		at: Option<Hash>,
	) -> RpcResult<Option<Quote>>;

	/// The attribution record of a settled request: which data made the answer, and who was
	/// paid what.
	#[method(name = "attribution_record")]
	fn record(&self, request: H256, at: Option<Hash>) -> RpcResult<Option<Record>>;

	/// A page of a model's records, oldest first: `{total, records}`.
	#[method(name = "attribution_modelRecords")]
	fn model_records(
		&self,
		model: u32,
		from: u64,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<RecordPage>;

	/// What an account has earned as a data contributor, and a page of the answers its data
	/// contributed to: `{total, outputs, records}`.
	#[method(name = "attribution_contributor")]
	fn contributor(
		&self,
		who: AccountId,
		from: u64,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<EarningsReport>;

	/// What one contribution has earned: `{total, outputs}`.
	#[method(name = "attribution_contribution")]
	fn contribution(&self, contribution: u64, at: Option<Hash>) -> RpcResult<EarningsReport>;

	/// A registered worker: `{stake, models, registeredAt, unbondingUntil}`, or null.
	#[method(name = "attribution_worker")]
	fn worker(&self, who: AccountId, at: Option<Hash>) -> RpcResult<Option<Worker>>;
}

/// The RPC handler, over the node's client.
pub struct InferencePayments<C> {
	client: Arc<C>,
}

impl<C> InferencePayments<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> InferencePayments<C>
where
	C: HeaderBackend<Block>,
{
	fn at(&self, at: Option<Hash>) -> Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

fn runtime_error(error: impl std::fmt::Display) -> ErrorObjectOwned {
	ServingError::Chain(format!("runtime API call failed: {error}")).into()
}

/// A balance in the smallest unit, as a decimal string (it does not fit a JavaScript number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount(pub Balance);

impl Serialize for Amount {
	fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
		s.collect_str(&self.0)
	}
}

/// An account in SS58.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account(pub AccountId);

impl Serialize for Account {
	fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&self.0.to_ss58check())
	}
}

/// What `fees_quote` returns.
#[derive(Clone, Debug, Serialize)]
pub struct Quote {
	pub usage: Amount,
	pub platform: Amount,
	pub total: Amount,
}

impl From<FeeQuote<Balance>> for Quote {
	fn from(q: FeeQuote<Balance>) -> Self {
		Self { usage: Amount(q.usage), platform: Amount(q.platform), total: Amount(q.total) }
	}
}

/// Who was paid what for one answer.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Breakdown {
	pub fee: Amount,
	pub refund: Amount,
	pub platform: Amount,
	pub model_owner: Amount,
	/// The settling worker's compute share.
	pub worker: Amount,
	/// Into the model's staking reward pool.
	pub stakers: Amount,
	pub contributors: Amount,
	pub remainder: Amount,
}

impl From<&FeeBreakdown<Balance>> for Breakdown {
	fn from(b: &FeeBreakdown<Balance>) -> Self {
		Self {
			fee: Amount(b.fee),
			refund: Amount(b.refund),
			platform: Amount(b.platform),
			model_owner: Amount(b.model_owner),
			worker: Amount(b.worker),
			stakers: Amount(b.stakers),
			contributors: Amount(b.contributors),
			remainder: Amount(b.remainder),
		}
	}
}

/// One contribution of a record.
#[derive(Clone, Debug, Serialize)]
pub struct RecordContribution {
	pub contribution: u64,
	/// `null` for a contribution withdrawn or slashed since training (its share went to the
	/// treasury).
	pub contributor: Option<Account>,
	/// The influence in fixed point, as a decimal string.
	pub influence: String,
	/// w_i in billionths.
	pub weight: u32,
	pub paid: Amount,
}

/// An attribution record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
	pub request: H256,
	pub model: u32,
	pub version: u32,
	pub user: Account,
	pub worker: Account,
	pub adapter_hash: H256,
	pub prompt_hash: H256,
	pub tokens_in: u32,
	pub tokens_out: u32,
	pub output_hash: H256,
	pub fee: Breakdown,
	pub contributions: Vec<RecordContribution>,
	pub settled_at: BlockNumber,
}

impl From<&RecordOf<Runtime>> for Record {
	fn from(r: &RecordOf<Runtime>) -> Self {
		Self {
			request: r.request,
			model: r.model,
			version: r.version,
			user: Account(r.user.clone()),
			worker: Account(r.worker.clone()),
			adapter_hash: r.adapter_hash,
			prompt_hash: r.prompt_hash,
			tokens_in: r.tokens_in,
			tokens_out: r.tokens_out,
			output_hash: r.output_hash,
			fee: (&r.breakdown).into(),
			contributions: r
				.contributions
				.iter()
				.map(|c| RecordContribution {
					contribution: c.contribution,
					contributor: c.contributor.clone().map(Account),
					influence: c.influence.to_string(),
					weight: c.weight.deconstruct(),
					paid: Amount(c.paid),
				})
				.collect(),
			settled_at: r.settled_at,
		}
	}
}

/// A page of a model's records.
#[derive(Clone, Debug, Serialize)]
pub struct RecordPage {
	pub total: u64,
	pub records: Vec<Record>,
}

/// What a contributor or a contribution has earned, and (for a contributor) a page of records.
#[derive(Clone, Debug, Serialize)]
pub struct EarningsReport {
	pub total: Amount,
	pub outputs: u64,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub records: Option<Vec<Record>>,
}

impl From<Earnings<Balance>> for EarningsReport {
	fn from(e: Earnings<Balance>) -> Self {
		Self { total: Amount(e.total), outputs: e.outputs, records: None }
	}
}

/// A registered worker.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Worker {
	pub stake: Amount,
	pub models: Vec<u32>,
	pub registered_at: BlockNumber,
	pub unbonding_until: Option<BlockNumber>,
}

impl From<&WorkerOf<Runtime>> for Worker {
	fn from(w: &WorkerOf<Runtime>) -> Self {
		Self {
			stake: Amount(w.stake),
			models: w.models.to_vec(),
			registered_at: w.registered_at,
			unbonding_until: w.unbonding_until,
		}
	}
}

impl<C> InferencePaymentsApiServer for InferencePayments<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>
		+ AttributionApi<Block, AccountId, Balance, RecordOf<Runtime>, WorkerOf<Runtime>>,
{
	fn quote(
		&self,
		model: u32,
		tokens_in: u32,
		tokens_out: u32,
		at: Option<Hash>,
	) -> RpcResult<Option<Quote>> {
		let quote = self
			.client
			.runtime_api()
			.quote(self.at(at), model, tokens_in, tokens_out)
			.map_err(runtime_error)?;
		Ok(quote.map(Quote::from))
	}

	fn record(&self, request: H256, at: Option<Hash>) -> RpcResult<Option<Record>> {
		let record =
			self.client.runtime_api().record(self.at(at), request).map_err(runtime_error)?;
		Ok(record.as_ref().map(Record::from))
	}

	fn model_records(
		&self,
		model: u32,
		from: u64,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<RecordPage> {
		let api = self.client.runtime_api();
		let at = self.at(at);
		let total = api.model_record_count(at, model).map_err(runtime_error)?;
		let records = api.model_records(at, model, from, limit).map_err(runtime_error)?;
		Ok(RecordPage { total, records: records.iter().map(|(_, r)| r.into()).collect() })
	}

	fn contributor(
		&self,
		who: AccountId,
		from: u64,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<EarningsReport> {
		let api = self.client.runtime_api();
		let at = self.at(at);
		let earnings = api.contributor_earnings(at, who.clone()).map_err(runtime_error)?;
		let records = api.contributor_records(at, who, from, limit).map_err(runtime_error)?;
		let mut report = EarningsReport::from(earnings);
		report.records = Some(records.iter().map(|(_, r)| r.into()).collect());
		Ok(report)
	}

	fn contribution(&self, contribution: u64, at: Option<Hash>) -> RpcResult<EarningsReport> {
		let earnings = self
			.client
			.runtime_api()
			.contribution_earnings(self.at(at), contribution)
			.map_err(runtime_error)?;
		Ok(earnings.into())
	}

	fn worker(&self, who: AccountId, at: Option<Hash>) -> RpcResult<Option<Worker>> {
		let worker = self.client.runtime_api().worker(self.at(at), who).map_err(runtime_error)?;
		Ok(worker.as_ref().map(Worker::from))
	}
}
