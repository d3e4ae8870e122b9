-- wrk: POST a quote not asked before on every request (the price moves by a cent each time, from
-- a different start on each wrk thread), so that every answer is computed rather than reused.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
  thread:set("first", 50000 + 10000 * threads)
  threads = threads + 1
end

local cents = 0
function request()
  cents = cents + 1
  local price = string.format("%.2f", first + cents / 100)
  return wrk.format(nil, nil, nil,
    '{"model": "guosen-2025-standard-10k", "overrides": {"contracts[0].take_or_pay.price": "' .. price .. ' CNY/server-month"}}')
end
