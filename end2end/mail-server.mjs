// A standalone SMTP server for the test runs (npm smtp-server, from the Nodemailer project): it
// accepts every letter the app sends, decodes it (mailparser) and keeps it in memory, and answers
// GET /messages?to=<address> with the letters to that address, oldest first, as JSON
// ({ from, to, subject, text, receivedAt }). The integration tests and Playwright read the
// letters there and follow their links, as a learner would from their inbox.
//
// Usage: node mail-server.mjs <smtp-port> <http-port> [--exit-with-stdin]
// Port 0 picks a free one; the first line printed is {"smtp":<port>,"http":<port>}. With
// --exit-with-stdin the server exits when its standard input closes (its parent process ended).
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import http from "node:http";

const [smtpPort = "2525", httpPort = "2526", ...flags] = process.argv.slice(2);
const letters = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
        for (const to of recipients) {
          letters.push({
            from: mail.from?.text ?? session.envelope.mailFrom.address,
            to,
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            receivedAt: new Date().toISOString(),
          });
        }
        callback();
      })
      .catch(callback);
  },
});

// A client that drops its connection (a test's server shutting down mid-session) is that
// client's problem, as for any mail server: say so and keep serving. (Without a listener,
// smtp-server's "error" event ends the process, and every later test finds no mailbox.)
smtp.on("error", (error) => console.error(`mail-server: ${error.code ?? ""} ${error.message}`));

const api = http.createServer((request, response) => {
  const url = new URL(request.url, "http://localhost");
  if (request.method === "GET" && url.pathname === "/messages") {
    const to = url.searchParams.get("to")?.toLowerCase();
    const found = to ? letters.filter((letter) => letter.to === to) : letters;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(found));
  } else {
    response.writeHead(404).end();
  }
});

const listening = (server, port) =>
  new Promise((resolve, reject) => {
    (server.server ?? server).once("error", reject);
    // smtp-server keeps its net.Server in `.server`.
    server.listen(Number(port), "127.0.0.1", () => resolve((server.server ?? server).address().port));
  });

const ports = { smtp: await listening(smtp, smtpPort), http: await listening(api, httpPort) };
console.log(JSON.stringify(ports));

const stop = () => {
  smtp.close();
  api.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
if (flags.includes("--exit-with-stdin")) {
  process.stdin.on("end", stop);
  process.stdin.resume();
}
