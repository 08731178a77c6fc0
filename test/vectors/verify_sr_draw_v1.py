#!/usr/bin/env python3
"""Independent sr-draw/v1 verifier in Python (standard library only), written from DRAW-SPEC.md.

Usage: python3 test/vectors/verify_sr_draw_v1.py test/vectors/sr-draw-v1-example.json
Prints "verified" and exits 0 when every digest and the whole result match, else exits 1.
"""
import hashlib, hmac, json, struct, sys

def canonical(x):
    return json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

def sha256hex(x):
    return hashlib.sha256(canonical(x).encode()).hexdigest()

def enc(*parts):
    return b"".join(struct.pack(">I", len(p.encode())) + p.encode() for p in parts)

def main(path):
    b = json.load(open(path, encoding="utf-8"))
    c = b["commitment"]
    digest = hashlib.sha256(canonical(c).encode()).digest()
    checks = [
        ("commitmentDigest", b["commitmentDigest"], digest.hex()),
        ("frame digest", c["frame"]["digest"], sha256hex(b["frame"])),
        ("inspectors digest", c["inspectors"]["digest"], sha256hex(b["inspectors"])),
    ]
    r = ""
    for src, val in zip(c["sources"], b["randomness"]["values"]):
        r += "".join(f"{n}." for n in sorted(val)) + "/" if src["kind"] == "numbers" else val + "/"
    checks.append(("randomness.string", b["randomness"]["string"], r))
    prk = hmac.new(digest, r.encode(), hashlib.sha256).digest()
    K = lambda *p: hmac.new(prk, enc("sr-draw/v1", *p) + b"\x01", hashlib.sha256).hexdigest()

    picked, strata = [], []
    for s in c["strata"]:
        rows = [row for row in b["frame"] if row[1] == s["id"]]
        key = {row[0]: K("select", s["id"], row[0]) for row in rows}
        picks = [(row[0], "mandatory") for row in rows if row[3] == 1]
        free = [row for row in rows if row[3] == 0]
        n, threshold = s["quota"], None
        if s["method"] == "srs":
            ranked = sorted(free, key=lambda row: (key[row[0]], row[0]))[: min(n, len(free))]
        else:
            W = sum(row[2] for row in free)
            while n > 0:
                sure = [row for row in free if n * row[2] >= W]
                if not sure:
                    break
                picks += [(row[0], "certainty") for row in sure]
                n -= len(sure)
                W -= sum(row[2] for row in sure)
                free = [row for row in free if row not in sure]
            T = 2 ** 128
            from functools import cmp_to_key
            def cmp(a, b):
                ua, ub = int(key[a[0]][:32], 16), int(key[b[0]][:32], 16)
                lhs = ua * (W - n * a[2]) * (T - ub) * b[2]
                rhs = ub * (W - n * b[2]) * (T - ua) * a[2]
                return -1 if lhs < rhs else 1 if lhs > rhs else (-1 if a[0] < b[0] else 1)
            ranked = sorted(free, key=cmp_to_key(cmp))[:n] if n > 0 else []
        picks += [(row[0], "random") for row in ranked]
        if ranked:
            threshold = key[ranked[-1][0]]
        picked += [(u, s["id"], why, key[u]) for u, why in picks]
        strata.append({"id": s["id"], "quota": s["quota"], "selected": len(picks), "shortfall": max(0, s["quota"] - sum(1 for row in rows if row[3] == 0)), "threshold": threshold})

    picked.sort(key=lambda p: (K("order", p[0]), p[0]))
    spec = {row[0]: row[4] for row in b["frame"]}
    load = {i[0]: 0 for i in b["inspectors"]}
    selected = []
    for seq, (u, sid, why, k) in enumerate(picked, 1):
        team = []
        if c["team"]["assign"]:
            ranked = sorted((i for i in b["inspectors"] if u not in i[3]), key=lambda i: (1 if load[i[0]] >= i[1] else 0, K("assign", u, i[0]), i[0]))
            if c["team"]["specialist"] and spec[u]:
                team.append(next(i[0] for i in ranked if spec[u] in i[2]))
            for i in ranked:
                if len(team) < c["team"]["size"] and i[0] not in team:
                    team.append(i[0])
            for m in team:
                load[m] += 1
        selected.append({"unit": u, "stratum": sid, "reason": why, "sequence": seq, "key": k, "team": team})
    overloads = [{"inspector": i[0], "load": load[i[0]], "capacity": i[1]} for i in b["inspectors"] if load[i[0]] > i[1]]
    result = {"selected": selected, "strata": strata, "overloads": overloads}
    checks.append(("result", canonical(b["result"]), canonical(result)))
    checks.append(("resultDigest", b["resultDigest"], sha256hex(result)))
    for name, given, computed in checks:
        if given != computed:
            print(f"NOT verified: {name} mismatch")
            return 1
    print("verified")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
