-- wrk script of the benchmark scenarios (benchmarks/run.py sets the BENCH_* variables).
--   BENCH_SCENARIO  get | list_first | list_deep | create | patch | complete_recurring |
--                   stats_heavy | stats_light | mix
--   BENCH_IDS       file of "user_id task_id" lines (random GET and PATCH targets)
--   BENCH_RECURRING_IDS  the same for recurring dailies (complete_recurring targets)
--   BENCH_API_KEY, BENCH_HEAVY_USER, BENCH_LIGHT_USER, BENCH_CURSOR (list_deep)
--   BENCH_MAX_REQUESTS  stop after this many responses (0: run for -d); with one thread
--   BENCH_SEED      added to the random seed: two wrk started in the same second (loading two
--                   servers side by side) must not pick the same targets and titles
-- done() prints one line "BENCH_JSON {...}" with the counts and latency percentiles (µs).

local scenario = os.getenv("BENCH_SCENARIO") or "get"
local api_key = os.getenv("BENCH_API_KEY")
local ids_file = os.getenv("BENCH_IDS")
local recurring_file = os.getenv("BENCH_RECURRING_IDS")
local heavy = os.getenv("BENCH_HEAVY_USER") or "bench-heavy"
local light = os.getenv("BENCH_LIGHT_USER") or "bench-light"
local deep_cursor = os.getenv("BENCH_CURSOR") or ""
local max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "0")
local stats_query = "/v1/stats?tz=Europe/Madrid&days=30"

local targets = {}
local recurring = {}
local counter = 0
local responses = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_id or 0) + tonumber(os.getenv("BENCH_SEED") or "0"))
  for line in io.lines(ids_file) do
    local user, id = line:match("^(%S+) (%S+)$")
    if user then targets[#targets + 1] = { user, id } end
  end
  if recurring_file then
    for line in io.lines(recurring_file) do
      local user, id = line:match("^(%S+) (%S+)$")
      if user then recurring[#recurring + 1] = { user, id } end
    end
  end
end

local function headers(user, json)
  local h = { ["X-API-Key"] = api_key, ["X-User-ID"] = user }
  if json then h["Content-Type"] = "application/json" end
  return h
end

local function pick()
  return targets[math.random(#targets)]
end

local builders = {}

builders.get = function()
  local t = pick()
  return wrk.format("GET", "/v1/tasks/" .. t[2], headers(t[1]))
end

builders.list_first = function()
  return wrk.format("GET", "/v1/tasks?limit=50", headers(heavy))
end

builders.list_deep = function()
  return wrk.format("GET", "/v1/tasks?limit=50&cursor=" .. deep_cursor, headers(heavy))
end

builders.list_any = function()
  return wrk.format("GET", "/v1/tasks?limit=50", headers(pick()[1]))
end

builders.create = function()
  counter = counter + 1
  local user = "bench-writer-" .. (counter % 50)
  local body = '{"title": "bench new ' .. counter .. '", "priority": "high", '
    .. '"tags": ["bench", "Cats"], "due_date": "2027-01-15T10:00:00+01:00"}'
  return wrk.format("POST", "/v1/tasks", headers(user, true), body)
end

builders.patch = function()
  local t = pick()
  local body = '{"title": "patched ' .. math.random(1000000000) .. '"}'
  return wrk.format("PATCH", "/v1/tasks/" .. t[2], headers(t[1], true), body)
end

-- Completing a recurring daily: a completion recorded and the task moved to its next
-- occurrence, in one transaction (compare with patch, a plain PATCH).
builders.complete_recurring = function()
  local t = recurring[math.random(#recurring)]
  return wrk.format("PATCH", "/v1/tasks/" .. t[2], headers(t[1], true), '{"status": "completed"}')
end

builders.stats_heavy = function()
  return wrk.format("GET", stats_query, headers(heavy))
end

builders.stats_light = function()
  return wrk.format("GET", stats_query, headers(light))
end

builders.stats_any = function()
  return wrk.format("GET", stats_query, headers(pick()[1]))
end

-- The realistic mix: 50 % stats, 25 % get, 15 % list, 7 % patch, 3 % create.
builders.mix = function()
  local r = math.random(100)
  if r <= 50 then return builders.stats_any() end
  if r <= 75 then return builders.get() end
  if r <= 90 then return builders.list_any() end
  if r <= 97 then return builders.patch() end
  return builders.create()
end

local build = builders[scenario]
if build == nil then error("unknown BENCH_SCENARIO " .. scenario) end

function request()
  return build()
end

if max_requests > 0 then
  function response(status, headers, body)
    responses = responses + 1
    if responses == max_requests then
      -- wrk would idle until -d ends: tell run.py, which interrupts it (SIGINT: report).
      io.write("BENCH_STOPPED\n")
      io.stdout:flush()
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors_status": %d, '
      .. '"errors_connect": %d, "errors_read": %d, "errors_write": %d, "errors_timeout": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
