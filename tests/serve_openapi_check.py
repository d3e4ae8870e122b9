"""The service's real responses validate against docs/openapi.json: starts `leasecalc serve` on a free
port, sends a good and a bad request to every endpoint, and checks each answer (status, media type and
body) against the schema the OpenAPI document gives for that status.

Usage: serve_openapi_check.py LEASECALC_EXE OPENAPI_JSON MODELS_DIR   (run by ctest with /usr/bin/python3)
"""
import json
import pathlib
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import jsonschema

exe, openapi_path, models_dir = sys.argv[1:4]
openapi = json.loads(pathlib.Path(openapi_path).read_text())
jsonschema.Draft202012Validator.check_schema({"$defs": openapi["components"]["schemas"]})
model_yaml = (pathlib.Path(models_dir) / "guosen-2025-standard-10k.yaml").read_bytes()

server = subprocess.Popen([exe, "serve", "--port", "0", "--threads", "2", "--models", models_dir],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    port = int(server.stdout.readline().strip().rsplit(":", 1)[1])

    def call(method, path, body=None, media="application/json"):
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                         headers={"Content-Type": media} if data is not None else {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers.get_content_type(), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_content_type(), json.loads(error.read())

    def schema_for(path, method, status, media):
        operation = openapi["paths"][path][method.lower()]
        response = operation["responses"][str(status)]
        schema = response["content"][media]["schema"]
        # Resolve "#/components/..." against the whole document.
        return {**schema, "components": openapi["components"]}

    quote = {"model": "guosen-2025-standard-10k",
             "overrides": {"contracts[0].take_or_pay.price": "60000 CNY/server-month"}}
    cases = [
        ("GET", "/healthz", None, "application/json", 200),
        ("GET", "/v1/models", None, "application/json", 200),
        ("GET", "/openapi.json", None, "application/json", 200),
        ("POST", "/v1/quote", quote, "application/json", 200),
        ("POST", "/v1/quote", {**quote, "exact": True}, "application/json", 200),
        ("POST", "/v1/quote", {"model": "guosen-2025-standard-10k", "overrides": {"cluster.servers": "lots"}}, "application/json", 422),
        ("POST", "/v1/quote", b'{"model": ', "application/json", 400),
        ("POST", "/v1/quote", {"model": "guosen-2025-standard-10k", "extra": 1}, "application/json", 422),
        ("POST", "/v1/run", model_yaml, "application/yaml", 200),
        ("POST", "/v1/run?fast=true&monthly=true", model_yaml, "application/yaml", 200),
        ("POST", "/v1/run", b"horizon_months: [", "application/yaml", 400),
        ("POST", "/v1/bid", {"model": "guosen-2025-standard-10k", "target": {"metric": "equity-irr", "value": "15%"}}, "application/json", 200),
        ("POST", "/v1/bid", {"model": "guosen-2025-standard-10k", "target": {"metric": "equity-irr"}}, "application/json", 422),
        ("POST", "/v1/batch", {"quotes": [quote, {"model": "nothing"}]}, "application/json", 200),
        ("POST", "/v1/batch", {"quotes": [quote] * 101}, "application/json", 413),
    ]
    for method, path, body, media, expected in cases:
        status, content_type, document = call(method, path, body, media)
        assert status == expected, f"{method} {path}: status {status}, expected {expected}: {document}"
        want_media = "application/problem+json" if status >= 400 else "application/json"
        assert content_type == want_media, f"{method} {path}: {content_type}"
        if path == "/openapi.json":
            assert document == openapi, "/openapi.json is not docs/openapi.json"
            continue
        jsonschema.Draft202012Validator(schema_for(path.split("?")[0], method, status, want_media)).validate(document)
        print(f"ok {method} {path} {status}")
    for method, path, expected in [("GET", "/nowhere", 404), ("GET", "/v1/quote", 405)]:
        status, content_type, document = call(method, path)
        assert status == expected and content_type == "application/problem+json", (path, status)
        jsonschema.Draft202012Validator({**openapi["components"]["schemas"]["Problem"]}).validate(document)
        print(f"ok {method} {path} {status}")
finally:
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=30) == 0, "the server did not exit 0 on SIGTERM"
