//! A local HTTP server for the provider tests: it serves what the test's responder says,
//! so nothing touches the internet.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

pub type Responder = dyn Fn(&str, u32) -> (u16, Vec<(String, String)>, String) + Send + Sync;

/// Serves `respond(path, nth_request_for_this_ticker)` until the test ends. The "ticker" is
/// the path's fifth segment: the symbol of an aggregates request, `us` for every snapshot.
pub fn serve(respond: Arc<Responder>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let counts: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader
                .read_line(&mut header)
                .map(|n| n > 2)
                .unwrap_or(false)
            {
                header.clear();
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .to_string();
            let ticker = path.split('/').nth(4).unwrap_or("").to_string();
            let nth = {
                let mut c = counts.lock().unwrap();
                let n = c.entry(ticker).or_insert(0);
                *n += 1;
                *n
            };
            let (status, headers, body) = respond(&path, nth);
            let mut response = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                response.push_str(&format!("{k}: {v}\r\n"));
            }
            response.push_str("\r\n");
            response.push_str(&body);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    format!("http://{addr}")
}
