#!/usr/bin/env python3
"""Independent sr-draw/v2 draw recomputation in Python (standard library only), written from
packages/core/SPEC.md. It recomputes every digest, R, every key, the selection, the keyed-shuffle
teams and experts, the result and resultDigest. The Python standard library has no BLS12-381 or
Ed25519, so the drand signatures and the sign-off are NOT checked here (use `spotcheck verify`).

Usage: python3 test/vectors/verify_sr_draw_v2.py test/vectors/sr-draw-v2-example.json
Prints "draw recomputed" and exits 0 when everything matches, else names the mismatch and exits 1.
"""
import hashlib, hmac, json, struct, sys
from functools import cmp_to_key

def canonical(x):
    return json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

def sha256hex(x):
    return hashlib.sha256(canonical(x).encode()).hexdigest()

def enc(*parts):
    return b"".join(struct.pack(">I", len(p.encode())) + p.encode() for p in parts)

def shuffle(key, n):
    """SPEC §II.5: Fisher-Yates over the word stream SHA-256(k || uint32be(i)), rejection sampling."""
    words, counter = [], 0
    def word():
        nonlocal counter
        if not words:
            words.extend(struct.unpack(">8I", hashlib.sha256(key + struct.pack(">I", counter)).digest()))
            counter += 1
        return words.pop(0)
    def pick(r):
        limit = 2 ** 32 - (2 ** 32 % r)
        while True:
            w = word()
            if w < limit:
                return w % r
    c = list(range(n))
    for t in range(n):
        j = t + pick(n - t)
        c[t], c[j] = c[j], c[t]
    return c

def contribution(src, val):
    if src["kind"] == "drand":
        return hashlib.sha256(bytes.fromhex(val)).hexdigest() + "/"
    return ":".join("".join(f"{x}." for x in g) for g in val) + "/"

def main(path):
    b = json.load(open(path, encoding="utf-8"), object_pairs_hook=lambda kv: dict(kv) if len({k for k, _ in kv}) == len(kv) else sys.exit("duplicate key"))
    c = b["commitment"]
    digest = hashlib.sha256(canonical(c).encode()).digest()
    checks = [("commitmentDigest", b["commitmentDigest"], digest.hex())]
    for part in ("frame", "excluded", "inspectors", "experts"):
        checks.append((f"{part} digest", c[part]["digest"], sha256hex(b[part])))
        checks.append((f"{part} count", c[part]["count"], len(b[part])))
    r = "".join(contribution(s, v) for s, v in zip(c["sources"], b["randomness"]["values"]))
    checks.append(("randomness.string", b["randomness"]["string"], r))
    prk = hmac.new(digest, r.encode(), hashlib.sha256).digest()
    K = lambda *p: hmac.new(prk, enc("sr-draw/v2", *p) + b"\x01", hashlib.sha256).digest()

    picked, strata = [], []
    for s in c["strata"]:
        rows = [row for row in b["frame"] if row[1] == s["id"]]
        key = {row[0]: K("select", s["id"], row[0]).hex() for row in rows}
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
            def cmp(a, b_):
                ua, ub = int(key[a[0]][:32], 16), int(key[b_[0]][:32], 16)
                lhs = ua * (W - n * a[2]) * (T - ub) * b_[2]
                rhs = ub * (W - n * b_[2]) * (T - ua) * a[2]
                return -1 if lhs < rhs else 1 if lhs > rhs else (-1 if a[0] < b_[0] else 1)
            ranked = sorted(free, key=cmp_to_key(cmp))[:n] if n > 0 else []
        picks += [(row[0], "random") for row in ranked]
        if ranked:
            threshold = key[ranked[-1][0]]
        picked += [(u, s["id"], why, key[u]) for u, why in picks]
        strata.append({"id": s["id"], "quota": s["quota"], "selected": len(picks),
                       "shortfall": max(0, s["quota"] - sum(1 for row in rows if row[3] == 0)), "threshold": threshold})

    picked.sort(key=lambda p: (K("order", p[0]), p[0]))
    row_of = {row[0]: row for row in b["frame"]}
    load = {i[0]: 0 for i in b["inspectors"]}
    eload = {e[0]: 0 for e in b["experts"]}
    team_spec = c["team"]
    selected = []
    for seq, (u, sid, why, k) in enumerate(picked, 1):
        specialty, needs_expert = row_of[u][4], row_of[u][5]
        team, expert = [], None
        if team_spec["assign"]:
            cand = [i for i in b["inspectors"] if all(e[0] != u for e in i[3])]
            order = shuffle(K("assign", u), len(cand))
            ranked = sorted(((cand[ci], pos) for pos, ci in enumerate(order)),
                            key=lambda x: (1 if load[x[0][0]] >= x[0][1] else 0, x[1]))
            if team_spec["specialist"] and specialty:
                team.append(next(i[0] for i, _ in ranked if specialty in i[2]))
            for i, _ in ranked:
                if len(team) < team_spec["size"] and i[0] not in team:
                    team.append(i[0])
            for m in team:
                load[m] += 1
        if needs_expert:
            cand = [e for e in b["experts"] if all(x[0] != u for x in e[3])]
            order = shuffle(K("expert", u), len(cand))
            ranked = sorted(((cand[ci], pos) for pos, ci in enumerate(order)),
                            key=lambda x: (1 if eload[x[0][0]] >= x[0][1] else 0,
                                           0 if specialty and specialty in x[0][2] else 1, x[1]))
            expert = ranked[0][0][0]
            eload[expert] += 1
        selected.append({"unit": u, "stratum": sid, "reason": why, "sequence": seq, "key": k, "team": team, "expert": expert})
    overloads = [{"kind": "expert", "id": e[0], "load": eload[e[0]], "capacity": e[1]} for e in b["experts"] if eload[e[0]] > e[1]]
    overloads += [{"kind": "inspector", "id": i[0], "load": load[i[0]], "capacity": i[1]} for i in b["inspectors"] if load[i[0]] > i[1]]
    result = {"selected": selected, "strata": strata, "overloads": overloads}
    checks.append(("result", canonical(b["result"]), canonical(result)))
    checks.append(("resultDigest", b["resultDigest"], sha256hex(result)))
    for name, given, computed in checks:
        if given != computed:
            print(f"NOT recomputed: {name} mismatch")
            return 1
    print("draw recomputed (drand signatures and the sign-off are not checked by this script)")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
