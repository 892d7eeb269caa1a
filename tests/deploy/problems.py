"""How the deploy checks end: every problem on stderr and exit 1, or one line of what held."""
import sys


def finish(problems: list, verdict: str) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(verdict)
    return 0
