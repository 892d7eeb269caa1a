#!/usr/bin/env python3
"""Every YAML and JSON file under the given folder parses, and none is empty.

    check_files_parse.py deploy/
"""
import json
import pathlib
import sys

import yaml

from problems import finish


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    problems, checked = [], 0
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".yml", ".yaml", ".json"} or not path.is_file():
            continue
        checked += 1
        try:
            text = path.read_text()
            docs = [json.loads(text)] if path.suffix == ".json" else list(yaml.safe_load_all(text))
        except (yaml.YAMLError, json.JSONDecodeError, UnicodeDecodeError) as e:
            problems.append(f"{path}: {e}")
            continue
        if not any(doc is not None for doc in docs):
            problems.append(f"{path}: no document")
    if checked == 0:
        problems.append(f"no YAML or JSON files under {root}")
    return finish(problems, f"{checked} files parsed")


if __name__ == "__main__":
    sys.exit(main())
