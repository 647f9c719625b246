-- wrk: POST /generate, one output token. BOOTSTRAP=1 (for nginx) puts bootstrap fields with a fresh random
-- room in each body, as the client must when the proxy cannot pick a room; mini-lb gets the plain body.
-- STREAM=1 asks for an SSE stream.
local inject = os.getenv("BOOTSTRAP") == "1"
local bport = os.getenv("BOOTSTRAP_PORT") or "8998"
local base = '{"text":"The quick brown fox jumps over the lazy dog","sampling_params":{"max_new_tokens":1,"temperature":0}'
if os.getenv("STREAM") == "1" then
  base = base .. ',"stream":true'
end
local headers = { ["Content-Type"] = "application/json" }
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end
function init(args)
  -- distinct seed per thread, or the threads would send the same rooms
  math.randomseed(os.time() + 7919 * (id or 0))
end
request = function()
  local body
  if inject then
    body = base .. ',"bootstrap_host":"127.0.0.1","bootstrap_port":' .. bport ..
      ',"bootstrap_room":' .. math.random(1, 2147483647) .. string.format('%06d', math.random(0, 999999)) .. '}'
  else
    body = base .. '}'
  end
  return wrk.format("POST", "/generate", headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("WRK rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f requests=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    summary.errors.status))
end
