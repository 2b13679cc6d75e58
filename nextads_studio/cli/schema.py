"""`nextads schema plan|verdict|directive|...`: print a contract's JSON Schema."""

from __future__ import annotations

import json
import sys


def _schemas():
    from .. import schemas as s

    return {
        "plan": s.CreativePlan.model_json_schema,
        "verdict": s.Verdict.model_json_schema,
        "directive": s.DirectiveAdapter.json_schema,
        "creative": s.Creative.model_json_schema,
        "profile": s.UserProfile.model_json_schema,
        "product": s.Product.model_json_schema,
        "history": s.UserHistory.model_json_schema,
        "feedback": s.FeedbackEvent.model_json_schema,
    }


def _run(args) -> int:
    schema = _schemas()[args.name]()
    json.dump(schema, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of a contract")
    p.add_argument("name", choices=sorted(_schemas()))
    p.set_defaults(handler=_run)
