//! The node's HTTP servers (the OpenAI-compatible API and the settlement feed) on one bounded
//! accept loop: at most so many connections at once (one more is closed at once, nobody else
//! waits for it), a deadline for a request's headers (a client that trickles them is
//! disconnected) and one for its body.

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::{body::Incoming, Request, Response};
use std::{convert::Infallible, future::Future, sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::Semaphore};

/// What one server allows its clients.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	pub max_connections: usize,
	/// Time to send a request's headers, counted from the connection or the previous response.
	pub header_timeout: Duration,
	/// Time to send a request's body.
	pub body_timeout: Duration,
	pub max_body_bytes: usize,
}

/// Why a body was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
	TooLarge,
	TimedOut,
	Broken,
}

/// Reads a whole body within the limits.
pub async fn read_body(body: Incoming, limits: &Limits) -> Result<Bytes, BodyError> {
	let reading = Limited::new(body, limits.max_body_bytes).collect();
	match tokio::time::timeout(limits.body_timeout, reading).await {
		Err(_) => Err(BodyError::TimedOut),
		Ok(Ok(collected)) => Ok(collected.to_bytes()),
		Ok(Err(e)) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => {
			Err(BodyError::TooLarge)
		}
		Ok(Err(_)) => Err(BodyError::Broken),
	}
}

/// Serves `handler` on `listener` until the node stops.
pub async fn serve<H, F, B>(listener: TcpListener, limits: Limits, name: &'static str, handler: H)
where
	H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
	F: Future<Output = Response<B>> + Send + 'static,
	B: hyper::body::Body + Send + 'static,
	B::Data: Send,
	B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
	let connections = Arc::new(Semaphore::new(limits.max_connections));
	loop {
		let stream = match listener.accept().await {
			Ok((stream, _)) => stream,
			Err(e) => {
				// Out of file descriptors, most likely: wait instead of spinning.
				log::warn!(target: "openlora", "{name}: accepting a connection: {e}");
				tokio::time::sleep(Duration::from_millis(100)).await;
				continue;
			}
		};
		let Ok(permit) = connections.clone().try_acquire_owned() else {
			log::debug!(target: "openlora", "{name}: {} connections already open: one refused", limits.max_connections);
			drop(stream);
			continue;
		};
		let handler = handler.clone();
		tokio::spawn(async move {
			let io = hyper_util::rt::TokioIo::new(stream);
			let service = hyper::service::service_fn(move |request| {
				let response = handler(request);
				async move { Ok::<_, Infallible>(response.await) }
			});
			let _ = hyper::server::conn::http1::Builder::new()
				.timer(hyper_util::rt::TokioTimer::new())
				.header_read_timeout(limits.header_timeout)
				.serve_connection(io, service)
				.await;
			drop(permit);
		});
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use http_body_util::Full;
	use tokio::io::{AsyncReadExt, AsyncWriteExt};

	const LIMITS: Limits = Limits {
		max_connections: 4,
		header_timeout: Duration::from_millis(300),
		body_timeout: Duration::from_millis(300),
		max_body_bytes: 16,
	};

	async fn start() -> std::net::SocketAddr {
		let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
		let addr = listener.local_addr().unwrap();
		tokio::spawn(serve(listener, LIMITS, "test", |request: Request<Incoming>| async move {
			let text = match read_body(request.into_body(), &LIMITS).await {
				Ok(b) => format!("read {}", b.len()),
				Err(e) => format!("{e:?}"),
			};
			Response::new(Full::new(Bytes::from(text)))
		}));
		addr
	}

	/// Reads until the peer closes (or 2 s pass): what it sent.
	async fn read_to_close(stream: &mut tokio::net::TcpStream) -> Option<String> {
		let mut out = Vec::new();
		match tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut out)).await {
			Ok(_) => Some(String::from_utf8_lossy(&out).into_owned()),
			Err(_) => None,
		}
	}

	#[tokio::test]
	async fn a_client_that_trickles_its_headers_is_disconnected() {
		let addr = start().await;
		let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
		slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
		// Without the deadline this connection would be held forever.
		assert!(read_to_close(&mut slow).await.is_some(), "still open after the header deadline");
	}

	#[tokio::test]
	async fn a_body_that_never_comes_times_out_and_an_oversized_one_is_refused() {
		let addr = start().await;
		let mut stalled = tokio::net::TcpStream::connect(addr).await.unwrap();
		stalled
			.write_all(
				b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\nab",
			)
			.await
			.unwrap();
		assert!(read_to_close(&mut stalled).await.unwrap().contains("TimedOut"));
		let mut big = tokio::net::TcpStream::connect(addr).await.unwrap();
		big.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\nConnection: close\r\n\r\n0123456789012345678901234567890123456789")
			.await
			.unwrap();
		assert!(read_to_close(&mut big).await.unwrap().contains("TooLarge"));
	}

	#[tokio::test]
	async fn connections_beyond_the_cap_are_closed_and_the_others_served() {
		let addr = start().await;
		let mut held = Vec::new();
		for _ in 0..LIMITS.max_connections {
			held.push(tokio::net::TcpStream::connect(addr).await.unwrap());
		}
		tokio::time::sleep(Duration::from_millis(50)).await;
		let mut extra = tokio::net::TcpStream::connect(addr).await.unwrap();
		let _ = extra.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await;
		assert_eq!(read_to_close(&mut extra).await.as_deref().unwrap_or(""), "", "refused at once");
		// The held ones are idle past the header deadline and closed: room again.
		tokio::time::sleep(LIMITS.header_timeout * 2).await;
		let mut fresh = tokio::net::TcpStream::connect(addr).await.unwrap();
		fresh
			.write_all(
				b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi",
			)
			.await
			.unwrap();
		assert!(read_to_close(&mut fresh).await.unwrap().contains("read 2"));
	}
}
