#!/usr/bin/env python3
"""Writes prometheusrule.yaml from deploy/prometheus/alerts.yml, the one source of the alert
rules: the same groups, for the Prometheus Operator. Run it after changing the alerts;
the test command checks the two agree.

    deploy/kubernetes/generate-prometheusrule.py           # rewrite prometheusrule.yaml
    deploy/kubernetes/generate-prometheusrule.py --check   # exit 1 if it is out of date
"""
import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE.parent / "prometheus" / "alerts.yml"
TARGET = HERE / "prometheusrule.yaml"
HEADER = (
    "# Generated from deploy/prometheus/alerts.yml by deploy/kubernetes/generate-prometheusrule.py;\n"
    "# do not edit: change the alert file and run the script.\n"
)


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (the expressions) as literal blocks, as a person would write them."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def render() -> str:
    alerts = yaml.safe_load(SOURCE.read_text())
    rule = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "compliance-status",
            "labels": {"app.kubernetes.io/name": "compliance-status"},
        },
        "spec": {"groups": alerts["groups"]},
    }
    return HEADER + yaml.dump(rule, Dumper=_Dumper, sort_keys=False, width=1000, allow_unicode=True)


def main() -> int:
    text = render()
    if sys.argv[1:] == ["--check"]:
        if TARGET.read_text() != text:
            print(f"{TARGET} is out of date: run {pathlib.Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
