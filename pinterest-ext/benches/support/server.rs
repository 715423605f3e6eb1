//! A minimal local Pinterest for the benches: HTTP/1.1 keep-alive, one
//! write per response, fast enough that client overhead is what a bench
//! sees.

#![allow(dead_code)] // each bench uses part of it

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Requests every local server answered (the cache bench counts them).
pub static SERVED: AtomicU64 = AtomicU64::new(0);

/// What the local server answers.
#[derive(Clone)]
pub enum Behaviour {
    /// A fixed JSON body for every request.
    Fixed(Arc<Vec<u8>>),
    /// Pages of `total` pins, `page` per page; bookmark = next offset.
    Pages { total: usize, item: Arc<String> },
    /// Pin creation allowing `per_second` requests per 1-second window,
    /// 429 (with Retry-After) above it.
    Limited {
        per_second: u64,
        start: Instant,
        window: Arc<(AtomicU64, AtomicU64)>,
        rejected: Arc<AtomicU64>,
        accepted: Arc<AtomicU64>,
    },
}

/// A minimal HTTP/1.1 keep-alive server: fast enough that client overhead
/// is what the benchmarks see.
pub async fn serve(behaviour: Behaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let behaviour = behaviour.clone();
            tokio::spawn(connection(stream, behaviour));
        }
    });
    format!("http://{addr}")
}

async fn connection(mut stream: TcpStream, behaviour: Behaviour) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = vec![0u8; 16384];
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let len = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
            })
            .unwrap_or(0);
        while buf.len() < head_end + len {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + len);
        SERVED.fetch_add(1, Ordering::Relaxed);
        let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
        let (status, extra, body) = respond(&behaviour, &target);
        // One write per response: head and body in one segment.
        let mut response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(&body);
        if stream.write_all(&response).await.is_err() {
            return;
        }
    }
}

fn respond(behaviour: &Behaviour, target: &str) -> (&'static str, String, Vec<u8>) {
    match behaviour {
        Behaviour::Fixed(body) => ("200 OK", String::new(), body.to_vec()),
        Behaviour::Pages { total, item } => {
            let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
            let param = |name: &str| {
                query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
            };
            let offset: usize = param("bookmark").and_then(|b| b.parse().ok()).unwrap_or(0);
            let size: usize = param("page_size")
                .and_then(|b| b.parse().ok())
                .unwrap_or(25);
            let end = (offset + size).min(*total);
            let mut body = String::with_capacity((end - offset) * (item.len() + 1) + 64);
            body.push_str("{\"items\":[");
            for i in offset..end {
                if i > offset {
                    body.push(',');
                }
                body.push_str(&item.replace("{ID}", &i.to_string()));
            }
            let next = if end < *total {
                format!("\"{end}\"")
            } else {
                "null".into()
            };
            body.push_str(&format!("],\"bookmark\":{next}}}"));
            ("200 OK", String::new(), body.into_bytes())
        }
        Behaviour::Limited {
            per_second,
            start,
            window,
            rejected,
            accepted,
        } => {
            let second = start.elapsed().as_secs();
            let (current, count) = &**window;
            if current.swap(second, Ordering::SeqCst) != second {
                count.store(0, Ordering::SeqCst);
            }
            if count.fetch_add(1, Ordering::SeqCst) < *per_second {
                let n = accepted.fetch_add(1, Ordering::SeqCst);
                (
                    "201 Created",
                    String::new(),
                    format!("{{\"id\":\"{}\"}}", 1000 + n).into_bytes(),
                )
            } else {
                rejected.fetch_add(1, Ordering::SeqCst);
                let wait = 1.0 - (start.elapsed().as_secs_f64() - second as f64);
                (
                    "429 Too Many Requests",
                    format!("retry-after: {wait:.3}\r\n"),
                    br#"{"code": 8, "message": "This request exceeded a rate limit."}"#.to_vec(),
                )
            }
        }
    }
}
