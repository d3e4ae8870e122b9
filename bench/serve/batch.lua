-- wrk: POST a batch of 10 quotes (prices 55,000 to 64,000 CNY a server-month) on every request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local quotes = {}
for i = 0, 9 do
  quotes[#quotes + 1] = string.format(
    '{"model": "guosen-2025-standard-10k", "overrides": {"contracts[0].take_or_pay.price": "%d CNY/server-month"}}', 55000 + 1000 * i)
end
wrk.body = '{"quotes": [' .. table.concat(quotes, ", ") .. ']}'
