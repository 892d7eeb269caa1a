#!/usr/bin/env python3
"""The Kubernetes PrometheusRule carries exactly the rules of the alert file, and is what
the generator writes from it (so nobody edited it by hand).

    check_prometheusrule.py deploy/
"""
import pathlib
import subprocess
import sys

import yaml

from problems import finish


def names(group: dict) -> list:
    return [r.get("alert") or r.get("record") for r in group["rules"]]


def main() -> int:
    deploy = pathlib.Path(sys.argv[1])
    alerts = yaml.safe_load((deploy / "prometheus" / "alerts.yml").read_text())
    rule = yaml.safe_load((deploy / "kubernetes" / "prometheusrule.yaml").read_text())
    problems = []
    if rule.get("kind") != "PrometheusRule":
        problems.append(f"prometheusrule.yaml is a {rule.get('kind')}, not a PrometheusRule")
    want, got = alerts["groups"], rule.get("spec", {}).get("groups", [])
    if [g["name"] for g in want] != [g["name"] for g in got]:
        problems.append(f"groups differ: {[g['name'] for g in want]} vs {[g['name'] for g in got]}")
    for w, g in zip(want, got):
        if names(w) != names(g):
            problems.append(f"group {w['name']}: rules {names(w)} vs {names(g)}")
        for wr, gr in zip(w["rules"], g["rules"]):
            if wr != gr:
                fields = sorted(k for k in set(wr) | set(gr) if wr.get(k) != gr.get(k))
                problems.append(f"rule {wr.get('alert') or wr.get('record')}: {', '.join(fields)} differ")
        if {k: v for k, v in w.items() if k != "rules"} != {k: v for k, v in g.items() if k != "rules"}:
            problems.append(f"group {w['name']}: settings differ")
    generator = deploy / "kubernetes" / "generate-prometheusrule.py"
    check = subprocess.run([sys.executable, str(generator), "--check"], capture_output=True, text=True)
    if check.returncode != 0:
        problems.append(check.stderr.strip() or "generator --check failed")
    return finish(problems, f"{sum(len(g['rules']) for g in want)} rules in {len(want)} group(s) agree")


if __name__ == "__main__":
    sys.exit(main())
