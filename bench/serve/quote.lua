-- wrk: POST one quote (a base model with a price override) on every request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model": "guosen-2025-standard-10k", "overrides": {"contracts[0].take_or_pay.price": "60000 CNY/server-month"}}'
