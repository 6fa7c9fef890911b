"""What the benchmarks share: the machine they ran on and how a result is printed and saved."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any


def machine() -> dict[str, Any]:
    """The machine, and how busy it was when the run began (timings depend on it)."""
    return {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }


def write(results: dict[str, Any], out: Path) -> None:
    """Print the results as JSON and write them to `out`, with the load average at the end."""
    results["load_average_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, indent=2))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out}")
