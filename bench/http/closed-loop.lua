-- wrk 4 script for bench/http's closed-loop scenarios (run by wrk-driver.ts).
-- wrk <url> -s closed-loop.lua -- <tokens file> <create|mixed> <threads> <timed: 0|1>
--
-- Bearer tokens rotate: thread t of T takes every T-th line of the tokens file, creates and reads
-- each cycle through that share. "mixed" sends 4 list reads, then 1 create. With "timed" (one
-- connection per thread, so a thread's request and response strictly alternate) each request is
-- timed here with CLOCK_MONOTONIC and counted per kind in 1 % log buckets; otherwise wrk's own
-- histogram is the latency. done() prints one line: "BENCH_JSON {…}".
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local threads = {}
function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

local create_body = '{"title":"Benchmark document","body":"' .. string.rep("x", 400) .. '"}'
local tokens, mixed, timed = {}, false, false
local next_create, next_read, sent, sent_at, kind = 1, 1, 0, 0, "write"
-- Read by done() through thread:get, so global.
statuses, samples, reads, writes, creates, token_count = {}, {}, {}, {}, 0, 0

function init(args)
  local thread_count = tonumber(args[3])
  local line_index = 0
  for line in io.lines(args[1]) do
    if line_index % thread_count == index then tokens[#tokens + 1] = line end
    line_index = line_index + 1
  end
  token_count = #tokens
  mixed = args[2] == "mixed"
  timed = args[4] == "1"
  -- Reads start half a rotation away from creates: a user's list is read while others create.
  next_read = math.floor(#tokens / 2) + 1
end

function request()
  sent = sent + 1
  local req
  if mixed and sent % 5 ~= 0 then
    kind = "read"
    req = wrk.format("GET", "/v1/documents?limit=20", { Authorization = "Bearer " .. tokens[next_read] })
    next_read = next_read % #tokens + 1
  else
    kind = "write"
    creates = creates + 1
    req = wrk.format("POST", "/v1/documents", {
      Authorization = "Bearer " .. tokens[next_create],
      ["Content-Type"] = "application/json",
    }, create_body)
    next_create = next_create % #tokens + 1
  end
  if timed then sent_at = now_us() end
  return req
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if (status < 200 or status > 299) and samples[status] == nil then samples[status] = string.sub(body or "", 1, 300) end
  if timed then
    local bucket = math.floor(math.log(math.max(now_us() - sent_at, 1)) * 100)
    local histogram = kind == "read" and reads or writes
    histogram[bucket] = (histogram[bucket] or 0) + 1
  end
end

local function escape(text)
  return (string.gsub(text, '[%c"\\\128-\255]', function(c) return string.format("\\u%04x", string.byte(c)) end))
end

local function object(map, quote)
  local parts = {}
  for key, value in pairs(map) do
    parts[#parts + 1] = string.format('"%s":%s', tostring(key), quote and ('"' .. escape(value) .. '"') or tostring(value))
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

local function merge(into, map)
  for key, value in pairs(map) do
    if type(value) == "number" then into[key] = (into[key] or 0) + value else into[key] = into[key] or value end
  end
end

function done(summary, latency, requests)
  local all_statuses, all_samples, all_reads, all_writes, max_per_user = {}, {}, {}, {}, 0
  for _, thread in ipairs(threads) do
    merge(all_statuses, thread:get("statuses"))
    merge(all_samples, thread:get("samples"))
    merge(all_reads, thread:get("reads"))
    merge(all_writes, thread:get("writes"))
    max_per_user = math.max(max_per_user, math.ceil(thread:get("creates") / math.max(thread:get("token_count"), 1)))
  end
  local errors = summary.errors
  io.write("BENCH_JSON {",
    string.format('"durationUs":%d,"requests":%d,', summary.duration, summary.requests),
    string.format('"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},', errors.connect, errors.read, errors.write, errors.timeout),
    string.format('"wrkLatencyUs":{"p50":%d,"p99":%d,"max":%d},', latency:percentile(50), latency:percentile(99), latency.max),
    '"statuses":', object(all_statuses), ',"samples":', object(all_samples, true),
    ',"readBuckets":', object(all_reads), ',"writeBuckets":', object(all_writes),
    string.format(',"maxDocumentsPerUser":%d}\n', max_per_user))
end
