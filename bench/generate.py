#!/usr/bin/env python3
"""Writes COUNT synthetic session records (about 1 KiB of text each) as JSON Lines
for `casebook note import`, spread over 500 clients and all four kinds.
Deterministic (seeded) so runs compare. Usage: generate.py COUNT > records.jsonl"""
import json
import random
import sys

WORDS = ("client engagement identity belonging family housing employment plan review goal "
         "session progress values reflection concern support mentor advice risk protective "
         "factor community trust routine motivation change future past group letter "
         "conversation listening question answer week month appointment probation officer").split()


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def record(rng, i):
    kind = ("hii-session", "ddp-session", "mentor-log", "theological-advice")[i % 4]
    day = 1 + i % 28
    base = {"kind": kind, "client": "C-%04d" % (i % 500), "start": "2026-%02d-%02dT%02d:00:00Z" % (1 + i % 12, day, 9 + i % 8),
            "duration": 50, "modality": "in-person", "attendance": "attended", "labels": [],
            "sharing-summary": text(rng, 12)}
    if kind == "hii-session":
        sections = {"session-number": str(1 + i % 40), "focus": text(rng, 20), "client-report": text(rng, 40),
                    "observations-presentation": text(rng, 15), "interventions": text(rng, 20),
                    "client-response": text(rng, 20), "risk-immediate-concern": "no", "plan": text(rng, 15)}
    elif kind == "ddp-session":
        sections = {"provider-organisation": "Example Provider", "intervention-type": "mentoring",
                    "objectives": text(rng, 30), "engagement": text(rng, 20), "practical-needs": text(rng, 20),
                    "summary": text(rng, 40), "next-steps": text(rng, 15)}
    elif kind == "mentor-log":
        sections = {"contact-type": "Meeting", "planned": "planned", "initiated-by": "mentor", "topics": text(rng, 30),
                    "activities": text(rng, 25), "mood-engagement": text(rng, 20), "goal-progress": text(rng, 30),
                    "next-contact": text(rng, 8)}
    else:
        sections = {"tradition": "Sunni", "theme": text(rng, 30), "sources": text(rng, 20), "guidance": text(rng, 40),
                    "client-response": text(rng, 20), "unresolved-questions": text(rng, 15)}
    base["sections"] = sections
    return base


def main():
    count = int(sys.argv[1])
    rng = random.Random(20261124)
    out = sys.stdout
    for i in range(count):
        out.write(json.dumps(record(rng, i), separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
