-- The one wrk script of `npm run bench` (bench/run.ts), for every scenario and
-- the bare Koa baseline alike. It reads the run's pre-built requests once, in
-- init (one per line: METHOD <tab> PATH <tab> BODY), formats each once, and
-- sends them in that order, cycling; it counts responses whose status is not
-- the expected one, and prints one RESULT line of JSON.
--
-- Environment: RUNG_BENCH_REQUESTS (the file), RUNG_BENCH_EXPECT (status),
-- RUNG_BENCH_HEADERS ("Name: value" lines), RUNG_BENCH_CONTENT_TYPE (of bodies).

local requests = {}
local count = 0
local index = 0
local expected = tonumber(os.getenv("RUNG_BENCH_EXPECT"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrong = 0
  local plain, withBody = {}, {}
  for name, value in string.gmatch(os.getenv("RUNG_BENCH_HEADERS") or "", "([^:\n]+):%s*([^\n]*)") do
    plain[name] = value
    withBody[name] = value
  end
  withBody["Content-Type"] = os.getenv("RUNG_BENCH_CONTENT_TYPE")
  for line in io.lines(os.getenv("RUNG_BENCH_REQUESTS")) do
    local method, path, body = string.match(line, "^(%u+)\t([^\t]*)\t(.*)$")
    count = count + 1
    if body == "" then
      requests[count] = wrk.format(method, path, plain, nil)
    else
      requests[count] = wrk.format(method, path, withBody, body)
    end
  end
end

function request()
  index = index + 1
  if index > count then index = 1 end
  return requests[index]
end

function response(status, headers, body)
  if status ~= expected then wrong = wrong + 1 end
end

function done(summary, latency, requests)
  local w = 0
  for _, t in ipairs(threads) do w = w + t:get("wrong") end
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"durationUs":%d,"p99Us":%d,"wrong":%d,"errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(99), w, e.connect + e.read + e.write + e.timeout))
end
