#!/usr/bin/env python3
"""The compose stack is valid and its parts fit together, without running it:

- `docker-compose config` (Debian's docker-compose, offline) accepts deploy/compose.yaml:
  the compose schema, and references such as depends_on;
- every bind-mounted file or folder and the build's Dockerfile exist;
- Prometheus scrapes the server's metrics port by its service name and loads the alert file;
- Grafana's data source is the stack's Prometheus, and the dashboard provider reads the
  folder the dashboards are mounted at.

    check_compose.py deploy/compose.yaml
"""
import pathlib
import subprocess
import sys

import yaml

from problems import finish


def main() -> int:
    compose_file = pathlib.Path(sys.argv[1]).resolve()
    run = subprocess.run(["docker-compose", "-f", str(compose_file), "config"],
                         capture_output=True, text=True, cwd="/")
    if run.returncode != 0:
        print(run.stderr.strip(), file=sys.stderr)
        return 1
    config = yaml.safe_load(run.stdout)
    services = config["services"]
    problems = []

    mounts = {}  # (service, target) -> host path
    for name, service in services.items():
        for volume in service.get("volumes", []):
            if isinstance(volume, str):
                source, target = volume.split(":")[:2]
                kind = "bind" if source.startswith(("/", ".")) else "volume"
            else:
                source, target, kind = volume.get("source"), volume["target"], volume["type"]
            if kind == "bind":
                mounts[(name, target)] = pathlib.Path(source)
                if not pathlib.Path(source).exists():
                    problems.append(f"{name}: {source} is mounted but does not exist")
        build = service.get("build")
        if build:
            dockerfile = pathlib.Path(build["context"]) / build.get("dockerfile", "Dockerfile")
            if not dockerfile.is_file():
                problems.append(f"{name}: no Dockerfile at {dockerfile}")

    def container_ports(name):
        return {p["target"] if isinstance(p, dict) else int(str(p).rsplit(":", 1)[-1].split("/")[0])
                for p in services.get(name, {}).get("ports", [])}

    prometheus_dir = mounts.get(("prometheus", "/etc/prometheus"))
    if not prometheus_dir:
        problems.append("prometheus: its configuration folder is not mounted at /etc/prometheus")
    else:
        prometheus = yaml.safe_load((prometheus_dir / "prometheus.yml").read_text())
        targets = [t for job in prometheus["scrape_configs"]
                   for c in job.get("static_configs", []) for t in c["targets"]]
        if not any(t.split(":")[0] == "server" and int(t.split(":")[1]) in container_ports("server")
                   for t in targets):
            problems.append(f"prometheus: no scrape target is the server's metrics port ({targets})")
        for rules in prometheus.get("rule_files", []):
            if not (prometheus_dir / rules).is_file():
                problems.append(f"prometheus: rule file {rules} is not in {prometheus_dir}")

    provisioning = mounts.get(("grafana", "/etc/grafana/provisioning"))
    if not provisioning:
        problems.append("grafana: provisioning is not mounted at /etc/grafana/provisioning")
    else:
        for path in sorted((provisioning / "datasources").glob("*.y*ml")):
            for source in yaml.safe_load(path.read_text())["datasources"]:
                host = source["url"].split("//")[1].split(":")[0]
                if host not in services:
                    problems.append(f"grafana: data source {source['url']} is no service of the stack")
        for path in sorted((provisioning / "dashboards").glob("*.y*ml")):
            for provider in yaml.safe_load(path.read_text())["providers"]:
                folder = mounts.get(("grafana", provider["options"]["path"]))
                if not folder or not any(folder.glob("*.json")):
                    problems.append(f"grafana: no dashboards mounted at {provider['options']['path']}")

    return finish(problems, f"{len(services)} services fit together")


if __name__ == "__main__":
    sys.exit(main())
