"""A writer process for concurrency, crash and budget tests: python writer.py ..."""

from __future__ import annotations

import json
import sys
from datetime import datetime

from leakguard.audit.record import AuditLog
from leakguard.policy.model import AuditSettings, Budget, Policy
from tests.audit.audit_helpers import plain_request


def main() -> None:
    spec = json.loads(sys.argv[1])
    budget = Budget(**spec.get("budget", {}))
    policy = Policy(audit=AuditSettings(store=spec["store"]), budget=budget)
    moment = datetime.fromisoformat(spec["now"]) if "now" in spec else None
    log = AuditLog(policy, **({"clock": lambda: moment} if moment else {}))
    tag = spec.get("tag", "w")
    blocked = 0
    for i in range(spec["count"]):
        fields = plain_request(i, tool=tag)
        fields["request_id"] = f"{tag}-{i}"
        event = log.record(**fields)
        blocked += event.verdict == "block"
        if spec.get("progress"):
            print(i, flush=True)
    log.close()
    print(json.dumps({"blocked": blocked}), flush=True)


if __name__ == "__main__":
    main()
