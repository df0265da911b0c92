#!/usr/bin/env python3
"""Draws the loop-stall heartbeat (aorm-bench-stall --json) as a plain SVG: tick delay against
time for each mode, on one shared scale, with p50/p99/max in the legend.

    plot_stall.py STALL_JSON OUT_SVG"""

import json
import sys
from xml.sax.saxutils import escape

W, H = 760, 420
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 50, 60
COLORS = ["#1f77b4", "#d62728"]


def nice_step(span, ticks=5):
    raw = span / ticks
    for m in (1, 2, 5, 10):
        for e in range(-3, 6):
            step = m * 10 ** e
            if step >= raw:
                return step
    return raw


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot_stall.py STALL_JSON OUT_SVG")
    try:
        with open(sys.argv[1]) as f:
            data = json.load(f)
        series = data["series"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit("plot_stall.py: cannot read {}: {}".format(sys.argv[1], e))
    xmax = max([max(s["t_ms"], default=0) for s in series] + [1])
    ymax = max([max(s["delay_ms"], default=0) for s in series] + [1])
    xstep, ystep = nice_step(xmax), nice_step(ymax)
    xmax = xstep * -(-xmax // xstep)
    ymax = ystep * -(-ymax // ystep)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(v):
        return LEFT + v / xmax * pw

    def y(v):
        return TOP + ph - max(v, 0) / ymax * ph

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
           'font-family="sans-serif" font-size="12">'.format(W, H, W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="{}" y="22" font-size="15" font-weight="bold">Heartbeat tick delay while {} '
           'ORM queries run on the same loop</text>'.format(LEFT, data.get("queries", "?"))]
    v = 0.0
    while v <= ymax + 1e-9:
        out.append('<line x1="{:.1f}" x2="{:.1f}" y1="{:.1f}" y2="{:.1f}" stroke="#ddd"/>'
                   .format(LEFT, LEFT + pw, y(v), y(v)))
        out.append('<text x="{:.1f}" y="{:.1f}" text-anchor="end">{:g}</text>'
                   .format(LEFT - 6, y(v) + 4, round(v, 3)))
        v += ystep
    v = 0.0
    while v <= xmax + 1e-9:
        out.append('<text x="{:.1f}" y="{:.1f}" text-anchor="middle">{:g}</text>'
                   .format(x(v), TOP + ph + 16, round(v, 3)))
        v += xstep
    out.append('<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#333"/>'
               .format(LEFT, TOP, pw, ph))
    out.append('<text x="{:.1f}" y="{}" text-anchor="middle">time since start (ms)</text>'
               .format(LEFT + pw / 2, H - 22))
    out.append('<text transform="translate(18 {:.1f}) rotate(-90)" text-anchor="middle">'
               'tick delay past 1 ms (ms)</text>'.format(TOP + ph / 2))
    for i, s in enumerate(series):
        color = COLORS[i % len(COLORS)]
        pts = " ".join("{:.1f},{:.1f}".format(x(t), y(d)) for t, d in zip(s["t_ms"], s["delay_ms"]))
        out.append('<polyline points="{}" fill="none" stroke="{}" stroke-width="1.2"/>'
                   .format(pts, color))
        ly = TOP + 14 + 18 * i
        out.append('<rect x="{}" y="{}" width="14" height="4" fill="{}"/>'
                   .format(LEFT + 12, ly - 4, color))
        out.append('<text x="{}" y="{}">{}: p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms</text>'
                   .format(LEFT + 32, ly + 1, escape(s["mode"]), s["p50"], s["p99"], s["max"]))
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
