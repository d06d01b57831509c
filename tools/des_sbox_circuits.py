#!/usr/bin/env python3
"""Derives Boolean circuits for the eight DES S-boxes from the FIPS 46-3
tables and writes them as Rust (src/cipher/des/sbox.rs).

Method: each output bit is a 6-input truth table (a 64-bit integer). A
function is built, with every function already computed kept in a shared
cache, as the cheapest of: a cached function; one gate (AND, OR, XOR,
AND-NOT, NOT) of cached functions; a Shannon split on an input variable x
(f = f0 ^ (x & (f0 ^ f1)), f = f1 ^ (~x & (f0 ^ f1)), the AND/OR/XOR forms
when a cofactor is constant or the two are complements, or
(f0 & ~x) | (f1 & x)); or one gate of a cached function and a residual.
Costs are guided by the gate count of a tree without sharing. The search
repeats with the four outputs in random orders and random noise on the
costs, keeps the smallest circuit per S-box, and checks it on all 64
inputs before writing it.

Usage: tools/des_sbox_circuits.py [--tries N] > src/cipher/des/sbox.rs
"""
import random
import sys
from functools import lru_cache

# FIPS 46-3, "Primitive functions S1, ..., S8", row by row.
SBOX_ROWS = [
[[14,4,13,1,2,15,11,8,3,10,6,12,5,9,0,7],[0,15,7,4,14,2,13,1,10,6,12,11,9,5,3,8],[4,1,14,8,13,6,2,11,15,12,9,7,3,10,5,0],[15,12,8,2,4,9,1,7,5,11,3,14,10,0,6,13]],
[[15,1,8,14,6,11,3,4,9,7,2,13,12,0,5,10],[3,13,4,7,15,2,8,14,12,0,1,10,6,9,11,5],[0,14,7,11,10,4,13,1,5,8,12,6,9,3,2,15],[13,8,10,1,3,15,4,2,11,6,7,12,0,5,14,9]],
[[10,0,9,14,6,3,15,5,1,13,12,7,11,4,2,8],[13,7,0,9,3,4,6,10,2,8,5,14,12,11,15,1],[13,6,4,9,8,15,3,0,11,1,2,12,5,10,14,7],[1,10,13,0,6,9,8,7,4,15,14,3,11,5,2,12]],
[[7,13,14,3,0,6,9,10,1,2,8,5,11,12,4,15],[13,8,11,5,6,15,0,3,4,7,2,12,1,10,14,9],[10,6,9,0,12,11,7,13,15,1,3,14,5,2,8,4],[3,15,0,6,10,1,13,8,9,4,5,11,12,7,2,14]],
[[2,12,4,1,7,10,11,6,8,5,3,15,13,0,14,9],[14,11,2,12,4,7,13,1,5,0,15,10,3,9,8,6],[4,2,1,11,10,13,7,8,15,9,12,5,6,3,0,14],[11,8,12,7,1,14,2,13,6,15,0,9,10,4,5,3]],
[[12,1,10,15,9,2,6,8,0,13,3,4,14,7,5,11],[10,15,4,2,7,12,9,5,6,1,13,14,0,11,3,8],[9,14,15,5,2,8,12,3,7,0,4,10,1,13,11,6],[4,3,2,12,9,5,15,10,11,14,1,7,6,0,8,13]],
[[4,11,2,14,15,0,8,13,3,12,9,7,5,10,6,1],[13,0,11,7,4,9,1,10,14,3,5,12,2,15,8,6],[1,4,11,13,12,3,7,14,10,15,6,8,0,5,9,2],[6,11,13,8,1,4,10,7,9,5,0,15,14,2,3,12]],
[[13,2,8,4,6,15,11,1,10,9,3,14,5,0,12,7],[1,15,13,8,10,3,7,4,12,5,6,11,0,14,9,2],[7,11,4,1,9,12,14,2,0,6,10,13,15,3,5,8],[2,1,14,7,4,10,8,13,15,12,9,0,3,5,6,11]],
]


def sbox(s, x):
    """S-box s (0-based) on the 6-bit input x, first bit most significant."""
    row = ((x >> 4) & 2) | (x & 1)
    col = (x >> 1) & 15
    return SBOX_ROWS[s][row][col]


ALL = (1 << 64) - 1
VAR = []
for k in range(6):  # k = 0 is b1 (MSB of the 6-bit input)
    bit = 5 - k
    VAR.append(sum(1 << x for x in range(64) if (x >> bit) & 1))

def cof(t, k, v):
    """Cofactor of t with var k fixed to v, as a function independent of k."""
    m = VAR[k]
    bit = 5 - k
    sh = 1 << bit
    if v:
        h = t & m
        return h | (h >> sh)
    h = t & ~m & ALL
    return h | (h << sh)

def support(t):
    return [k for k in range(6) if cof(t, k, 0) != cof(t, k, 1)]

@lru_cache(maxsize=None)
def est(t):
    """Gate count of a tree (no sharing) for t: a guide for the search."""
    if t == 0 or t == ALL or t in VAR:
        return 0
    if (t ^ ALL) in VAR:
        return 1
    best = 10**9
    for k in support(t):
        t0, t1 = cof(t, k, 0), cof(t, k, 1)
        d = t0 ^ t1
        for c in opts(t0, t1, d):
            best = min(best, c[0] + sum(est(s) for s in c[1]))
    return best

def opts(t0, t1, d):
    o = []
    if t0 == 0: o.append((1, (t1,), 'and'))
    if t1 == 0: o.append((1, (t0,), 'andn'))
    if t1 == ALL: o.append((1, (t0,), 'or'))
    if t0 == ALL: o.append((2, (t1,), 'ornot'))
    if d == ALL: o.append((1, (t0,), 'xor'))
    const = (0, ALL)
    if t0 not in const and d not in const: o.append((2, (t0, d), 'mux0'))
    if t1 not in const and d not in const: o.append((2, (t1, d), 'mux1'))
    if t0 not in const and t1 not in const: o.append((3, (t0, t1), 'sel'))
    return o

class Circ:
    def __init__(self, rnd):
        self.gates = []  # (name, op, a, b)
        self.cache = {VAR[k]: 'a%d' % (k + 1) for k in range(6)}
        self.rnd = rnd
        self.n = 0
    def gate(self, op, a, b, t):
        name = 'x%d' % self.n
        self.n += 1
        self.gates.append((name, op, a, b))
        self.cache[t] = name
        return name
    def one_gate(self, t):
        items = list(self.cache.items())
        for ta, na in items:
            for tb, nb in items:
                if ta & tb == t: return ('and', na, nb)
                if ta | tb == t: return ('or', na, nb)
                if ta ^ tb == t: return ('xor', na, nb)
                if ta & ~tb & ALL == t: return ('andn', na, nb)
        return None
    def build(self, t):
        if t in self.cache:
            return self.cache[t]
        g = self.one_gate(t)
        if g is not None:
            return self.gate(g[0], g[1], g[2], t)
        if (t ^ ALL) in self.cache:
            return self.gate('not', self.cache[t ^ ALL], None, t)
        cands = []
        for k in support(t):
            t0, t1 = cof(t, k, 0), cof(t, k, 1)
            d = t0 ^ t1
            for c in opts(t0, t1, d):
                cost = c[0] + sum(0 if s in self.cache else est(s) for s in c[1])
                cands.append((cost + self.rnd.random() * self.noise, k, c))
        for ta, na in list(self.cache.items()):
            if ta in (0, ALL): continue
            for kind, r in (('rxor', t ^ ta), ('ror', t & ~ta & ALL if ta & ~t == 0 else None),
                            ('rand', (t | (ALL ^ ta)) if t & ~ta == 0 else None),
                            ('rand2', t if t & ~ta == 0 else None)):
                if r is None or r in (0, ALL) or r == t: continue
                cost = 1 + (0 if r in self.cache else est(r))
                cands.append((cost + self.rnd.random() * self.noise, na, (1, (r,), kind)))
        cands.sort(key=lambda z: z[0])
        _, k, (cst, subs, kind) = cands[0]
        if kind in ('rxor', 'ror', 'rand', 'rand2'):
            r = self.build(subs[0])
            op = {'rxor': 'xor', 'ror': 'or', 'rand': 'and', 'rand2': 'and'}[kind]
            return self.gate(op, k, r, t)
        x = 'a%d' % (k + 1)
        xt = VAR[k]
        if kind == 'and':
            s = self.build(subs[0]); return self.gate('and', x, s, t)
        if kind == 'andn':
            s = self.build(subs[0]); return self.gate('andn', s, x, t)
        if kind == 'or':
            s = self.build(subs[0]); return self.gate('or', x, s, t)
        if kind == 'ornot':
            s = self.build(subs[0])
            u = self.gate('andn', x, s, xt & ~subs[0] & ALL)
            return self.gate('not', u, None, t)
        if kind == 'xor':
            s = self.build(subs[0]); return self.gate('xor', s, x, t)
        if kind == 'mux0':
            t0, d = subs
            a = self.build(t0); b = self.build(d)
            u = self.gate('and', x, b, xt & d)
            return self.gate('xor', a, u, t)
        if kind == 'mux1':
            t1, d = subs
            a = self.build(t1); b = self.build(d)
            u = self.gate('andn', b, x, d & ~xt & ALL)
            return self.gate('xor', a, u, t)
        t0, t1 = subs
        a = self.build(t0); b = self.build(t1)
        u = self.gate('andn', a, x, t0 & ~xt & ALL)
        v = self.gate('and', b, x, t1 & xt)
        return self.gate('or', u, v, t)

def outputs(s):
    return [sum(((sbox(s, x) >> (3 - j)) & 1) << x for x in range(64)) for j in range(4)]

def search(s, tries, seed):
    rnd = random.Random(seed)
    outs = outputs(s)
    best = None
    for i in range(tries):
        c = Circ(rnd)
        c.noise = 0 if i == 0 else rnd.choice([0.5, 1.0, 2.0, 3.0])
        order = list(range(4))
        if i: rnd.shuffle(order)
        names = [None] * 4
        for j in order:
            names[j] = c.build(outs[j])
        if best is None or len(c.gates) < len(best[0].gates):
            best = (c, names)
    return best


NAMES = {'and': '{a} & {b}', 'or': '{a} | {b}', 'xor': '{a} ^ {b}',
         'andn': '{a} & !{b}', 'not': '!{a}'}


def evaluate(c, names):
    val = {'a%d' % (k + 1): VAR[k] for k in range(6)}
    for name, op, a, b in c.gates:
        x, y = val[a], val.get(b)
        val[name] = {'and': lambda: x & y, 'or': lambda: x | y, 'xor': lambda: x ^ y,
                     'andn': lambda: x & ~y & ALL, 'not': lambda: x ^ ALL}[op]()
    return [val[n] for n in names]


def emit(s, c, names):
    out = []
    out.append('/// S%d: %d gates.' % (s + 1, len(c.gates)))
    out.append('#[inline(always)]')
    out.append('pub(super) fn s%d(a1: u64, a2: u64, a3: u64, a4: u64, a5: u64, a6: u64) -> [u64; 4] {' % (s + 1))
    for name, op, a, b in c.gates:
        out.append('    let %s = %s;' % (name, NAMES[op].format(a=a, b=b)))
    out.append('    [%s]' % ', '.join(names))
    out.append('}')
    return '\n'.join(out)


def main():
    tries = 200
    if len(sys.argv) == 3 and sys.argv[1] == '--tries':
        tries = int(sys.argv[2])
    parts = []
    total = 0
    for s in range(8):
        c, names = search(s, tries, s)
        assert evaluate(c, names) == outputs(s), 'S%d circuit is wrong' % (s + 1)
        total += len(c.gates)
        parts.append(emit(s, c, names))
        print('S%d: %d gates' % (s + 1, len(c.gates)), file=sys.stderr)
    print('total %d gates' % total, file=sys.stderr)
    print('//! The DES S-boxes as Boolean circuits, for the bitsliced DES.')
    print('//!')
    print('//! Generated by `tools/des_sbox_circuits.py --tries %d` from the FIPS 46-3' % tries)
    print('//! tables (%d gates in all); do not edit. Inputs `a1`..`a6` are the' % total)
    print('//! S-box input bits, first (most significant) to last; the outputs are')
    print('//! the four output bits, first (most significant) to last. Each input and')
    print('//! output is a word of 64 lanes. The tests check every circuit on all 64')
    print('//! inputs.')
    for p in parts:
        print()
        print(p)


if __name__ == '__main__':
    main()
