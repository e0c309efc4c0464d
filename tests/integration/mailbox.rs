//! A real SMTP server process for the tests that send mail: `end2end/mail-server.mjs` (npm
//! smtp-server), started once for the test binary and gone when it exits. Tests point a server's
//! `SMTP_URL` at it and read what arrived over its HTTP side, as a learner reads their inbox.

use serde::Deserialize;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// A letter as the SMTP server received and decoded it.
#[derive(Clone, Debug, Deserialize)]
pub struct Letter {
    pub from: String,
    pub subject: String,
    pub text: String,
}

impl Letter {
    /// The path and query of the first link in the letter to `page` (e.g. `/verify-email`).
    pub fn link_to(&self, page: &str) -> String {
        let start = self.text.find(&format!("{page}?")).unwrap_or_else(|| panic!("no {page} link in {self:?}"));
        let link = &self.text[start..];
        link.split_whitespace().next().unwrap_or_default().to_owned()
    }

    /// The `token` of the letter's link to `page`.
    pub fn token_for(&self, page: &str) -> String {
        let link = self.link_to(page);
        link.split("token=").nth(1).unwrap_or_default().to_owned()
    }
}

struct Process {
    smtp_port: u16,
    http_port: u16,
    // Held so its standard input stays open: the process exits when the test binary does.
    _child: Child,
}

#[derive(Deserialize)]
struct Ports {
    smtp: u16,
    http: u16,
}

fn process() -> &'static Process {
    static PROCESS: OnceLock<Process> = OnceLock::new();
    PROCESS.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/end2end/mail-server.mjs");
        let mut child = Command::new("node")
            .args([script, "0", "0", "--exit-with-stdin"])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/end2end"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs end2end/mail-server.mjs (`make setup` installs its packages)");
        let stdout = child.stdout.take().expect("its output is piped");
        let mut first_line = String::new();
        BufReader::new(stdout).read_line(&mut first_line).expect("the mail server says its ports");
        let ports: Ports = serde_json::from_str(&first_line)
            .unwrap_or_else(|error| panic!("the mail server did not start ({error}): {first_line:?}"));
        Process { smtp_port: ports.smtp, http_port: ports.http, _child: child }
    })
}

/// The `SMTP_URL` that sends to the test SMTP server.
pub fn smtp_url() -> String {
    format!("smtp://127.0.0.1:{}", process().smtp_port)
}

/// The letters received for `address` so far, oldest first.
pub async fn letters_to(address: &str) -> Vec<Letter> {
    let url = format!("http://127.0.0.1:{}/messages", process().http_port);
    let response = reqwest::Client::new().get(url).query(&[("to", address)]).send().await.expect("the mailbox answers");
    response.json().await.expect("the mailbox answers JSON")
}

/// Waits (up to 10 s) until `address` has received `count` letters; returns them all.
pub async fn wait_for_letters(address: &str, count: usize) -> Vec<Letter> {
    for _ in 0..200 {
        let letters = letters_to(address).await;
        if letters.len() >= count {
            return letters;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{address} received {:?}, not {count} letters", letters_to(address).await);
}

/// The newest letter to `address` whose subject contains `subject`, waiting for it to arrive.
pub async fn letter(address: &str, subject: &str) -> Letter {
    for _ in 0..200 {
        if let Some(found) = letters_to(address).await.into_iter().rev().find(|letter| letter.subject.contains(subject))
        {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no letter about {subject:?} reached {address}: {:?}", letters_to(address).await);
}
