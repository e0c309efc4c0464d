-- wrk script for `make bench` (bench/load.py runs it): requests signed in as many users.
--
-- BENCH_COOKIES  a file with one session cookie (`name=value`) per line, one line per user
-- BENCH_MODE     orders     POST /api/place_order as the order form sends it: buy 1 share, then
--                           sell 1, alternating per user, each with a fresh idempotency key
--                dashboard  GET /dashboard (the server-rendered page)
--                portfolio  POST /api/my_portfolio (the dashboard's data server function)
--
-- Users are split between wrk's threads and taken in turn, so with several times more users
-- than connections a user rarely has two requests in flight (their orders would queue on the
-- portfolio row, which is what a single learner clicking twice gets, not what load is).
-- `done` prints one JSON line: requests, seconds, errors by kind, latency percentiles in µs.

local mode = os.getenv("BENCH_MODE") or "orders"
local symbols = { "AAPL", "MSFT", "KO", "SPY" }
local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("index", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
   for _, t in ipairs(threads) do t:set("count", thread_count) end
end

local users = {}
local turns = {}
local next_user = 0
statuses = {} -- global: `done` reads each thread's copy through thread:get

function init(args)
   local all = {}
   for line in io.lines(os.getenv("BENCH_COOKIES")) do
      if line ~= "" then table.insert(all, line) end
   end
   local index, count = tonumber(wrk.thread:get("index")), tonumber(wrk.thread:get("count"))
   for i = 1, #all do
      if (i - 1) % count == index then table.insert(users, all[i]) end
   end
   if #users == 0 then error("no users for thread " .. index) end
   math.randomseed(os.time() * 1000 + index)
end

local function uuid4()
   return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
      local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
      return string.format("%x", v)
   end))
end

function request()
   next_user = next_user % #users + 1
   local headers = { ["Cookie"] = users[next_user] }
   if mode == "dashboard" then
      headers["Accept"] = "text/html"
      return wrk.format("GET", "/dashboard", headers)
   end
   headers["Content-Type"] = "application/x-www-form-urlencoded"
   headers["Accept"] = "application/json"
   if mode == "portfolio" then
      return wrk.format("POST", "/api/my_portfolio", headers, "")
   end
   local turn = (turns[next_user] or 0) + 1
   turns[next_user] = turn
   local side = (turn % 2 == 1) and "buy" or "sell"
   local symbol = symbols[(math.floor((turn - 1) / 2) + next_user) % #symbols + 1]
   local body = "symbol=" .. symbol .. "&side=" .. side .. "&quantity=1&idempotency_key=" .. uuid4()
   return wrk.format("POST", "/api/place_order", headers, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local by_status = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for status, n in pairs(counts) do
         by_status[status] = (by_status[status] or 0) + n
      end
   end
   local parts = {}
   for status, n in pairs(by_status) do
      table.insert(parts, string.format('"%d":%d', status, n))
   end
   local e = summary.errors
   io.write(string.format(
      '{"requests":%d,"seconds":%.3f,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
      '"timeouts":%d,"statuses":{%s},"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
      summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.timeout,
      table.concat(parts, ","), latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean))
end
