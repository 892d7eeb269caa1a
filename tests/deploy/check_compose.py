#!/usr/bin/env python3
"""The compose stack is valid and its parts fit together, without running it:

- `docker-compose config` (Debian's docker-compose, offline) accepts deploy/compose.yaml:
  the compose schema, and references such as depends_on;
- every bind-mounted file or folder and the build's Dockerfile exist;
- Prometheus scrapes the server's metrics port by its service name and loads the alert file;
- Grafana's data source is the stack's Prometheus, and the dashboard provider reads the
  folder the dashboards are mounted at;
- the server signs audit checkpoints (never COMPLIANCE_ALLOW_UNSIGNED_AUDIT) with a key on a
  volume it mounts read-only, which a one-shot service it waits for writes, and writes them to
  a witness directory on a volume it mounts writable; it runs read-only without capabilities;
- least privilege: the server connects as a role other than PostgreSQL's owner, which a
  PostgreSQL init script creates, and a one-shot service it waits for migrates as the owner
  with `migrate --grant-to` that role.

    check_compose.py deploy/compose.yaml
"""
import pathlib
import re
import shlex
import subprocess
import sys
import urllib.parse

import yaml

from problems import finish


def database_user(url: str):
    """The user of a PostgreSQL URL or key=value string (the last user= wins)."""
    if "://" in url:
        return urllib.parse.urlsplit(url).username
    users = re.findall(r"(?:^|\s)user\s*=\s*'?([^\s']+)", url)
    return users[-1] if users else None


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
    volumes = {}  # (service, target) -> (named volume, read-only)
    for name, service in services.items():
        for volume in service.get("volumes", []):
            if isinstance(volume, str):
                source, target, *mode = volume.split(":")
                kind = "bind" if source.startswith(("/", ".")) else "volume"
                read_only = "ro" in (mode[0].split(",") if mode else [])
            else:
                source, target, kind = volume.get("source"), volume["target"], volume["type"]
                read_only = bool(volume.get("read_only"))
            if kind == "volume":
                volumes[(name, target)] = (source, read_only)
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

    problems += check_server(services, mounts, volumes)
    return finish(problems, f"{len(services)} services fit together")


def check_server(services, mounts, volumes) -> list:
    """The audit signing key, the witness directory and the least-privilege role."""
    problems = []
    server = services.get("server")
    if not server:
        return ["no service named server"]
    env = server.get("environment", {})
    completed = [name for name, dep in server.get("depends_on", {}).items()
                 if dep.get("condition") == "service_completed_successfully"]

    if not server.get("read_only") or "ALL" not in server.get("cap_drop", []):
        problems.append("server: run it read_only, with cap_drop ALL")
    if "COMPLIANCE_ALLOW_UNSIGNED_AUDIT" in env:
        problems.append("server: COMPLIANCE_ALLOW_UNSIGNED_AUDIT makes its checkpoints prove nothing")
    key = env.get("COMPLIANCE_AUDIT_SIGNING_KEY")
    if not key:
        problems.append("server: no COMPLIANCE_AUDIT_SIGNING_KEY (serve refuses to start without one)")
    else:
        key_dir = str(pathlib.PurePosixPath(key).parent)
        volume, read_only = volumes.get(("server", key_dir), (None, False))
        if not volume or not read_only:
            problems.append(f"server: mount a named volume read-only at {key_dir}, the key's folder")
        elif not any(volumes.get((name, key_dir)) == (volume, False) for name in completed):
            problems.append(f"server: no one-shot service it waits for (service_completed_successfully) "
                            f"writes the key into the volume {volume}")
    witness = env.get("COMPLIANCE_AUDIT_WITNESS_DIR")
    if not witness:
        problems.append("server: no COMPLIANCE_AUDIT_WITNESS_DIR")
    elif not ((("server", witness) in volumes and not volumes[("server", witness)][1]) or
              ("server", witness) in mounts):
        problems.append(f"server: mount a writable volume at the witness directory {witness}")

    owner = services.get("postgres", {}).get("environment", {}).get("POSTGRES_USER")
    role = database_user(str(env.get("DATABASE_URL", "")))
    if not role or role == owner:
        problems.append(f"server: connect as a role of its own, not PostgreSQL's owner ({owner})")
        return problems
    initdb = mounts.get(("postgres", "/docker-entrypoint-initdb.d"))
    scripts = sorted(initdb.glob("*")) if initdb and initdb.is_dir() else []
    if not any(re.search(rf"CREATE ROLE {role}\b", s.read_text()) for s in scripts if s.is_file()):
        problems.append(f"postgres: no script in /docker-entrypoint-initdb.d creates the role {role}")
    def grants(name):  # the role `migrate --grant-to ROLE` grants, or None
        command = services[name].get("command", [])
        command = shlex.split(command) if isinstance(command, str) else command
        if command[:1] != ["migrate"] or "--grant-to" not in command[:-1]:
            return None
        return command[command.index("--grant-to") + 1]
    migrators = [name for name in completed if grants(name) == role]
    if not migrators:
        problems.append(f"server: no one-shot service it waits for runs `migrate --grant-to {role}`")
    for name in migrators:
        url = str(services[name].get("environment", {}).get("DATABASE_URL", ""))
        if database_user(url) != owner:
            problems.append(f"{name}: migrate as the owner ({owner}), not {database_user(url)}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
