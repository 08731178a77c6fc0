// Public vectors (test/vectors/*.json) run through the conformance modes of DRAW-SPEC §7.
import { describe, expect, it } from 'vitest';
import { rfc3797, rfc3797Steps, rivest, runConformance, vrs, vrsOneTimeCode, vrsPrk } from '@spotcheck/core';
import rfcVector from '../vectors/rfc3797-section6.json' with { type: 'json' };
import vrsVector from '../vectors/vrs-example.json' with { type: 'json' };
import rivestVector from '../vectors/rivest-sampler.json' with { type: 'json' };
import colors from '../vectors/css3-color-names.json' with { type: 'json' };

describe('rfc3797: RFC 3797 §6 fully worked example', () => {
  const c = rfcVector.cases[0]!;
  const input = {
    pool: c.pool_names_in_published_order,
    sources: c.sources_as_published,
    count: c.expected_rows.length,
  };

  it('builds the key string', () => {
    expect(rfc3797(input).keyString).toBe(c.expected_key_string);
  });

  it('reproduces every MD5 row, divisor and selection of the table', () => {
    const { steps } = rfc3797Steps(input);
    expect(steps).toHaveLength(16);
    steps.forEach((s, i) => {
      const row = c.expected_rows[i]!;
      expect({ index: s.index, md5: s.md5, divisor: s.divisor, selected: s.selected, name: s.name }).toEqual({
        index: row.index,
        md5: row.md5_hex,
        divisor: row.divisor,
        selected: row.selected,
        name: row.selected_name,
      });
    });
  });

  it('selects the first ten and the next alternate', () => {
    const out = rfc3797({ ...input, count: 11 });
    expect(out.selected.slice(0, 10)).toEqual(c.expected_first_ten_names);
    expect(out.selected[10]).toBe(c.expected_next_alternate.name);
  });

  it('rejects bad input with the field', () => {
    expect(() => rfc3797({ ...input, count: 26 })).toThrow(/input.count: 26 is out of range \[0, 25\]/);
    expect(() => rfc3797({ ...input, sources: [[1, -2]] })).toThrow(
      /input.sources\[0\]\[1\]: expected a non-negative integer/,
    );
  });
});

describe('vrs: draft-thomson-elegy-vrs example', () => {
  it('derives the one-time code chain', () => {
    const secret = vrsVector.otp_chain.secret_utf8;
    expect(vrsOneTimeCode(secret, 10)).toBe(vrsVector.otp_chain.expected_H10);
    expect(vrsOneTimeCode(secret, 9)).toBe(vrsVector.otp_chain.expected_H9);
    expect(vrsOneTimeCode(secret, 8)).toBe(vrsVector.otp_chain.expected_H8);
  });

  for (const c of vrsVector.cases) {
    it(`${c.name}: PRK, position prefixes, sorted first lines, selection`, () => {
      expect(vrsPrk(c.one_time_code_hex, c.ikm_utf8)).toBe(c.prk_hex_computed);
      const { order } = vrs({ otp: c.one_time_code_hex, randomness: c.ikm_utf8, labels: colors.labels });
      // Only prefixes are published: compare each published line by prefix, then the computed full value.
      c.expected_sorted_first_lines.forEach((line, i) => {
        expect(order[i]!.label).toBe(line.label);
        expect(order[i]!.position.startsWith(line.position_prefix_hex)).toBe(true);
        expect(order[i]!.position).toBe(line.position_full_hex_computed);
      });
      // Take from the lowest, skipping labels disqualified by the pre-agreed rule.
      const disqualified = new Set<string>('disqualified_by_rule' in c ? c.disqualified_by_rule : []);
      const roles = Object.keys(c.expected_selection);
      const chosen = order
        .map((o) => o.label)
        .filter((l) => !disqualified.has(l))
        .slice(0, roles.length);
      expect(Object.fromEntries(roles.map((r, i) => [r, chosen[i]]))).toEqual(c.expected_selection);
    });
  }

  it('orders only the given labels by position', () => {
    const c = vrsVector.cases[0]!;
    const labels = c.expected_sorted_first_lines.map((l) => l.label).reverse();
    const { order } = vrs({ otp: c.one_time_code_hex, randomness: c.ikm_utf8, labels });
    expect(order.map((o) => o.label)).toEqual(c.expected_sorted_first_lines.map((l) => l.label));
  });
});

describe("rivest: Rivest's sampler", () => {
  for (const c of rivestVector.cases) {
    it(`seed ${JSON.stringify(c.seed)}, 1..${c.total}`, () => {
      expect(
        rivest({ seed: c.seed, a: 1, b: c.total, n: c.count, withReplacement: true, skip: 0 }).sample,
      ).toEqual(c.expected);
    });
  }

  it('without replacement discards repeats, and skip drops the first picks', () => {
    const all = rivest({ seed: '0', a: 1, b: 2, n: 2, withReplacement: false, skip: 0 }).sample;
    expect(all).toEqual([1, 2]);
    expect(rivest({ seed: '0', a: 1, b: 2, n: 2, withReplacement: false, skip: 1 }).sample).toEqual([2]);
    expect(() => rivest({ seed: '0', a: 1, b: 2, n: 3, withReplacement: false, skip: 0 })).toThrow(
      /input.n: 3 is out of range/,
    );
  });

  it('rejects unknown modes', () => {
    expect(() => runConformance('lotto', {})).toThrow(/unknown conformance mode "lotto"/);
  });
});
