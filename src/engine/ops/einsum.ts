/**
 * Einsum with two operands. It reads its operands in their stored layout, so head split/merge
 * needs no Transpose (the `view` strategy). Gradient: another Einsum per operand.
 */
import type { Graph } from '../graph/graph';
import { type Dim, str } from '../graph/types';
import type { OpDef } from './types';
import { arity, attrString, sameDtype } from './util';

export interface EinsumSpec {
  operands: [string, string];
  output: string;
}

export function parseEquation(equation: string): EinsumSpec {
  const m = /^([a-z]+),([a-z]+)->([a-z]*)$/.exec(equation.replace(/\s+/g, ''));
  if (!m) throw new Error(`Einsum: unsupported equation "${equation}" (two operands, explicit output)`);
  const spec: EinsumSpec = { operands: [m[1]!, m[2]!], output: m[3]! };
  for (const term of [...spec.operands, spec.output]) {
    if (new Set(term).size !== term.length) throw new Error(`Einsum: repeated index in "${term}"`);
  }
  return spec;
}

/**
 * Parsed equations by equation, shared and never mutated: a graph has few distinct equations and
 * many Einsums (every linear layer's gradients), and parsing each one is a measurable part of a build.
 */
const PARSED = new Map<string, Readonly<EinsumSpec>>();

function parsed(equation: string): Readonly<EinsumSpec> {
  let spec = PARSED.get(equation);
  if (!spec) {
    spec = parseEquation(equation);
    PARSED.set(equation, spec);
  }
  return spec;
}

const A = 'a'.charCodeAt(0);

export const Einsum: OpDef = {
  opType: 'Einsum',
  infer(inputs, attrs) {
    const [a, b] = arity('Einsum', inputs, 2);
    sameDtype('Einsum', a!, b!);
    const spec = parsed(attrString(attrs, 'equation'));
    // Terms are of [a-z] (parseEquation): each index's dimension by its letter's place.
    const dims: (Dim | undefined)[] = [];
    for (let k = 0; k < 2; k++) {
      const t = k === 0 ? a! : b!;
      const term = spec.operands[k]!;
      if (term.length !== t.shape.length)
        throw new Error(`Einsum: "${term}" does not match rank ${t.shape.length}`);
      for (let i = 0; i < term.length; i++) {
        const c = term.charCodeAt(i) - A;
        const d = t.shape[i]!;
        const seen = dims[c];
        if (seen !== undefined && seen !== d)
          throw new Error(`Einsum: index ${term[i]} is both ${seen} and ${d}`);
        dims[c] = d;
      }
    }
    const shape = new Array<Dim>(spec.output.length);
    for (let i = 0; i < spec.output.length; i++) {
      const d = dims[spec.output.charCodeAt(i) - A];
      if (d === undefined) throw new Error(`Einsum: output index ${spec.output[i]} is not in any operand`);
      shape[i] = d;
    }
    return [{ shape, dtype: a!.dtype }];
  },
  saves: { inputs: [0, 1], outputs: [] },
  grad(ctx) {
    const dy = ctx.dy(0);
    if (!dy) return [null, null];
    const spec = parsed(attrString(ctx.node.attrs, 'equation'));
    return [0, 1].map((i) => {
      if (!ctx.needs(i)) return null;
      const mine = spec.operands[i]!;
      const other = spec.operands[1 - i]!;
      let missing = '';
      for (const c of mine) if (!spec.output.includes(c) && !other.includes(c)) missing += c;
      if (missing.length) throw new Error(`Einsum gradient: index ${missing} is summed in one operand only`);
      return einsum(ctx.g, `${spec.output},${other}->${mine}`, dy, ctx.input(1 - i));
    });
  },
};

export function einsum(g: Graph, equation: string, a: string, b: string, label?: string): string {
  return g.add1(Einsum, [a, b], { equation: str(equation) }, label);
}
