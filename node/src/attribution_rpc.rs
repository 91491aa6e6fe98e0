//! JSON-RPC over paid inference: `fees_quote` prices an answer before a client asks for it, and
//! the `attribution_*` methods answer "which data made this answer" and "what has my data
//! earned". They read the runtime APIs of the fee and attribution pallets at the best block (or
//! the block given) and return plain JSON: accounts in SS58, balances as decimal strings (they
//! do not fit a JavaScript number), hashes in hex.

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
};
use openledger_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Runtime};
use pallet_attribution::{runtime_api::AttributionApi, Earnings, RecordOf, WorkerOf};
use pallet_fee_split::{runtime_api::FeeSplitApi, FeeBreakdown, FeeQuote};
use serde_json::{json, Value};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::Ss58Codec, H256};
use sp_runtime::traits::Block as BlockT;

type Hash = <Block as BlockT>::Hash;

/// JSON-RPC error code for a runtime API call that failed.
const RUNTIME_ERROR: i32 = 5101;

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
	) -> RpcResult<Option<Value>>;

	/// The attribution record of a settled request: which data made the answer, and who was
	/// paid what.
	#[method(name = "attribution_record")]
	fn record(&self, request: H256, at: Option<Hash>) -> RpcResult<Option<Value>>;

	/// A page of a model's records, oldest first: `{total, records}`.
	#[method(name = "attribution_modelRecords")]
	fn model_records(
		&self,
		model: u32,
		from: u64,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<Value>;

	/// What an account has earned as a data contributor, and a page of the answers its data
	/// contributed to: `{total, outputs, records}`.
	#[method(name = "attribution_contributor")]
	fn contributor(
		&self,
		who: AccountId,
		from: u64,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<Value>;

	/// What one contribution has earned: `{total, outputs}`.
	#[method(name = "attribution_contribution")]
	fn contribution(&self, contribution: u64, at: Option<Hash>) -> RpcResult<Value>;

	/// A registered worker: `{stake, models, registeredAt, unbondingUntil}`, or null.
	#[method(name = "attribution_worker")]
	fn worker(&self, who: AccountId, at: Option<Hash>) -> RpcResult<Option<Value>>;
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
	ErrorObject::owned(RUNTIME_ERROR, format!("runtime API call failed: {error}"), None::<()>)
}

fn amount(balance: Balance) -> Value {
	Value::String(balance.to_string())
}

fn account(who: &AccountId) -> Value {
	Value::String(who.to_ss58check())
}

fn quote_json(quote: FeeQuote<Balance>) -> Value {
	json!({ "usage": amount(quote.usage), "platform": amount(quote.platform), "total": amount(quote.total) })
}

fn breakdown_json(b: &FeeBreakdown<Balance>) -> Value {
	json!({
		"fee": amount(b.fee),
		"refund": amount(b.refund),
		"platform": amount(b.platform),
		"modelOwner": amount(b.model_owner),
		"stakers": amount(b.stakers),
		"contributors": amount(b.contributors),
		"remainder": amount(b.remainder),
	})
}

/// An attribution record as JSON.
pub fn record_json(record: &RecordOf<Runtime>) -> Value {
	let contributions: Vec<Value> = record
		.contributions
		.iter()
		.map(|c| {
			json!({
				"contribution": c.contribution,
				"contributor": account(&c.contributor),
				"influence": c.influence.to_string(),
				// w_i in billionths.
				"weight": c.weight.deconstruct(),
				"paid": amount(c.paid),
			})
		})
		.collect();
	json!({
		"request": format!("{:?}", record.request),
		"model": record.model,
		"version": record.version,
		"user": account(&record.user),
		"worker": account(&record.worker),
		"tokensIn": record.tokens_in,
		"tokensOut": record.tokens_out,
		"outputHash": format!("{:?}", record.output_hash),
		"fee": breakdown_json(&record.breakdown),
		"contributions": contributions,
		"settledAt": record.settled_at,
	})
}

fn earnings_json(earnings: Earnings<Balance>) -> Value {
	json!({ "total": amount(earnings.total), "outputs": earnings.outputs })
}

fn worker_json(worker: &WorkerOf<Runtime>) -> Value {
	json!({
		"stake": amount(worker.stake),
		"models": worker.models.to_vec(),
		"registeredAt": worker.registered_at,
		"unbondingUntil": worker.unbonding_until,
	})
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
	) -> RpcResult<Option<Value>> {
		let quote = self
			.client
			.runtime_api()
			.quote(self.at(at), model, tokens_in, tokens_out)
			.map_err(runtime_error)?;
		Ok(quote.map(quote_json))
	}

	fn record(&self, request: H256, at: Option<Hash>) -> RpcResult<Option<Value>> {
		let record =
			self.client.runtime_api().record(self.at(at), request).map_err(runtime_error)?;
		Ok(record.as_ref().map(record_json))
	}

	fn model_records(
		&self,
		model: u32,
		from: u64,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<Value> {
		let api = self.client.runtime_api();
		let at = self.at(at);
		let total = api.model_record_count(at, model).map_err(runtime_error)?;
		let records = api.model_records(at, model, from, limit).map_err(runtime_error)?;
		let records: Vec<Value> = records.iter().map(|(_, r)| record_json(r)).collect();
		Ok(json!({ "total": total, "records": records }))
	}

	fn contributor(
		&self,
		who: AccountId,
		from: u64,
		limit: u32,
		at: Option<Hash>,
	) -> RpcResult<Value> {
		let api = self.client.runtime_api();
		let at = self.at(at);
		let earnings = api.contributor_earnings(at, who.clone()).map_err(runtime_error)?;
		let records = api.contributor_records(at, who, from, limit).map_err(runtime_error)?;
		let mut value = earnings_json(earnings);
		value["records"] = records.iter().map(|(_, r)| record_json(r)).collect();
		Ok(value)
	}

	fn contribution(&self, contribution: u64, at: Option<Hash>) -> RpcResult<Value> {
		let earnings = self
			.client
			.runtime_api()
			.contribution_earnings(self.at(at), contribution)
			.map_err(runtime_error)?;
		Ok(earnings_json(earnings))
	}

	fn worker(&self, who: AccountId, at: Option<Hash>) -> RpcResult<Option<Value>> {
		let worker = self.client.runtime_api().worker(self.at(at), who).map_err(runtime_error)?;
		Ok(worker.as_ref().map(worker_json))
	}
}
