#!/usr/bin/env python3
"""Table and SVG of C-VF test error against the initial angle Ψ₀ (Ernoult et al. 2020, Fig. 4).

Reads the `eqprop train --json` outputs given as ANGLE=FILE arguments and writes angle.md and
angle.svg next to this script. Standard library only.

    python3 examples/c-vf-angle/plot.py 0=psi0.json 45=psi45.json ...
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def summary(path):
    """The last JSON object of an `eqprop train --json` stdout."""
    text = open(path, encoding="utf-8").read()
    return json.loads(text[text.rindex("\n{") + 1:] if "\n{" in text else text)


def main(arguments):
    rows = []
    for argument in arguments:
        angle, path = argument.split("=", 1)
        run = summary(path)
        last = run["per_epoch"][-1]
        rows.append((float(angle), 100 * run["test_error"], 100 * run["train_error"],
                     last["metrics"].get("vf.psi[0]", float("nan")), run["epochs"]))
    rows.sort()
    with open(os.path.join(HERE, "angle.md"), "w", encoding="utf-8") as table:
        table.write("| Ψ₀ (°) | epochs | test error (%) | train error (%) | Ψ after training (°) |\n")
        table.write("|---|---|---|---|---|\n")
        for angle, test, train, psi, epochs in rows:
            table.write(f"| {angle:g} | {epochs} | {test:.2f} | {train:.2f} | {psi:.1f} |\n")
    write_svg(rows, os.path.join(HERE, "angle.svg"))


def write_svg(rows, path):
    width, height, left, bottom, top, right = 520, 340, 60, 50, 30, 20
    plot_w, plot_h = width - left - right, height - top - bottom
    high = max(r[1] for r in rows) * 1.1 or 1

    def x(angle):
        return left + plot_w * angle / 180

    def y(error):
        return top + plot_h * (1 - error / high)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'font-family="sans-serif" font-size="12">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{width / 2}" y="18" text-anchor="middle" font-weight="bold">'
             'C-VF-1h: test error against the initial angle Ψ₀</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="black"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="black"/>']
    for tick in range(0, 181, 45):
        parts.append(f'<text x="{x(tick)}" y="{top + plot_h + 16}" text-anchor="middle">{tick}</text>')
    for step in range(5):
        error = high * step / 4
        parts.append(f'<text x="{left - 6}" y="{y(error) + 4}" text-anchor="end">{error:.1f}</text>')
        parts.append(f'<line x1="{left}" y1="{y(error)}" x2="{left + plot_w}" y2="{y(error)}" stroke="#ddd"/>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">Ψ₀ (degrees)</text>')
    parts.append(f'<text x="16" y="{top + plot_h / 2}" text-anchor="middle" '
                 f'transform="rotate(-90 16 {top + plot_h / 2})">test error (%)</text>')
    points = " ".join(f"{x(r[0]):.1f},{y(r[1]):.1f}" for r in rows)
    parts.append(f'<polyline points="{points}" fill="none" stroke="#0072b2" stroke-width="2"/>')
    for r in rows:
        parts.append(f'<circle cx="{x(r[0]):.1f}" cy="{y(r[1]):.1f}" r="4" fill="#0072b2"/>')
    parts.append("</svg>")
    with open(path, "w", encoding="utf-8") as svg:
        svg.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
