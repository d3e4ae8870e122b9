#!/usr/bin/env python3
"""The deal memo in a real browser: Debian's headless Chromium opens `leasecalc report`'s page
with every network request refused (a proxy at a closed port), prints it to PDF and takes a
screenshot, then dumps the DOM it rendered. The check: the page rendered (a screenshot of many
colours, a PDF), the headline figures of `leasecalc run --format json` are in the rendered text
as the memo formats them, the browser logged no console message (a blocked or failed request,
a Content-Security-Policy violation or a script error would be one), and the HTML names nothing
to fetch.

usage: memo_browser_check.py LEASECALC MODELS_DIR WORK_DIR
Exit 77 (skipped) when Chromium is not installed."""

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

SKIP = 77


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def png_colours(path):
    """The distinct colours of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG")
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour_type = header[:4]
    if depth != 8 or colour_type not in (2, 6):
        fail("unexpected PNG format: depth %d, colour type %d" % (depth, colour_type))
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, row = line[0], bytearray(line[1:])
        for i in range(stride):
            left = row[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        for x in range(0, stride, channels):
            colours.add(bytes(row[x:x + 3]))
        previous = row
    return colours


def chromium(args, work, log_name):
    command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
               "--proxy-bypass-list=<-loopback>", "--enable-logging=stderr", "--v=0", "--no-first-run",
               "--disable-extensions", "--disable-background-networking", "--disable-component-update",
               "--user-data-dir=" + os.path.join(work, "profile"), "--window-size=1280,2000"] + args
    run = subprocess.run(command, capture_output=True, text=True, timeout=90)
    open(os.path.join(work, log_name), "w").write(run.stderr)
    if run.returncode != 0:
        fail("chromium exited with %d:\n%s" % (run.returncode, run.stderr[-2000:]))
    return run


def console_messages(log):
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def main():
    leasecalc, models, work = sys.argv[1:4]
    if shutil.which("chromium") is None:
        print("SKIP: chromium is not installed (Debian's `chromium`; scripts/setup.sh installs it)")
        sys.exit(SKIP)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    model = os.path.join(models, "guosen-2025-standard-10k.yaml")
    memo = os.path.join(work, "memo.html")
    made = subprocess.run([leasecalc, "report", model, "-o", memo, "--runs", "300", "--threads", "2", "--scale", "亿"],
                          capture_output=True, text=True, timeout=120)
    if made.returncode != 0:
        fail("leasecalc report exited with %d: %s" % (made.returncode, made.stderr))
    html = open(memo, encoding="utf-8").read()

    # Static: nothing in the page names anything to fetch.
    fetching = re.findall(r"""(?:src|href|action|poster|srcset)\s*=|url\(|@import|<script|<link|<iframe|<object|<embed""",
                          html, re.IGNORECASE)
    if fetching:
        fail("the page names something to fetch: %s" % sorted(set(fetching)))
    if re.search(r"https?://", html):
        fail("the page holds a web address: %s" % re.search(r".{0,40}https?://.{0,40}", html).group(0))

    # The engine's figures, from `run --format json`, formatted as the memo's tables show them.
    run = subprocess.run([leasecalc, "run", model, "--format", "json"], capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        fail("leasecalc run exited with %d: %s" % (run.returncode, run.stderr))
    figures = json.loads(run.stdout)
    returns = figures["returns"]
    expected = {
        "project IRR, post-tax": "%.2f%%" % (returns["project_irr_post_tax"]["rate"] * 100),
        "project IRR, pre-tax": "%.2f%%" % (returns["project_irr_pre_tax"]["rate"] * 100),
        "equity IRR": "%.2f%%" % (returns["equity_irr"]["rate"] * 100),
        "minimum DSCR": "%.2fx" % returns["minimum_dscr"],
        "net margin": "%.2f%%" % (figures["summary"]["net_margin"] * 100),
        "break-even utilisation": "%.1f%%" % (figures["break_even"]["break_even_utilisation"] * 100),
        "net income, life": "%.2f" % (figures["summary"]["total_net_income"] / 1e8),
    }
    for price in figures["break_even"]["prices"]:
        expected["price of " + price["contract"]] = "{:,.2f} CNY {}".format(price["quoted_price"], price["unit"])
        expected["break-even price of " + price["contract"]] = "{:,.2f} CNY {}".format(price["break_even_price"],
                                                                                     price["unit"])

    # One run prints and screenshots; one dumps the DOM as rendered. Both with the network refused.
    url = "file://" + memo
    screenshot, pdf = os.path.join(work, "memo.png"), os.path.join(work, "memo.pdf")
    first = chromium(["--screenshot=" + screenshot, "--print-to-pdf=" + pdf, "--no-pdf-header-footer", url], work,
                     "chromium-print.log")
    second = chromium(["--dump-dom", url], work, "chromium-dom.log")

    for path in (screenshot, pdf):
        if not os.path.exists(path):
            fail("chromium wrote no " + path)
    if open(pdf, "rb").read(5) != b"%PDF-" or os.path.getsize(pdf) < 20000:
        fail("the PDF is missing or nearly empty (%d bytes)" % os.path.getsize(pdf))
    colours = png_colours(screenshot)
    if len(colours) < 64:
        fail("the screenshot looks blank: %d distinct colours" % len(colours))

    dom = second.stdout
    if "<svg" not in dom or dom.count('class="chart"') < 7:
        fail("the rendered page lacks its charts (%d)" % dom.count('class="chart"'))
    text = re.sub(r"<[^>]+>", " ", dom)
    for name, shown in expected.items():
        if shown not in text:
            fail("the rendered page does not show the %s, %s" % (name, shown))

    messages = console_messages(first.stderr) + console_messages(second.stderr)
    if messages:
        fail("the browser logged console messages:\n" + "\n".join(messages))
    print("memo rendered: %d colours in the screenshot, %d-byte PDF, figures %s" %
          (len(colours), os.path.getsize(pdf), ", ".join(expected.values())))


if __name__ == "__main__":
    main()
