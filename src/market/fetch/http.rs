//! Blocking HTTP GET with retries on 429 and 5xx, honouring Retry-After.

use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base_delay: Duration,
}

const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// A failed GET: a final HTTP status (after retries where they apply) or no connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpFailure {
    Status {
        status: u16,
        attempts: u32,
        body: String,
    },
    Transport(String),
}

pub struct HttpClient {
    agent: ureq::Agent,
    policy: RetryPolicy,
}

impl HttpClient {
    pub fn new(policy: RetryPolicy, timeout: Duration) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout(timeout)
            .user_agent(concat!("ducklens/", env!("CARGO_PKG_VERSION")))
            .build();
        HttpClient { agent, policy }
    }

    /// GETs `url` and returns the body of a 2xx answer.
    pub fn get(&self, url: &str) -> Result<String, HttpFailure> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let retry_in = match self.agent.get(url).call() {
                Ok(response) => {
                    return response
                        .into_string()
                        .map_err(|e| HttpFailure::Transport(format!("reading the body: {e}")))
                }
                Err(ureq::Error::Status(status, response)) => {
                    let retryable = status == 429 || (500..600).contains(&status);
                    if !retryable || attempt > self.policy.max_retries {
                        let body = response.into_string().unwrap_or_default();
                        return Err(HttpFailure::Status {
                            status,
                            attempts: attempt,
                            body,
                        });
                    }
                    retry_after(response.header("Retry-After"))
                        .unwrap_or_else(|| self.backoff(attempt))
                }
                Err(ureq::Error::Transport(t)) => {
                    if attempt > self.policy.max_retries {
                        return Err(HttpFailure::Transport(t.to_string()));
                    }
                    self.backoff(attempt)
                }
            };
            tracing::debug!(url = redact(url), attempt, ?retry_in, "retrying");
            std::thread::sleep(retry_in);
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.policy.base_delay * 2u32.saturating_pow(attempt.saturating_sub(1))
    }
}

/// Retry-After in seconds (the HTTP-date form is rare for these APIs and falls back to backoff).
fn retry_after(header: Option<&str>) -> Option<Duration> {
    let secs: u64 = header?.trim().parse().ok()?;
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

/// Keeps API keys out of logs.
pub fn redact(url: &str) -> String {
    match url.find("apiKey=") {
        Some(i) => format!("{}apiKey=***", &url[..i]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_capped_and_parsed() {
        assert_eq!(retry_after(Some("2")), Some(Duration::from_secs(2)));
        assert_eq!(retry_after(Some("3600")), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(retry_after(None), None);
    }

    #[test]
    fn keys_are_redacted() {
        assert_eq!(
            redact("https://x/v2?adjusted=true&apiKey=SECRET"),
            "https://x/v2?adjusted=true&apiKey=***"
        );
    }
}
