-- wrk: POST the standard 10k-card model (YAML) to /v1/run on every request: the exact run document.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/yaml"
local file = io.open(os.getenv("LEASECALC_MODEL"), "rb")
wrk.body = file:read("*a")
file:close()
