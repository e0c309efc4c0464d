// A stand-in for Finnhub's quote API, for the Playwright suite: a real HTTP server speaking the
// documented `GET /api/v1/quote` shape (checking the `X-Finnhub-Token` header), answering
// `/api/v1/stock/candle` with 403 as Finnhub's free plan does, and letting a test set a price:
// `POST /prices {"symbol":"AAPL","price":94.5}`. Every symbol starts at $100.00.
//
//   node end2end/quote-server.mjs <port> <api-key>
import http from "node:http";

const [port, apiKey] = [Number(process.argv[2] ?? 3129), process.argv[3] ?? "e2e-finnhub-key"];
const START = 100;
const prices = new Map();

function send(response, status, body) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function quote(symbol) {
  const c = prices.get(symbol) ?? START;
  const change = Math.round((c - START) * 100) / 100;
  return { c, d: change, dp: (change / START) * 100, h: Math.max(c, START), l: Math.min(c, START), o: START, pc: START, t: Math.floor(Date.now() / 1000) };
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url, "http://localhost");
  if (request.method === "POST" && url.pathname === "/prices") {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const { symbol, price } = JSON.parse(body || "{}");
      if (typeof symbol !== "string" || !(Number(price) > 0)) return send(response, 400, { error: "symbol and price > 0" });
      prices.set(symbol.toUpperCase(), Number(price));
      send(response, 200, { symbol, price: Number(price) });
    });
    return;
  }
  if (url.pathname === "/prices") return send(response, 200, Object.fromEntries(prices));
  if (request.headers["x-finnhub-token"] !== apiKey) return send(response, 401, { error: "Invalid API key" });
  if (url.pathname === "/api/v1/quote") return send(response, 200, quote((url.searchParams.get("symbol") ?? "").toUpperCase()));
  if (url.pathname === "/api/v1/stock/candle") return send(response, 403, { error: "You don't have access to this resource." });
  send(response, 404, { error: "not found" });
});

server.listen(port, "127.0.0.1", () => console.log(`quote server on ${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
